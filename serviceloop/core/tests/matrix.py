"""Permission-matrix rows of the core (see core/tests/test_permission_matrix.py)."""


def build(w: dict) -> None:
    pass


API = {
    ("get", "/api/v1/me/"): (None, lambda w: None),
    ("get", "/api/v1/me/work"): (None, lambda w: None),
}
PUBLIC_API = {("post", "/api/v1/auth/token")}
UI = {
    "core:home": (None, "get", lambda w: []),
    "core:my_work": (None, "get", lambda w: []),
    "core:notifications": (None, "get", lambda w: []),
    "core:notifications_read": (None, "post", lambda w: []),
    "core:audit": ("audit.view", "get", lambda w: []),
    "core:profile": (None, "get", lambda w: []),
}
EXPORTS: dict = {}
