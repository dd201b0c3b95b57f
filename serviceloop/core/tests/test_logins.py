"""Login throttling and API tokens (issue 9, finding 4; interface.md "Security")."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from serviceloop.core.models import ApiToken, AuditEntry
from serviceloop.core.testing.factories import UserFactory, user_with
from serviceloop.core.tokens import MAX_ACTIVE, token_issue

pytestmark = pytest.mark.django_db
PASSWORD = "right-pass-1234"


def token_call(client, username, password):
    return client.post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


@pytest.fixture
def alice():
    user = UserFactory(username="alice")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_api_locks_a_username_after_five_failures(alice, caplog):
    client = Client()
    for _ in range(5):
        assert token_call(client, "alice", "wrong").status_code in (401, 429)
    r = token_call(client, "alice", PASSWORD)
    assert r.status_code == 429 and "detail" in r.json()
    assert not ApiToken.objects.filter(user=alice).exists()
    assert AuditEntry.objects.filter(actor_label__contains="login_throttle").exists()
    assert any("locked out" in rec.getMessage() for rec in caplog.records)


def test_lock_is_per_username_from_another_address(alice):
    for _ in range(5):
        token_call(Client(REMOTE_ADDR="10.0.0.1"), "alice", "wrong")
    assert token_call(Client(REMOTE_ADDR="10.0.0.2"), "alice", PASSWORD).status_code == 429


def test_four_failures_then_the_right_password_works(alice):
    client = Client()
    for _ in range(4):
        assert token_call(client, "alice", "wrong").status_code == 401
    assert token_call(client, "alice", PASSWORD).status_code == 200


def test_login_page_refuses_after_five_failures(alice):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "alice", "password": "wrong"})
    r = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 429
    assert b"Too many failed logins" in r.content
    assert "_auth_user_id" not in client.session


def test_token_expires(alice):
    token, raw = token_issue(actor=alice)
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me/", headers=headers).status_code == 200
    assert token.expires_at - timezone.now() > timedelta(days=89)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/me/", headers=headers).status_code == 401


def test_password_change_revokes_tokens(alice):
    _, raw = token_issue(actor=alice)
    alice.set_password("another-pass-5678")
    alice.save()
    r = Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 401
    assert AuditEntry.objects.filter(after__event="token_revoked_password_changed").exists()


def test_tokens_do_not_accumulate(alice):
    for _ in range(MAX_ACTIVE + 3):
        token_issue(actor=alice)
    assert ApiToken.objects.active().filter(user=alice).count() == MAX_ACTIVE
    assert AuditEntry.objects.filter(after__event="token_issued").count() == MAX_ACTIVE + 3


def test_owner_lists_and_revokes_own_tokens_only(api_as):
    owner, other = user_with("sales"), user_with("sales")
    api = api_as(owner)
    other_token, _ = token_issue(actor=other)
    listed = api.get("auth/tokens").json()
    assert {t["user"] for t in listed} == {owner.username}
    assert api.delete(f"auth/tokens/{other_token.pk}").status_code == 404
    mine = listed[0]["id"]
    assert api.delete(f"auth/tokens/{mine}").status_code == 204
    assert AuditEntry.objects.filter(after__event="token_revoked").count() == 1


def test_admin_lists_and_revokes_anyones_token(api_as):
    admin, other = user_with("admin"), user_with("sales")
    token, raw = token_issue(actor=other)
    api = api_as(admin)
    assert token.pk in [
        t["id"] for t in api.get("auth/tokens", {"username": other.username}).json()
    ]
    assert api.delete(f"auth/tokens/{token.pk}").status_code == 204
    assert (
        Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    )
