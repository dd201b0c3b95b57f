"""Every allowed call of the permission matrix declares the exact status it answers (issue 17).

`test_permission_matrix` checks each allowed call against the app's `EXPECT` (API) and
`UI_EXPECT` (pages); these tests make sure nothing escapes that check: an allowed call without
a declared status fails here, so a call that starts answering 422 (or a page a 400) to a role
that may make it can no longer pass as "not refused"."""

from serviceloop.core.roles import RoleCode
from serviceloop.core.tests.test_permission_matrix import API, EXPECT, UI, UI_EXPECT, _allowed

ROLES = list(RoleCode.values)
# What an allowed call may be declared to answer: its success (202: an import queued), or the
# refusal the matrix world meets (a 404 for a record of another person, 409/422/400 for the
# world's state).
API_STATUSES = {200, 201, 202, 204, 400, 404, 409, 422}
PAGE_STATUSES = {200, 302, 400, 404}  # 404: a record only its owner may see (an export)


def _undeclared(rows, table):
    missing = []
    for key, (action, *_rest) in rows.items():
        roles = [r for r in ROLES if _allowed(r, action)]
        want = table.get(key)
        if want is None:
            missing += [(key, r) for r in roles[:1]]
        elif isinstance(want, dict) and "*" not in want:
            missing += [(key, r) for r in roles if r not in want]
    return missing


def _bad_values(table, allowed_statuses, rows):
    bad = []
    for key, want in table.items():
        if key not in rows:
            bad.append((key, "not in the matrix"))
            continue
        values = want if isinstance(want, dict) else {"*": want}
        bad += [(key, r) for r in values if r != "*" and r not in ROLES]
        bad += [(key, s) for s in values.values() if s not in allowed_statuses]
    return bad


def test_every_allowed_call_declares_its_status():
    assert not _undeclared(API, EXPECT), "API calls without an EXPECT status"
    assert not _undeclared(UI, UI_EXPECT), "pages without a UI_EXPECT status"


def test_declared_statuses_are_for_rows_of_the_matrix_and_known_roles():
    assert not _bad_values(EXPECT, API_STATUSES, API)
    assert not _bad_values(UI_EXPECT, PAGE_STATUSES, UI)
