"""Deployment hardening (issue 9, finding 5): no production start without a secret key, a
Content-Security-Policy without inline script, no caching of signed-in pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from serviceloop.core.testing.factories import user_with

ROOT = Path(settings.BASE_DIR)


def _production_import(secret: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SERVICELOOP_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env["SERVICELOOP_AUDIT_KEY"] = "test-only-audit-key-0123456789abcdef0123456789"
    if secret is not None:
        env["SERVICELOOP_SECRET_KEY"] = secret
    code = "import django; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _production_import(None)
    assert result.returncode != 0 and "SERVICELOOP_SECRET_KEY" in result.stderr
    assert _production_import("k" * 60).returncode == 0


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_script_and_no_store():
    client = Client()
    client.force_login(user_with("sales"))
    r = client.get("/customers/")
    policy = r["Content-Security-Policy"]
    script = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in policy
    assert r["Cache-Control"] == "no-store"


def test_no_template_has_inline_script():
    """Inline handlers and script blocks would be blocked by the policy."""
    offenders = []
    for path in (ROOT / "serviceloop").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for marker in ("onclick=", "onsubmit=", "onchange=", "javascript:", "<script>"):
            if marker in text:
                offenders.append(f"{path.relative_to(ROOT)}: {marker}")
    assert offenders == []
