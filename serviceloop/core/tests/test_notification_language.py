"""Notices are shown in the reader's language (issue 10, item 10): stored as a message key
and its arguments, rendered when a page shows them or an e-mail is sent."""

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext_noop

from serviceloop.core.models import Notification
from serviceloop.core.notifications import Message, notify
from serviceloop.core.tasks import send_notification_emails
from serviceloop.core.testing.factories import user_with

pytestmark = pytest.mark.django_db
MSGID = gettext_noop("Routed to %(dept)s: %(number)s %(subject)s")


def _notice(user):
    return notify(
        [user],
        kind="routed",
        title=Message(MSGID, dept="QA", number="C-1", subject="x"),
        url="/communications/",
    )[0]


def test_page_shows_the_notice_in_the_readers_language(client):
    user = user_with("sales")
    n = _notice(user)
    assert n.title_msgid == MSGID and n.title_params["number"] == "C-1"
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    zh = client.get("/notifications/").content.decode()
    client.cookies["django_language"] = "en"
    en = client.get("/notifications/").content.decode()
    assert "Routed to QA: C-1 x" in en and "Routed to QA" not in zh
    with translation.override("zh-hans"):
        chinese = Notification.objects.get(pk=n.pk).title_text
    assert chinese in zh and "C-1" in chinese


@override_settings(LANGUAGE_CODE="en", SERVICELOOP_NOTIFICATION_EMAILS=False)
def test_email_is_rendered_when_sent():
    user = user_with("sales", email="a@example.com")
    with translation.override("zh-hans"):
        n = _notice(user)
    send_notification_emails.call([n.pk])
    assert mail.outbox[-1].subject == "Routed to QA: C-1 x"


def test_notices_stored_as_plain_text_before_still_show():
    user = user_with("sales")
    n = Notification.objects.create(recipient=user, kind="k", title="纯文本")
    assert n.title_text == "纯文本" and n.title_msgid == "" and n.body_text == ""


def test_plain_text_is_refused():
    with pytest.raises(TypeError):
        notify([user_with("sales")], kind="k", title="纯文本")


@override_settings(SERVICELOOP_NOTIFICATION_EMAILS=False, LANGUAGE_CODE="zh-hans")
def test_email_is_in_the_recipients_language():
    """No choice made: the company language (Chinese); chosen English: English."""
    zh = user_with("sales", email="zh@example.com")
    en = user_with("sales", email="en@example.com", language="en")
    notices = notify(
        [zh, en], kind="routed", title=Message(MSGID, dept="QA", number="C-1", subject="x")
    )
    send_notification_emails.call([n.pk for n in notices])
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["en@example.com"] == "Routed to QA: C-1 x"
    assert "Routed to" not in subjects["zh@example.com"] and "C-1" in subjects["zh@example.com"]


def test_switching_language_is_remembered_for_emails(client):
    user = user_with("sales")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    user.refresh_from_db()
    assert user.language == "zh-hans"


def test_arguments_are_shown_in_the_readers_language():
    """Dates and times as the UI shows them, bilingual names, choice labels and nested
    messages translated, a Later argument worked out when shown."""
    import datetime as dt

    from serviceloop.core.models import Department
    from serviceloop.core.notifications import Later, choice_label

    dept = Department.objects.create(code="qa-x", name_zh="质量部X", name_en="Quality X")
    user = user_with("sales")
    msg = Message(
        gettext_noop("Routed to %(dept)s: %(number)s %(subject)s"),
        dept=dept,
        number=dt.date(2026, 3, 9),
        subject=Message(gettext_noop("system")),
    )
    n = notify([user], kind="k", title=msg, body=Message.verbatim("原文"))[0]
    n = Notification.objects.get(pk=n.pk)
    with translation.override("en"):
        assert n.title_text == "Routed to Quality X: 2026-03-09 system"
        assert n.body_text == "原文"
    with translation.override("zh-hans"):
        assert "质量部X" in n.title_text and "2026-03-09" in n.title_text
        assert "system" not in n.title_text
    from django.utils.translation import gettext_lazy

    lazy = Message(
        gettext_noop("Routed to %(dept)s: %(number)s %(subject)s"),
        dept=gettext_lazy("system"),
        number=1,
        subject="",
    )
    with translation.override("en"):
        assert str(lazy).startswith("Routed to system:")
    with translation.override("zh-hans"):
        assert "system" not in str(lazy)
    later = Message("%(text)s", text=Later("serviceloop.core.people.full_name", "San", "Zhang"))
    assert str(later) == "San Zhang"
    user.language = "en"
    assert choice_label(user, "language") == "English"
