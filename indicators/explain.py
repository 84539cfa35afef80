"""Plain-language "why" sentences of the early-warning flags (the evidence the rules in
decisions/ew_rules.py write). Pure: evidence dict in, text out."""

from __future__ import annotations

from typing import Any


def _pct(value: float) -> str:
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _days(n: int) -> str:
    return f"{n} school day{'s' if n != 1 else ''}"


def explain_attendance(ev: dict[str, Any]) -> str:
    chronic_at = _pct(ev["chronic_at"])
    if ev.get("rule") == "absence_rising":
        return (
            f"Missed {ev['recent_absent']} of the last {_days(ev['recent_days'])} "
            f"({_pct(ev['recent_share'])}), at or above the chronic-absence line of {chronic_at}, "
            f"while the year so far is {_pct(ev['absence_share'])} ({ev['days_absent']} of "
            f"{_days(ev['days_enrolled'])}): absences are rising, Tier 2 recommended."
        )
    severe = ev["absence_share"] >= ev["severe_at"] - 1e-9
    return (
        f"Missed {ev['days_absent']} of {_days(ev['days_enrolled'])} enrolled "
        f"({_pct(ev['absence_share'])}), at or above the chronic-absence line of {chronic_at}"
        + (
            f" and the severe line of {_pct(ev['severe_at'])}: Tier 3 recommended."
            if severe
            else ": Tier 2 recommended."
        )
    )


def explain_course_failure(ev: dict[str, Any]) -> str:
    courses = ", ".join(
        f"{c['course']} {c['mark']} ({c['period']}{', core' if c['core'] else ''})"
        for c in ev.get("courses", [])
    )
    n, core = ev["failing"], ev["failing_core"]
    tier = 3 if core >= ev["core_tier3_at"] else 2
    return (
        f"Failing {n} course{'s' if n != 1 else ''} in the latest grading period"
        f"{f', {core} of them core' if core else ''}: {courses}. "
        f"Tier {tier} recommended"
        + (f" ({ev['core_tier3_at']} or more failing core courses)." if tier == 3 else ".")
    )


def explain_suspension(ev: dict[str, Any]) -> str:
    n = ev["suspensions"]
    tier = 3 if n >= ev["tier3_at"] else 2
    out = ev.get("out_of_school", 0)
    return (
        f"{n} suspension{'s' if n != 1 else ''} this school year"
        f"{f' ({out} out of school)' if out else ''}, on {', '.join(ev.get('dates', []))}: "
        f"Tier {tier} recommended (Tier 2 from {ev['tier2_at']}, Tier 3 from {ev['tier3_at']})."
    )


EXPLAINERS = {
    "chronic_absence": explain_attendance,
    "absence_rising": explain_attendance,
    "course_failure": explain_course_failure,
    "suspension": explain_suspension,
}
