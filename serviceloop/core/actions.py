"""Declarative actions: an action on a record declared once, as data, for both doors.

An app lists its actions in ``<app>/actions.py``::

    APPROVE = Action(
        "approve",
        permission="warranty.approve",
        form=NoteForm,
        schema=ClaimNoteIn,
        call=service_call(services.claim_approve, "claim", "note"),
        done=_l("The claim was approved."),
    )

and both the page's POST view and the API endpoint are made from it:

- pages (``views.py``): ``approve, reject = page_actions(selectors.claim_get, claim_detail,
  APPROVE, REJECT)`` — a ``@require_POST`` view each: the record through its selector (404
  outside the user's scope), the permission, the form bound under the action's prefix, the
  service in a transaction, the message and back to the record's page; on errors the detail
  page again (400) with the form open (``core.views_support.detail_action``);
- API (``api.py``): ``post = api_actions(router, __name__, get=selectors.claim_get,
  path="/{int:claim_id}", response=ClaimOut)`` then ``post(APPROVE)`` — ``POST
  /{claim_id}/approve`` with the action's schema as body, the same permission and service;
  the operation id stays ``<module>_<name>`` as for a hand-written function of that name.

``call(actor, obj, data)`` receives the form's ``cleaned_data`` on a page and the schema's
fields on the API (enum members as their values), so one call serves both when the form
and the schema name their fields alike. Where the service takes the body's fields as they
are, ``service_call(services.sample_approve, "sample")`` is that call. An API-only action
has no form; one whose rule is not a single permission (a member of the 8D team, say) says
``permission=""`` and leaves the check to its service.
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from ninja import Router, Status

from .api_support import user_of
from .permissions import require
from .views_support import AuthedRequest, detail_action

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

Call = Callable[[Any, Any, dict[str, Any]], object]


@dataclass(frozen=True)
class Action:
    """One action on a record: its name (URL segment, view name and form prefix), the
    permission, the page form, the API body schema, the service call and the success
    message. ``prefix`` when the page's form prefix differs from the name, ``form_key`` when
    the detail page shows a failed form under another name than ``<prefix>_form``; ``api_in`` turns
    the API body into what the form's ``cleaned_data`` holds where the two differ (ids that
    the form's fields give as records, say)."""

    name: str
    permission: str
    call: Call
    done: str | _StrPromise = ""
    form: type[forms.BaseForm] | None = None
    schema: Any = None
    prefix: str = ""
    form_key: str = ""
    api_in: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @property
    def form_prefix(self) -> str:
        return self.prefix or self.name

    def run(self, actor: Any, obj: Any, data: dict[str, Any]) -> object:
        """The permission, then the service (which checks its own rules again)."""
        if self.permission:
            require(actor, self.permission)
        return self.call(actor, obj, data)


def service_call(service: Callable[..., object], record: str, *fields: str) -> Call:
    """The call ``service(actor=actor, <record>=obj, **data)``: the body's (or the form's)
    fields passed to the service by their names; with ``fields``, only those
    (``service_call(services.claim_approve, "claim", "note")`` is ``services.claim_approve(
    actor=actor, claim=obj, note=data["note"])``)."""
    if fields:
        return lambda actor, obj, data: service(
            actor=actor, **{record: obj}, **{f: data[f] for f in fields}
        )
    return lambda actor, obj, data: service(actor=actor, **{record: obj}, **data)


def action_kind(
    record: str,
    *fields: str,
    form: type[forms.BaseForm] | None = None,
    schema: Any = None,
) -> Callable[..., Action]:
    """A maker of the actions on one kind of record that take the same fields through the
    same page form and API body (approve and reject with a note, say)::

        _noted = action_kind("claim", "note", form=NoteForm, schema=ClaimNoteIn)
        APPROVE = _noted("approve", "warranty.approve", services.claim_approve, _l("Approved."))

    is ``Action("approve", "warranty.approve", service_call(services.claim_approve, "claim",
    "note"), _l("Approved."), form=NoteForm, schema=ClaimNoteIn)``; more keywords
    (``prefix=``, ``form_key=``) go to the ``Action``."""

    def make(
        name: str,
        permission: str,
        service: Callable[..., object],
        done: str | _StrPromise = "",
        **more: Any,
    ) -> Action:
        call = service_call(service, record, *fields)
        return Action(name, permission, call, done, form=form, schema=schema, **more)

    return make


def page_action(
    get: Callable[[Any, int], Any],
    detail: Callable[..., HttpResponse],
    action: Action,
    *,
    files: bool = False,
) -> Callable[..., HttpResponse]:
    """The page's ``@require_POST`` view of one action (see the module's doc)."""
    if action.form is None:
        raise TypeError(f"The action {action.name!r} has no page form.")
    form_cls = action.form

    @require_POST
    def view(request: AuthedRequest, pk: int) -> HttpResponse:
        return detail_action(
            request,
            obj=get(request.user, pk),
            permission=action.permission,
            form_cls=form_cls,
            prefix=action.form_prefix,
            call=lambda obj, data: action.call(request.user, obj, data),
            done=str(action.done),
            rerender=lambda forms_: detail(request, pk, forms_),
            files=files,
            form_key=action.form_key,
        )

    view.__name__ = view.__qualname__ = action.name
    return view


def page_actions(
    get: Callable[[Any, int], Any],
    detail: Callable[..., HttpResponse],
    *actions: Action,
    files: bool = False,
) -> list[Callable[..., HttpResponse]]:
    """``page_action`` for several actions of one kind of record, in the order given."""
    return [page_action(get, detail, a, files=files) for a in actions]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def api_data(data: Any) -> dict[str, Any]:
    """An API body as the dict a service call gets: enum members as their values."""
    if data is None:
        return {}
    return {k: _plain(v) for k, v in data.dict().items()}


_PATH_PARAM = re.compile(r"\{(?:\w+:)?(\w+)\}")


def api_actions(
    router: Router,
    module: str,
    *,
    get: Callable[[Any, Any], Any],
    path: str,
    response: Any,
    refetch: bool = False,
    permission_first: bool = False,
) -> Callable[..., Callable[..., Any]]:
    """A registrar of API endpoints for the actions of one kind of record::

        post = api_actions(router, __name__, get=selectors.claim_get,
                           path="/{int:claim_id}", response=ClaimOut)
        post(APPROVE)                      # POST /{int:claim_id}/approve
        post(ADD_MEMBER, "team", status=201, name="add_team_member")
        post(REOPEN, "disciplines/{code}/reopen", name="reopen_discipline")

    ``path`` names the record's id (one path parameter); ``module`` is the api module's
    ``__name__`` so that the operation id is ``<module>_<name>``; the endpoint answers the
    service's result, or the record read again through ``get`` when ``refetch``. The record
    is read (404) before the permission is checked (403) unless ``permission_first``;
    ``answer(obj, result)`` makes another body of them (a list of the record's rows, say).
    A segment may name more path parameters (``"disciplines/{code}/complete"``): the call's
    data has them under their names."""
    params = _PATH_PARAM.findall(path)
    if len(params) != 1:
        raise ValueError(f"{path!r}: an action path names exactly one record id.")
    id_name = params[0]

    def post(
        action: Action,
        segment: str | None = None,
        *,
        name: str = "",
        status: int = 200,
        refetch: bool = refetch,
        response: Any = response,
        doc: str = "",
        answer: Callable[[Any, Any], Any] | None = None,
    ) -> Callable[..., Any]:
        segment = action.name if segment is None else segment
        extra = _PATH_PARAM.findall(segment)  # more path parameters: into the call's data

        def endpoint(request: HttpRequest, **kwargs: Any) -> Any:
            user = user_of(request)
            if permission_first:
                require(user, action.permission)
            obj = get(user, kwargs[id_name])
            data = api_data(kwargs.get("data"))
            data = {**{k: kwargs[k] for k in extra}, **data}
            result = action.run(user, obj, action.api_in(data) if action.api_in else data)
            if refetch:
                result = get(user, kwargs[id_name])
            elif answer is not None:
                result = answer(obj, result)
            return Status(status, result) if status != 200 else result

        parameters = [
            inspect.Parameter(
                "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest
            ),
            inspect.Parameter(id_name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=int),
        ]
        parameters += [
            inspect.Parameter(
                k,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=int if f"{{int:{k}}}" in segment else str,
            )
            for k in extra
        ]
        if action.schema is not None:
            parameters.append(
                inspect.Parameter(
                    "data", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=action.schema
                )
            )
        endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        endpoint.__name__ = endpoint.__qualname__ = name or action.name.replace("-", "_")
        endpoint.__module__ = module
        endpoint.__doc__ = doc or None
        url = f"{path}/{segment}" if segment else path
        router.post(url, response={status: response} if status != 200 else response)(endpoint)
        return endpoint

    return post
