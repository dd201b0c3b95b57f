"""Issue 15: quality's "my work" shows the next discipline due of each 8D report it leads and
counts the reports (not their open disciplines), overdue when the next one is late."""

from datetime import timedelta

import pytest
from django.utils import timezone

from serviceloop.complaints.tests.factories import open_report
from serviceloop.core.my_work import SHOWN
from serviceloop.core.selectors import work_groups
from serviceloop.core.testing.factories import user_with

pytestmark = pytest.mark.django_db


def test_disciplines_count_one_per_report_and_overdue_by_the_next_due():
    quality, other = user_with("quality"), user_with("quality")
    now = timezone.now()
    for days in (40, 30):  # received long ago: D0 and more are past due
        open_report(leader=quality, received_at=now - timedelta(days=days))
    for hours in range(2, 2 + SHOWN):
        open_report(leader=quality, received_at=now - timedelta(hours=hours))
    open_report(leader=other)  # another leader's report is not quality's work

    group = {g.kind: g for g in work_groups(quality)}["eightd.discipline"]
    assert group.count == SHOWN + 2  # seven reports, each with several open disciplines
    assert len(group.items) == SHOWN
    assert len({item.url.split("/")[-3] for item in group.items}) == SHOWN  # one per report
    assert group.overdue == 2
    assert all(item.overdue(now) for item in group.items[:2])
    other_group = {g.kind: g for g in work_groups(other)}["eightd.discipline"]
    assert (other_group.count, other_group.overdue) == (1, 0)
