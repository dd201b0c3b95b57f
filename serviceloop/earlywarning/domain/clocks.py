"""Response times of the early warning (pure; stored on the records by the services).

The procedure sets no time for R-5.4.2; these are the company's targets, by severity:
Quality issues the written report within 7 / 14 / 30 calendar days of a high / medium /
low alert, and Sales tells the customer within one week of the issue (as for the feedback
of R-5.2.4). Days are calendar days at the same wall-clock time in the company's time zone.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from serviceloop.core.deadlines import days_after

REPORT_DAYS = {"high": 7, "medium": 14, "low": 30}
NOTIFY_DAYS = 7


def report_due(raised_at: datetime, severity: str, tz: tzinfo | None = None) -> datetime:
    """When Quality's written report on an alert is due (R-5.4.2)."""
    return days_after(raised_at, REPORT_DAYS.get(severity, REPORT_DAYS["low"]), tz)


def notification_due(issued_at: datetime, tz: tzinfo | None = None) -> datetime:
    """When Sales should have told the customer about an issued report (R-5.4.2)."""
    return days_after(issued_at, NOTIFY_DAYS, tz)
