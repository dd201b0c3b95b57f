"""No English left on a Chinese page (issue 10, item 6): every page of the product, filled
with one record of each kind (the permission-matrix world), rendered in Chinese for the roles
that use it, shows no English word of three letters or more outside the allow-list of codes,
units and names. A heuristic on the visible text: tags, scripts, styles and attribute values
are left out."""

import re
from collections import defaultdict
from html import unescape

import factory.random
import pytest
from django.test import Client, override_settings
from django.urls import reverse

from serviceloop.core.tests.test_permission_matrix import (  # noqa: F401
    UI,
    _allowed,
    _no_pdf_layout,
    _user,
    world,
)

pytestmark = [pytest.mark.django_db, pytest.mark.db_independent]

ROLES = ["quality", "sales", "service_engineer", "warehouse", "production", "admin"]
# Codes, units, product and standard names a Chinese page legitimately shows in Latin letters.
ALLOWED = {
    "API",
    "CSV",
    "DOCX",
    "PDF",
    "XLSX",
    "ServiceLoop",
    "OEM",
    "VIN",
    "IATF",
    "Who",
    "What",
    "Why",
    "Where",
    "When",
    "How",
    "many",
    "much",
    "km",
    "SJ",
    "QP",
    "ARL",
    "CUSUM",
    "EWMA",
    "Weibull",
    "MTBF",
    "MIS",
    "ppm",
    "PPM",
    "Excel",
    "English",
    "htmx",
    "Bearer",
    "Token",
}
ALLOWED |= {"PNG", "JPEG", "GIF", "WebP", "TXT", "YYYY", "Django"}
# The backups page names the command and the setting an administrator types, as code.
ALLOWED |= {"serviceloop", "restore", "PATH", "SERVICELOOP", "BACKUP", "SCHEDULED"}
# Pages other work owns: the audit log's raw field names (readable history, issue 10 item 3)
# and the alert evidence's raw keys (issue 10 item 9).
SKIP = {"core:audit", "earlywarning:alert_detail"}
TAGS = re.compile(r"<(script|style|datalist|option|svg)\b.*?</\1>", re.S | re.I)
WORD = re.compile(r"[A-Za-z]{3,}")


def visible_text(html: str) -> str:
    body = html.split("<body", 1)[-1].split(">", 1)[-1]
    body = TAGS.sub(" ", body)
    body = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", body)  # letter forms' placeholders: code
    # The history panel is issue 10 item 3's (readable history), not this check's.
    body = re.sub(r'<ul class="timeline">.*?</ul>', " ", body, flags=re.S)
    body = re.sub(r"[\w.-]+\.(?:csv|xlsx|png|jpe?g|pdf|docx)\b", " ", body)  # file names
    body = re.sub(r"<[^>]+>", " ", body)
    return unescape(body)


def _vocabulary() -> set[str]:
    """The product's English words: those of every msgid. A word of the page counts as
    English when it is one of them (random test data seldom is)."""
    from serviceloop.core.tests.test_locale import CATALOGS, _catalog

    words: set[str] = set()
    for path in CATALOGS:
        for msgid in _catalog(path):
            if isinstance(msgid, str):
                words |= set(WORD.findall(msgid.split("\x04")[-1]))
    return words


def english_words(text: str, data_words: set[str], vocabulary: set[str]) -> set[str]:
    return {
        w
        for w in WORD.findall(text)
        if w in vocabulary and w not in ALLOWED and w not in data_words
    }


@pytest.fixture
def zh(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(scope="module", autouse=True)
def _seeded_chinese_world():
    """The module's world (built once, before the test) is made in Chinese from a fixed seed."""
    factory.random.reseed_random("chinese-pages")
    with override_settings(LANGUAGE_CODE="zh-hans"):
        yield


def test_chinese_pages_show_no_english(zh, world):  # noqa: F811
    # Words that come from the records (usernames, codes typed by the factories) are data.
    from serviceloop.core.company import company_profile
    from serviceloop.core.models import User
    from serviceloop.customers.models import Customer

    vocabulary = _vocabulary()
    data_words: set[str] = set()
    for text in (
        [*User.objects.values_list("username", flat=True)]
        + [f"{c.code} {c.name}" for c in Customer.objects.all()]
        + [company_profile().name_zh]
    ):
        data_words |= set(WORD.findall(text))
    found: dict[str, set[str]] = defaultdict(set)
    for role in ROLES:
        client = Client()
        client.force_login(_user(role, world))
        for name, (action, method, args) in UI.items():
            if method != "get" or name in SKIP or not _allowed(role, action):
                continue
            r = client.get(reverse(name, args=args(world)))
            if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
                continue
            for w in english_words(visible_text(r.content.decode()), data_words, vocabulary):
                found[w].add(name)
    assert not found, "\n".join(f"{w}: {sorted(p)[:4]}" for w, p in sorted(found.items()))
