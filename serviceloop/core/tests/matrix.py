"""Permission-matrix rows of the core (see core/tests/test_permission_matrix.py).

The `imports` resource is core's: a job's permission is that of its kind, so the world holds
one checked warranty-claims import (action warranty.import), and a second one to discard. The
lists answer every user; an upload's permission is that of the kind in its body, so the
matrix uploads a small warranty-claims file (a dry run) under warranty.import;
test_import_api checks each kind's permission on upload."""

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.testing.imports import Multipart, csv_upload


def build(w: dict) -> None:
    from serviceloop.core.importing.services import import_now

    CustomerFactory(code="MX-IMPORT")
    job, to_discard = (
        import_now(actor=user_with("quality"), kind="warranty-claims", upload=_claims_file())
        for _ in range(2)
    )
    w.update(import_id=job.pk, import_kind=job.kind, import_discard_id=to_discard.pk)
    from serviceloop.core.tokens import token_issue

    w["token_id"] = token_issue(actor=user_with("sales"))[0].pk
    w["export_job_id"] = _export_job().pk


def _export_job():
    """A finished export of another user's: only administrators may see it (the rest 404)."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from serviceloop.core.models import ExportJob, ExportStatus

    job = ExportJob(
        number="EXP-MATRIX",
        path="/communications/",
        filename="communications.xlsx",
        status=ExportStatus.DONE,
        created_by=user_with("quality"),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    job.file.save("communications.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    return job


def _claims_file():
    return csv_upload(
        [["MX-IMPORT", "2025-09-01"], ["NO-SUCH", "2025-09-01"]], ["客户编码", "故障日期"]
    )


JOB = "/api/v1/imports/{import_id}"
API = {
    ("get", "/api/v1/me/"): (None, lambda w: None),
    ("get", "/api/v1/me/work"): (None, lambda w: None),
    ("get", "/api/v1/imports/"): (None, lambda w: None),
    ("post", "/api/v1/imports/"): (
        "warranty.import",
        lambda w: Multipart(kind="warranty-claims", file=_claims_file(), dry_run="true"),
    ),
    ("get", "/api/v1/imports/kinds"): (None, lambda w: None),
    ("get", "/api/v1/imports/templates/{import_kind}"): ("warranty.import", lambda w: None),
    ("get", JOB): ("warranty.import", lambda w: None),
    ("post", JOB + "/confirm"): ("warranty.import", lambda w: {"mode": "valid_rows"}),
    ("post", JOB + "/discard"): ("warranty.import", lambda w: {}),
    ("get", JOB + "/error-report"): ("warranty.import", lambda w: None),
    # API tokens: everybody lists and revokes their own (another's is a 404).
    ("get", "/api/v1/auth/tokens"): (None, lambda w: None),
    ("delete", "/api/v1/auth/tokens/{token_id}"): (None, lambda w: {}),
}
PUBLIC_API = {("post", "/api/v1/auth/token")}
# The confirm call stores the checked import; discard has a checked import of its own.
KEY_ALIASES = {("post", JOB + "/discard"): {"import_id": "import_discard_id"}}


def _job(w: dict) -> list:
    return [w["import_id"]]


UI = {
    "core:home": (None, "get", lambda w: []),
    "core:export_detail": (None, "get", lambda w: [w["export_job_id"]]),
    "core:export_file": (None, "get", lambda w: [w["export_job_id"]]),
    "core:my_work": (None, "get", lambda w: []),
    "core:notifications": (None, "get", lambda w: []),
    "core:notifications_read": (None, "post", lambda w: []),
    "core:audit": ("audit.view", "get", lambda w: []),
    "core:profile": (None, "get", lambda w: []),
    "core:company_settings": ("company.edit", "get", lambda w: []),
    "core:backups": ("backup.manage", "get", lambda w: []),
    "core:backup_now": ("backup.manage", "post", lambda w: []),
    "imports:index": (None, "get", lambda w: []),
    "imports:detail": ("warranty.import", "get", _job),
    "imports:confirm": ("warranty.import", "post", _job),
    "imports:discard": ("warranty.import", "post", _job),
    "imports:errors": ("warranty.import", "get", _job),
    "imports:template": ("warranty.import", "get", lambda w: [w["import_kind"]]),
}
EXPORTS: dict = {}


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/me/"): 200,
    ("get", "/api/v1/me/work"): 200,
    ("get", "/api/v1/imports/"): 200,
    ("post", "/api/v1/imports/"): 202,
    ("get", "/api/v1/imports/kinds"): 200,
    ("get", "/api/v1/imports/templates/{import_kind}"): 200,
    ("get", "/api/v1/imports/{import_id}"): 200,
    ("post", "/api/v1/imports/{import_id}/confirm"): 202,
    ("post", "/api/v1/imports/{import_id}/discard"): 200,
    ("get", "/api/v1/imports/{import_id}/error-report"): 200,
    ("get", "/api/v1/auth/tokens"): 200,
    # 404: Not Found
    ("delete", "/api/v1/auth/tokens/{token_id}"): {"admin": 204, "*": 404},
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "core:home": 302,
    "core:my_work": 200,
    "core:notifications": 200,
    "core:notifications_read": 302,
    "core:audit": 200,
    "core:profile": 200,
    "core:company_settings": 200,
    "core:backups": 200,
    "core:backup_now": 302,
    "imports:index": 200,
    "imports:detail": 200,
    "imports:confirm": 302,
    "imports:discard": 302,
    "imports:errors": 200,
    "imports:template": 200,
    # An export's page and file are its requester's and the administrators' (the rest: 404).
    "core:export_detail": {"*": 404, "admin": 200},
    "core:export_file": {"*": 404, "admin": 200},
}
