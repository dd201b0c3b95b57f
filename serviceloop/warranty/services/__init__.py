"""Every write of the warranty app goes through these services (architecture rule 1)."""

from .attachments import attachment_add, check_upload
from .claims import (
    claim_approve,
    claim_close,
    claim_create,
    claim_override,
    claim_redecide,
    claim_reject,
    claim_reopen,
    claim_settle,
    claim_update,
)

__all__ = [
    "attachment_add",
    "check_upload",
    "claim_approve",
    "claim_close",
    "claim_create",
    "claim_override",
    "claim_redecide",
    "claim_reject",
    "claim_reopen",
    "claim_settle",
    "claim_update",
]
