"""Plain-language "why" sentences of the early-warning flags (the evidence the rules in
decisions/ew_rules.py write). Pure: evidence dict in, text out.

The flag keeps only the numbers (its evidence JSON); the sentence is written when a page shows
it, in the page's language (gettext; numbers by mtss.lib.wording). Two stored texts stay as the
sweep wrote them: a failing course's mark ("52%") and the suspension dates (ISO)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mtss.lib import wording


def _pct(value: float) -> str:
    return wording.percent(wording.trimmed(value * 100, 1))


def _days(n: int) -> str:
    return ngettext("%(count)s school day", "%(count)s school days", n) % {"count": n}


def explain_attendance(ev: dict[str, Any]) -> str:
    numbers = {
        "absent": ev["days_absent"],
        "days": _days(ev["days_enrolled"]),
        "share": _pct(ev["absence_share"]),
        "chronic_at": _pct(ev["chronic_at"]),
    }
    if ev.get("rule") == "absence_rising":
        return _(
            "Missed %(recent_absent)s of the last %(recent_days)s (%(recent_share)s), at or "
            "above the chronic-absence line of %(chronic_at)s, while the year so far is "
            "%(share)s (%(absent)s of %(days)s): absences are rising, Tier 2 recommended."
        ) % {
            **numbers,
            "recent_absent": ev["recent_absent"],
            "recent_days": _days(ev["recent_days"]),
            "recent_share": _pct(ev["recent_share"]),
        }
    if ev["absence_share"] >= ev["severe_at"] - 1e-9:
        return _(
            "Missed %(absent)s of %(days)s enrolled (%(share)s), at or above the "
            "chronic-absence line of %(chronic_at)s and the severe line of %(severe_at)s: "
            "Tier 3 recommended."
        ) % {**numbers, "severe_at": _pct(ev["severe_at"])}
    return (
        _(
            "Missed %(absent)s of %(days)s enrolled (%(share)s), at or above the chronic-absence "
            "line of %(chronic_at)s: Tier 2 recommended."
        )
        % numbers
    )


def _course(c: dict[str, Any]) -> str:
    names = {"course": c["course"], "mark": c["mark"], "period": c["period"]}
    if c["core"]:
        return _("%(course)s %(mark)s (%(period)s, core)") % names
    return _("%(course)s %(mark)s (%(period)s)") % names


def explain_course_failure(ev: dict[str, Any]) -> str:
    n, core = ev["failing"], ev["failing_core"]
    if core:
        failing = ngettext(
            "Failing %(count)s course in the latest grading period, %(core)s of them core",
            "Failing %(count)s courses in the latest grading period, %(core)s of them core",
            n,
        ) % {"count": n, "core": core}
    else:
        failing = ngettext(
            "Failing %(count)s course in the latest grading period",
            "Failing %(count)s courses in the latest grading period",
            n,
        ) % {"count": n}
    if core >= ev["core_tier3_at"]:
        verdict = _("Tier 3 recommended (%(core_at)s or more failing core courses).") % {
            "core_at": ev["core_tier3_at"]
        }
    else:
        verdict = _("Tier 2 recommended.")
    # Translators: the failing count, the list of courses, then the recommendation.
    return _("%(failing)s: %(courses)s. %(verdict)s") % {
        "failing": failing,
        "courses": ", ".join(_course(c) for c in ev.get("courses", [])),
        "verdict": verdict,
    }


def explain_suspension(ev: dict[str, Any]) -> str:
    n = ev["suspensions"]
    out = ev.get("out_of_school", 0)
    if out:
        count = ngettext(
            "%(count)s suspension this school year (%(out)s out of school)",
            "%(count)s suspensions this school year (%(out)s out of school)",
            n,
        ) % {"count": n, "out": out}
    else:
        count = ngettext(
            "%(count)s suspension this school year", "%(count)s suspensions this school year", n
        ) % {"count": n}
    return _(
        "%(suspensions)s, on %(dates)s: Tier %(tier)s recommended (Tier 2 from %(tier2_at)s, "
        "Tier 3 from %(tier3_at)s)."
    ) % {
        "suspensions": count,
        "dates": ", ".join(ev.get("dates", [])),
        "tier": 3 if n >= ev["tier3_at"] else 2,
        "tier2_at": ev["tier2_at"],
        "tier3_at": ev["tier3_at"],
    }


EXPLAINERS = {
    "chronic_absence": explain_attendance,
    "absence_rising": explain_attendance,
    "course_failure": explain_course_failure,
    "suspension": explain_suspension,
}
