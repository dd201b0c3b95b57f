"""Pages of the warranty app (claims and their bulk import)."""

from .claims import (
    approve,
    attachment_add,
    attachment_download,
    claim_create,
    claim_detail,
    claim_edit,
    claim_list,
    close,
    override,
    redecide,
    reject,
    reopen,
    settle,
)
from .imports import (
    import_confirm,
    import_detail,
    import_discard,
    import_errors,
    import_template,
    imports,
)

__all__ = [
    "approve",
    "attachment_add",
    "attachment_download",
    "claim_create",
    "claim_detail",
    "claim_edit",
    "claim_list",
    "close",
    "import_confirm",
    "import_detail",
    "import_discard",
    "import_errors",
    "import_template",
    "imports",
    "override",
    "redecide",
    "reject",
    "reopen",
    "settle",
]
