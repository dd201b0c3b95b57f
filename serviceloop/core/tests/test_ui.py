"""UI basics: login, language, password change, tokens on the profile page."""

import pytest
from django.conf import settings
from django.test import Client

from serviceloop.core.testing.factories import PASSWORD, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def zh_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_login_logout(client):
    user = user_with("sales")
    r = client.post("/login/", {"username": user.username, "password": "wrong"})
    assert r.status_code == 200 and not r.wsgi_request.user.is_authenticated
    r = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/my-work/").status_code == 200
    client.post("/logout/")
    assert client.get("/my-work/").status_code == 302


def test_chinese_by_default_even_with_an_english_browser(zh_default):
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    client.force_login(user_with("sales"))
    body = client.get("/my-work/").content.decode()
    assert "我的待办" in body and "My work" not in body


def test_english_on_request(zh_default):
    client = Client()
    client.force_login(user_with("sales"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/my-work/"})
    assert "My work" in client.get("/my-work/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/my-work/"})
    assert "我的待办" in client.get("/my-work/").content.decode()


def test_login_page_switches_language_without_login(zh_default):
    client = Client()
    assert "登录" in client.get("/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in" in client.get("/login/").content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_password_change(client):
    user = user_with("sales")
    client.force_login(user)
    r = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Tr1cky-new-pass",
            "new_password2": "Tr1cky-new-pass",
        },
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tr1cky-new-pass")


def test_profile_issues_and_revokes_tokens(client):
    user = user_with("sales")
    client.force_login(user)
    r = client.post("/profile/", {"action": "new_token"})
    token = r.context["new_token"]
    api = Client()
    assert api.get("/api/v1/me/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    pk = user.api_tokens.get().pk
    client.post("/profile/", {"action": "revoke", "token": pk})
    assert api.get("/api/v1/me/", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_endpoint(client):
    user = user_with("quality")
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 200
    me = client.get("/api/v1/me/", headers={"Authorization": f"Bearer {r.json()['token']}"})
    assert me.json()["roles"] == ["quality"]
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "x"},
        content_type="application/json",
    )
    assert r.status_code == 401
    r = client.post(
        "/api/v1/auth/token", {"username": user.username}, content_type="application/json"
    )
    assert r.status_code == 422


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/communications/{comm_id}/answer" in doc["paths"]
    assert "/api/v1/customers/" in doc["paths"]


def test_static_assets_are_local(client):
    client.force_login(user_with("sales"))
    body = client.get("/my-work/").content.decode()
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body
    assert client.get("/static/serviceloop/app.css").status_code == 200


def test_admin_changes_to_users_are_audited(client):
    from serviceloop.core.audit import verify_chain
    from serviceloop.core.models import AuditEntry, Role, User

    admin_user = User.objects.create_superuser("root", "root@example.cn", "pw-Admin-1")
    client.force_login(admin_user)
    target = user_with("sales")
    r = client.get(f"/admin/core/user/{target.pk}/change/")
    assert r.status_code == 200
    form = r.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        display_name="新名字",
        roles=[Role.objects.get(code="quality").pk],
        last_login_0="",
        last_login_1="",
        date_joined_0="2026-01-01",
        date_joined_1="08:00:00",
        groups=[],
        user_permissions=[],
    )
    data = {k: v for k, v in data.items() if not hasattr(v, "pk")}
    r = client.post(f"/admin/core/user/{target.pk}/change/", data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    entries = AuditEntry.objects.filter(object_type="core.user", object_id=str(target.pk))
    changed = {k for e in entries for k in (e.after or {})}
    assert "display_name" in changed and "roles" in changed
    assert verify_chain().ok


def test_non_staff_cannot_open_admin(client):
    client.force_login(user_with("sales"))
    assert client.get("/admin/").status_code == 302
