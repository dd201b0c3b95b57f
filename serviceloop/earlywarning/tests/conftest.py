import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files of these tests go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def quality(db):
    from serviceloop.core.testing.factories import user_with

    return user_with("quality")
