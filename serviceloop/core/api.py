"""Core API: tokens, the current user, notifications and "my work"."""

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from . import tokens
from .api_support import API_AUTH, LocalDateTime, user_of
from .models import ApiToken, User
from .permissions import role_codes

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: LocalDateTime


class TokenInfoOut(Schema):
    id: int
    user: str
    prefix: str
    created_at: LocalDateTime
    expires_at: LocalDateTime
    last_used_at: LocalDateTime | None

    @staticmethod
    def resolve_user(obj: ApiToken) -> str:
        return obj.user.username


class Detail(Schema):
    detail: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    department: str | None
    roles: list[str]
    agent: int | None


class WorkItemOut(Schema):
    kind: str
    title: str
    url: str
    due_at: LocalDateTime | None
    overdue: bool
    seconds_left: int | None


LOCKED = tokens.LOCKED


@router.post("/token", auth=None, response={200: TokenOut, 401: Detail, 429: Detail})
def issue_token(request: HttpRequest, data: TokenIn):
    """Exchange a username and password for a bearer token (valid SERVICELOOP_TOKEN_DAYS,
    default 90). After 5 failed attempts for a username (or from an address) within 15
    minutes the answer is 429 for 15 minutes, also with the right password."""
    try:
        user = authenticate(request, username=data.username, password=data.password)
    except AxesBackendPermissionDenied:
        raise HttpError(429, str(LOCKED)) from None
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, str(LOCKED))
    if user is None or not user.is_active:
        raise HttpError(401, _("Wrong username or password."))
    token, raw = tokens.token_issue(actor=user)  # type: ignore[arg-type]
    return {"token": raw, "expires_at": token.expires_at}


@router.get("/tokens", auth=API_AUTH, response=list[TokenInfoOut])
def list_tokens(request: HttpRequest, username: str | None = None):
    """Alive tokens: the caller's own; an administrator sees everybody's (or `username`'s)."""
    owner = User.objects.filter(username=username).first() if username else None
    if username and owner is None:
        return []
    return list(tokens.visible_tokens(user_of(request), user=owner))


@router.delete("/tokens/{int:token_id}", auth=API_AUTH, response={204: None})
def revoke_token(request: HttpRequest, token_id: int):
    """Revoke a token: its owner or an administrator."""
    actor = user_of(request)
    token = tokens.visible_tokens(actor).filter(pk=token_id).first()
    if token is None:
        raise Http404
    tokens.token_revoke(actor=actor, token=token)
    return Status(204, None)


me_router = Router(tags=["me"], auth=API_AUTH)


@me_router.get("/", response=MeOut)
def me(request: HttpRequest):
    user = user_of(request)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "department": str(user.department) if user.department_id else None,
        "roles": sorted(role_codes(user)),
        "agent": user.agent_id,
    }


@me_router.get("/work", response=list[WorkItemOut])
def my_work(request: HttpRequest):
    """What the caller owes, overdue first, then by time left."""
    from .selectors import work_items

    return [item.as_dict() for item in work_items(user_of(request))]
