"""Pages of the warranty app (claims; the bulk import is core.importing's)."""

from .claims import (
    approve,
    attachment_add,
    attachment_download,
    claim_create,
    claim_detail,
    claim_edit,
    claim_list,
    close,
    decision_letter,
    override,
    redecide,
    reject,
    reopen,
    settle,
)
from .imports import imports

__all__ = [
    "approve",
    "attachment_add",
    "attachment_download",
    "claim_create",
    "claim_detail",
    "claim_edit",
    "claim_list",
    "close",
    "decision_letter",
    "imports",
    "override",
    "redecide",
    "reject",
    "reopen",
    "settle",
]
