"""Core API: tokens, the current user, notifications and "my work"."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from .api_support import API_AUTH, LocalDateTime, user_of
from .models import ApiToken
from .permissions import role_codes

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


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


@router.post("/token", auth=None, response={200: TokenOut, 401: dict})
def issue_token(request: HttpRequest, data: TokenIn):
    """Exchange a username and password for a bearer token."""
    user = authenticate(request, username=data.username, password=data.password)
    if user is None or not user.is_active:
        raise HttpError(401, "Wrong username or password.")
    _, raw = ApiToken.issue(user)  # type: ignore[arg-type]
    return {"token": raw}


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
