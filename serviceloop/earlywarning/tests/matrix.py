"""Permission-matrix rows of this app (see core/tests/test_permission_matrix.py)."""


def build(w: dict) -> None:
    pass


API: dict = {}
UI: dict = {}
EXPORTS: dict = {}
