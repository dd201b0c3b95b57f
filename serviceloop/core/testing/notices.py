"""Test helper: the notices of one event read in each recipient's own language (issue 10)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils import translation

from serviceloop.core.models import Notification
from serviceloop.core.notifications import VERBATIM, reader_language

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
EDGE = re.compile(r"^[\W_]+|[\W_]+$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _pieces(template: str) -> list[str]:
    """The fixed words of a message (around its placeholders), long enough to be telling."""
    words = (EDGE.sub("", p) for p in PLACEHOLDER.split(template))
    return [w for w in words if len(w) > 3]


def assert_each_reader_sees_own_language(notices: Iterable[Notification]) -> None:
    """Give the recipients of the notices alternately Chinese and English as their language
    (one recipient: read by both), then check each reads the title (and a translated body)
    in that language: the English words of the message for English, their translation and
    none of them for Chinese."""
    notices = list(notices)
    assert notices, "the event made no notice"
    langs = ["zh-hans", "en"]
    readers = [(n, langs[i % 2]) for i, n in enumerate(notices)]
    if len(notices) == 1:
        readers.append((notices[0], "en"))
    seen = set()
    for n, lang in readers:
        n.recipient.language = lang
        n.recipient.save(update_fields=["language"])
        n = Notification.objects.select_related("recipient").get(pk=n.pk)
        with translation.override(reader_language(n.recipient)):
            title, body = n.title_text, n.body_text
        assert n.title_msgid, f"{n.kind}: stored as plain text"
        for msgid, text in ((n.title_msgid, title), (n.body_msgid, body)):
            if not msgid or msgid == VERBATIM:
                continue
            with translation.override("zh-hans"):
                zh_template = translation.gettext(msgid)
            if lang == "en":
                assert all(p in text for p in _pieces(msgid)), (msgid, text)
            else:
                assert CJK.search(zh_template), f"{msgid!r} has no Chinese translation"
                assert all(p in text for p in _pieces(zh_template)), (zh_template, text)
                assert not any(p in text for p in _pieces(msgid) if not CJK.search(p)), text
        seen.add(lang)
    assert seen == {"zh-hans", "en"}
