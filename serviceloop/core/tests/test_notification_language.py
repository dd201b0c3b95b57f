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


def test_plain_text_notices_still_work():
    user = user_with("sales")
    n = notify([user], kind="k", title="纯文本")[0]
    assert n.title_text == "纯文本" and n.title_msgid == ""
