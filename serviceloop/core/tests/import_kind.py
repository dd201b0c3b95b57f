"""A small kind of import for the engine's own tests: notes stored as notifications to the
importing user (a model core owns), with a natural key, a lookup and a tally."""

from typing import Any

import pytest

from serviceloop.core.audit import audit_create_rows
from serviceloop.core.bulk import Table
from serviceloop.core.importing import (
    DATE,
    INTEGER,
    TEXT,
    Column,
    Kind,
    Row,
    StoreContext,
    Stored,
)
from serviceloop.core.importing.kinds import KINDS
from serviceloop.core.models import Notification

NAME = "test-notes"
HEADERS = ["标题", "内容", "日期", "数量"]
STORE_CALLS: list[int] = []


def clean(row: Row, look: Any) -> dict[str, Any] | None:
    if row.values["title"] and row.values["title"].startswith("bad"):
        row.fail("title", "A bad title.")
    return {
        "title": row.values["title"],
        "body": row.values["body"] or "",
        "kind": "note",
        "dedupe_key": f"note:{row.values['title']}",
    }


def existing(look: Any, rows: list[dict[str, Any]]) -> dict[int, str]:
    titles = set(
        Notification.objects.filter(title__in=[r["title"] for r in rows]).values_list(
            "title", flat=True
        )
    )
    return {i: "Already there." for i, r in enumerate(rows) if r["title"] in titles}


def store(ctx: StoreContext, rows: list[dict[str, Any]]) -> Stored:
    STORE_CALLS.append(len(rows))
    fresh = existing(None, rows)
    rows = [r for i, r in enumerate(rows) if i not in fresh]
    table = Table.of(Notification)
    values = table.rows([{**r, "recipient_id": ctx.actor.pk} for r in rows], ctx.now)
    ids = table.insert(values)
    audit_create_rows(actor=ctx.actor, table=table, rows=values, ids=ids, reason=ctx.reason)
    return Stored(created=len(ids), skipped=len(fresh))


NOTES = Kind(
    name=NAME,
    label="Notes",
    permission="audit.view",
    columns=(
        Column("title", "标题", TEXT, True, ("title",), "第一条", max_length=100),
        Column("body", "内容", TEXT, aliases=("body",)),
        Column("due", "日期", DATE, aliases=("due",)),
        Column("count", "数量", INTEGER, aliases=("count",), min_value=0),
    ),
    clean=clean,
    store=store,
    key=lambda v: v["title"],
    key_field="title",
    existing=existing,
    tally=lambda v: "long" if len(v["body"]) > 5 else "short",
    store_chunk=2,
)


@pytest.fixture
def notes_kind():
    KINDS[NAME] = NOTES
    STORE_CALLS.clear()
    yield NOTES
    KINDS.pop(NAME, None)
