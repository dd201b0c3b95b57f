"""Small helpers shared by every app's views: run a service from a form, a page with one form
(``form_page``), an action posted from a detail page (``detail_action``), paginate."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .models import User
from .permissions import require

T = TypeVar("T")


class AuthedRequest(HttpRequest):
    """A request past the login middleware: its user is a real User."""

    user: User


def run_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Call a service; put its validation errors on the form (by field) and return None."""
    try:
        with transaction.atomic():
            return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in form.fields else None
                for e in errors:
                    form.add_error(target, e.messages if hasattr(e, "messages") else str(e))
        else:
            form.add_error(None, exc.messages)
        return None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], T | None],
    *,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    done: str | Callable[[T], str] = "",
    success_url: str | Callable[[T], str] | None = None,
    invalid_status: int = 400,
    formsets: Sequence[Any] = (),
    level: int = messages.SUCCESS,
) -> HttpResponse:
    """A page with one form a service answers (a create or edit page). The caller checks the
    permission, fetches the record (404) and builds the form bound to ``request.POST or None``.

    A POST whose form (and ``formsets``) is valid calls ``call(cleaned_data)`` through
    ``run_service``; on success the ``done`` message (text, or made from the result) and a
    redirect to ``success_url`` (a URL, a URL name, or made from the result; by default the
    result's ``get_absolute_url()``). Otherwise ``template`` with ``form`` and ``context`` (a
    dict, or a function so it is only built when shown), answered ``invalid_status`` to a POST
    (the service's ValidationErrors are on the form by field)."""
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        result = run_service(form, lambda: call(form.cleaned_data))
        if result is not None:
            if done:
                messages.add_message(request, level, done(result) if callable(done) else done)
            if success_url is None:
                return redirect(result.get_absolute_url())  # type: ignore[attr-defined]
            return redirect(success_url(result) if callable(success_url) else success_url)
    extra = context() if callable(context) else context or {}
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, {"form": form, **extra}, status=status)


def post_action(
    request: AuthedRequest,
    *,
    permission: str,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], object],
    done: str,
    success_url: str,
    rerender: Callable[[dict[str, Any]], HttpResponse],
    prefix: str,
    form_key: str = "",
) -> HttpResponse:
    """Run an action form posted from a detail page through its service: the permission
    first, then the form; on success a message and back to ``success_url``; on errors the
    page again (its view answers 400) with the form open and its errors by field (under
    ``form_key`` in the page's context, ``<prefix>_form`` unless given)."""
    require(request.user, permission)
    if form.is_valid() and run_service(form, lambda: call(form.cleaned_data)) is not None:
        messages.success(request, done)
        return redirect(success_url)
    return rerender({form_key or f"{prefix}_form": form, "open_action": prefix})


def detail_action(
    request: AuthedRequest,
    *,
    obj: Any,
    permission: str,
    form_cls: type[forms.BaseForm],
    prefix: str,
    call: Callable[[Any, dict[str, Any]], object],
    done: str,
    rerender: Callable[[dict[str, Any]], HttpResponse],
    success_url: str = "",
    files: bool = False,
    form_key: str = "",
) -> HttpResponse:
    """``post_action`` for a record already fetched through its selector: the form is bound
    to the POST (and its files, when asked) under ``prefix``; success goes back to the
    record's page (``get_absolute_url``) unless ``success_url`` says otherwise."""
    form = form_cls(request.POST, request.FILES if files else None, prefix=prefix)
    return post_action(
        request,
        permission=permission,
        form=form,
        call=lambda data: call(obj, data),
        done=done,
        success_url=success_url or obj.get_absolute_url(),
        rerender=rerender,
        prefix=prefix,
        form_key=form_key,
    )


def detail_actions(
    get: Callable[[Any, int], Any],
    detail: Callable[..., HttpResponse],
    *,
    files: bool = False,
) -> Callable[..., HttpResponse]:
    """The action runner of one kind of record, made once per detail page:

        _action = detail_actions(selectors.claim_get, claim_detail)
        ...
        return _action(request, pk, "warranty.approve", NoteForm, "approve",
                       lambda claim, d: services.claim_approve(...), _("Approved."))

    ``get(user, pk)`` is the record's selector (404 outside the user's scope) and
    ``detail(request, pk, forms_)`` its page, shown again with the failed form."""

    def run(
        request: AuthedRequest,
        pk: int,
        permission: str,
        form_cls: type[forms.BaseForm],
        prefix: str,
        call: Callable[[Any, dict[str, Any]], object],
        done: str,
    ) -> HttpResponse:
        return detail_action(
            request,
            obj=get(request.user, pk),
            permission=permission,
            form_cls=form_cls,
            prefix=prefix,
            call=call,
            done=done,
            rerender=lambda forms_: detail(request, pk, forms_),
            files=files,
        )

    return run


def count_cap() -> int:
    """Lists count exactly up to this many rows, and page no deeper (issue 15)."""
    return int(getattr(settings, "SERVICELOOP_LIST_COUNT_CAP", 10_000))


def count_upto(qs: Any, n: int) -> int:
    """How many rows, counting no further than ``n``: ``SELECT COUNT(*) FROM (… LIMIT n)``
    reads at most n index entries, however large the table."""
    if not isinstance(qs, QuerySet):
        return min(len(qs), n)
    return qs.order_by()[:n].count()


def estimated_count(qs: Any) -> int | None:
    """The planner's estimate of a list's rows on PostgreSQL (EXPLAIN: no row is read), or
    None on other databases."""
    if not isinstance(qs, QuerySet) or connections[qs.db].vendor != "postgresql":
        return None
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class CappedPaginator(Paginator):
    """A paginator that never counts or pages through a whole large table (issue 15).

    Up to ``count_cap()`` rows it counts exactly. Beyond, `capped` is set: the pages stop
    at the cap (a deeper page is answered with the last one and `Page.too_deep`, for a
    message asking to narrow the list), and the page says "10,000+" records, or "about N"
    with the planner's estimate on PostgreSQL."""

    def __init__(self, object_list: Any, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap or count_cap()
        self.capped = False
        self.estimate: int | None = None

    @cached_property
    def count(self) -> int:
        n = count_upto(self.object_list, self.cap + 1)
        if n <= self.cap:
            return n
        self.capped = True
        estimate = estimated_count(self.object_list)
        self.estimate = estimate if estimate is not None and estimate > self.cap else None
        return self.cap

    @property
    def shown(self) -> str:
        """The number of records as the page says it: exact, "about N" or "N+"."""
        if not self.capped:
            return f"{self.count:,}"
        if self.estimate is not None:
            return _("about %(n)s") % {"n": f"{self.estimate:,}"}
        return f"{self.cap:,}+"


def paginate(request: HttpRequest, qs: Any, per_page: int = 25) -> Any:
    """One page of a list, counted cheaply and no deeper than the cap (CappedPaginator)."""
    paginator = CappedPaginator(qs, per_page)
    asked = request.GET.get("page") or ""
    page = paginator.get_page(asked)
    deep = paginator.capped and asked.isdigit() and int(asked) > page.number
    page.too_deep = deep  # type: ignore[attr-defined]
    return page


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def list_template(request: HttpRequest, full: str, partial: str) -> str:
    """One view serves the full page and, for htmx requests aimed at the table, its partial."""
    if getattr(request, "htmx", False) and request.htmx.target == "results":  # type: ignore[attr-defined]
        return partial
    return full


def list_page(
    request: AuthedRequest,
    qs: Any,
    *,
    form: forms.BaseForm,
    full: str,
    partial: str = "",
    export: Callable[[Any], HttpResponse] | None = None,
    export_permission: str = "",
    **extra: Any,
) -> HttpResponse:
    """A list page: ``?export=xlsx`` answers ``export(qs)`` (after ``export_permission``);
    otherwise the filter form, one page of ``qs`` and ``extra`` in the context, the table
    alone (``partial``, if the page has one) for htmx requests aimed at it (``list_template``)."""
    if export is not None and request.GET.get("export") == "xlsx":
        require(request.user, export_permission)
        from .export_jobs import job_rows

        # counted up to the job threshold, so that a large export is handed over at once
        request.export_rows = count_upto(qs, job_rows() + 1)  # type: ignore[attr-defined]
        return export(qs)
    ctx = {
        "form": form,
        "page": paginate(request, qs),
        "qs": querystring_without_page(request),
        **extra,
    }
    return render(request, list_template(request, full, partial or full), ctx)
