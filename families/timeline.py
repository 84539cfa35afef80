"""The evaluation timeline, as pure functions: no database, no clock (today is an argument).

IDEA (34 CFR 300.301(c)(1)) gives 60 days from the parents' consent to finish an initial
evaluation, unless the state sets its own timeline; districts configure theirs
(settings.EVALUATION_TIMELINE_DAYS), and each referral keeps the number it was opened with.
The clock counts calendar days and starts the day after consent: consent on 2 September
with 60 days gives 1 November.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_TIMELINE_DAYS = 60
SOON_DAYS = 14  # a due date this close shows as "due soon"


@dataclass(frozen=True)
class Clock:
    """Where a referral stands on its timeline."""

    state: str  # awaiting_consent | consent_refused | running | overdue | closed
    due_on: dt.date | None
    days_left: int | None

    @property
    def due_soon(self) -> bool:
        return (
            self.state == "running" and self.days_left is not None and self.days_left <= SOON_DAYS
        )


def due_date(consent_given_on: dt.date, timeline_days: int) -> dt.date:
    return consent_given_on + dt.timedelta(days=timeline_days)


def clock(
    *,
    consent_given_on: dt.date | None,
    consent_refused_on: dt.date | None,
    timeline_days: int,
    decided: bool,
    today: dt.date,
) -> Clock:
    if consent_refused_on is not None:
        return Clock("consent_refused", None, None)
    if consent_given_on is None:
        return Clock("awaiting_consent", None, None)
    due = due_date(consent_given_on, timeline_days)
    if decided:
        return Clock("closed", due, None)
    left = (due - today).days
    return Clock("overdue" if left < 0 else "running", due, left)
