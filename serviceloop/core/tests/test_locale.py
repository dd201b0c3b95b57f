"""Chinese labels (issue 10, item 6).

Django merges every catalog into one: the project's `serviceloop/locale` first, then the
apps in INSTALLED_APPS order. A msgid translated two ways in two catalogs shows the first
app's words everywhere, which is how the return status "received" came to read 接收日期
(complaints' column header) and the parts request "rejected" 已拒赔 (warranty's word). Every
msgid therefore has one translation across catalogs; where an English word means two things,
the code gives it a context (pgettext)."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from serviceloop.communications.models import Channel
from serviceloop.fieldservice.models import RequestStatus, ReturnStatus

ROOT = Path(settings.BASE_DIR) / "serviceloop"
CATALOGS = [ROOT / "locale"] + [
    ROOT / app / "locale"
    for app in ("core", "complaints", "warranty", "fieldservice", "earlywarning")
]


def _catalog(path: Path) -> dict[str, str]:
    mo = path / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as fh:
        return dict(gettext.GNUTranslations(fh)._catalog)  # type: ignore[attr-defined]


def test_every_msgid_has_one_translation_across_catalogs():
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in CATALOGS:
        for msgid, msgstr in _catalog(path).items():
            if not msgid or not isinstance(msgid, str):
                continue
            if msgid in seen and seen[msgid][1] != msgstr:
                clashes.append(f"{msgid!r}: {seen[msgid][0]}={seen[msgid][1]!r} {path}={msgstr!r}")
            seen.setdefault(msgid, (str(path.relative_to(ROOT)), msgstr))
    assert not clashes, "\n".join(clashes)


def test_no_fuzzy_or_empty_entries():
    for path in CATALOGS:
        po = (path / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        assert "#, fuzzy" not in po, path
        blocks = [b for b in po.split("\n\n") if "\nmsgid " in "\n" + b and "#~" not in b]
        empty = [b for b in blocks[1:] if b.rstrip().endswith('msgstr ""')]
        assert not empty, (path, empty[:3])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (lambda: ReturnStatus.RECEIVED.label, "已接收入库"),
        (lambda: RequestStatus.REJECTED.label, "已驳回"),
        (lambda: Channel.CALL.label, "来电"),
    ],
)
def test_the_reported_labels(value, expected):
    with translation.override("zh-hans"):
        assert str(value()) == expected


def test_unknown_reads_as_a_dash_not_maybe():
    with translation.override("zh-hans"):
        out = Template("{% load ui %}{{ a|yes_no }}/{{ b|yes_no }}/{{ c|yes_no }}").render(
            Context({"a": True, "b": False, "c": None})
        )
    assert out == "是/否/—"


def test_ledger_and_warehouse_words():
    with translation.override("zh-hans"):
        assert translation.pgettext("ledger", "Reference") == "单据号"
        assert translation.pgettext("warehouse check", "Checked") == "库房核对"
        assert translation.pgettext("containment quantity", "Checked") == "检查数"
