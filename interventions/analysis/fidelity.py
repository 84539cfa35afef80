"""Fidelity of delivery: attended sessions against the planned dosage over a span."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from interventions.analysis.facts import SessionLog


def fidelity_of(
    *,
    phase_start: date,
    latest_point: date | None,
    sessions_per_week: float | None,
    sessions: Sequence[SessionLog],
) -> tuple[float | None, dict[str, Any]]:
    """Delivered / planned sessions from the phase start to the latest point, both inclusive.

    planned = sessions_per_week x (days in the span, both ends counted) / 7, so a span from a
    Monday to the Sunday four weeks later is 28 days = 4 weeks. Because both ends count, the
    span is never zero days long: a latest point on the phase start day gives one day,
    planned = sessions_per_week / 7. The ratio is capped at 1 (extra sessions do not make up
    for anything). None (unknown) when no session at all, attended or missed, is logged in the
    span, when there is no point yet, or when no sessions per week are planned.
    """
    detail: dict[str, Any] = {
        "sessions_attended": None,
        "sessions_logged": None,
        "sessions_planned": None,
        "span_days": None,
    }
    if latest_point is None or latest_point < phase_start:
        return None, detail
    in_span = [s for s in sessions if phase_start <= s.date <= latest_point]
    span_days = (latest_point - phase_start).days + 1
    attended = sum(1 for s in in_span if s.attended)
    detail.update(sessions_attended=attended, sessions_logged=len(in_span), span_days=span_days)
    if not sessions_per_week or sessions_per_week <= 0:
        return None, detail
    planned = sessions_per_week * span_days / 7
    detail["sessions_planned"] = planned
    if not in_span:
        return None, detail
    return min(1.0, attended / planned), detail
