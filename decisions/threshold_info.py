"""What each decision-rule threshold means and where its default comes from, for the rule-set
settings page. The page lists every field of `Thresholds` (so a threshold added later shows up
without a change here); a field described neither here nor in its dataclass metadata
(`field(metadata={"label": ..., "source": ...})`) is shown by its name with "source not
recorded", which is the cue to add it."""

from __future__ import annotations

from dataclasses import Field, dataclass, fields
from typing import Any

from django.utils.translation import gettext, gettext_noop

from mtss.lib.thresholds import Thresholds


@dataclass(frozen=True)
class ThresholdInfo:
    name: str
    label: str
    help: str
    source: str
    group: str
    kind: str  # "int", "float" or "bool"


AIMSWEB = gettext_noop("aimswebPlus bands (FastBridge uses 15/40, classic AIMSweb 15/45)")
NCII = gettext_noop(
    "NCII data-based individualization; IRIS Center wants six points before any decision"
)
SWIS = gettext_noop("SWIS practice: 0-1 major referrals Tier 1, 2-5 Tier 2, 6 or more Tier 3")
ATTENDANCE_WORKS = gettext_noop(
    "Attendance Works: chronic absence is missing 10% or more of school days"
)
EWS_COURSES = gettext_noop(
    "Early-warning indicators (Balfanz, Herzog & Mac Iver 2007): any F; 2+ core Fs"
)
MCINTOSH = gettext_noop(
    "McIntosh et al. 2010: 2 or more referrals by October 31 predicts later problems"
)

_KNOWN: dict[str, tuple[str, str, str, str]] = {
    # name: (label, help, source, group)
    "percentile_high_risk_below": (
        gettext_noop("High risk below percentile rank"),
        gettext_noop("Norm rule: a percentile rank below this is high risk."),
        AIMSWEB,
        gettext_noop("Screening"),
    ),
    "percentile_some_risk_below": (
        gettext_noop("Some risk below percentile rank"),
        gettext_noop("Norm rule: below this (and not high risk) is some risk."),
        AIMSWEB,
        gettext_noop("Screening"),
    ),
    "classwide_enabled": (
        gettext_noop("Check for classwide problems"),
        gettext_noop("A class whose median is below the benchmark gets a classwide Tier 1 flag."),
        gettext_noop("VanDerHeyden, Witt & Gilbertson 2007"),
        gettext_noop("Screening"),
    ),
    "min_points_trend": (
        gettext_noop("Points before the trend-line rule"),
        gettext_noop("With at least this many points the trend is compared with the aim line."),
        gettext_noop("Trend-line rule (NCII); domain.md section 3"),
        gettext_noop("Progress monitoring"),
    ),
    "min_points_data_point": (
        gettext_noop("Points before the data-point rule"),
        gettext_noop(
            "With at least this many points the last points are compared with the aim line."
        ),
        NCII,
        gettext_noop("Progress monitoring"),
    ),
    "data_point_run": (
        gettext_noop("Data-point run"),
        gettext_noop("How many last points must all be above (or below) the aim line."),
        gettext_noop("Data-point rule: the last 4 points (NCII)"),
        gettext_noop("Progress monitoring"),
    ),
    "default_tolerance": (
        gettext_noop("Tolerance around the aim line (score units per week)"),
        gettext_noop("Used when a measure has no tolerance of its own."),
        gettext_noop("Pearson AIMSweb: +/-0.5 per week"),
        gettext_noop("Progress monitoring"),
    ),
    "goal_met_points": (
        gettext_noop("Points at or above the goal to exit"),
        gettext_noop("Consecutive points at or above the goal that recommend exit or fading."),
        gettext_noop("Exit criterion, domain.md section 3: the last 3 consecutive points"),
        gettext_noop("Progress monitoring"),
    ),
    "fidelity_minimum": (
        gettext_noop("Fidelity minimum (0.80 = 80%)"),
        gettext_noop("Below it, 'change the intervention' becomes 'deliver the plan as written'."),
        gettext_noop("Fidelity gate, domain.md section 3 (80%)"),
        gettext_noop("Progress monitoring"),
    ),
    "odr_tier2_at": (
        gettext_noop("Office referrals for Tier 2"),
        gettext_noop(
            "Referrals this school year from which behavior support at Tier 2 is recommended."
        ),
        SWIS,
        gettext_noop("Behavior"),
    ),
    "odr_tier3_at": (
        gettext_noop("Office referrals for Tier 3"),
        gettext_noop("Referrals this school year from which Tier 3 is recommended."),
        SWIS,
        gettext_noop("Behavior"),
    ),
    "october_catch_count": (
        gettext_noop("Early-warning referrals"),
        gettext_noop("This many referrals by the catch date raise an early warning."),
        MCINTOSH,
        gettext_noop("Behavior"),
    ),
    "october_catch_month": (
        gettext_noop("Early-warning month"),
        gettext_noop("Month of the catch date."),
        MCINTOSH,
        gettext_noop("Behavior"),
    ),
    "october_catch_day": (
        gettext_noop("Early-warning day"),
        gettext_noop("Day of the catch date."),
        MCINTOSH,
        gettext_noop("Behavior"),
    ),
    "odr_count_minors": (
        gettext_noop("Count minor referrals too"),
        gettext_noop(
            "Off: the referral bands and the early warning count major (office-managed) "
            "referrals only. On: minor referrals count as well."
        ),
        gettext_noop(
            "SWIS counts major referrals for its tier bands; minors are classroom-managed"
        ),
        gettext_noop("Behavior"),
    ),
    "exit_at_benchmark_screening": (
        gettext_noop("Exit at benchmark at the next screening"),
        gettext_noop(
            "For interventions whose exit criteria do not say: recommend exit when the "
            "student's latest screening since the plan began is at benchmark. An "
            "intervention's own exit criteria always win."
        ),
        gettext_noop("Catalog exit criteria (or_benchmark_at_next_screening); docs/rules.md"),
        gettext_noop("Progress monitoring"),
    ),
    "dual_discrepancy_growth_percentile": (
        gettext_noop("Dual discrepancy: growth percentile"),
        gettext_noop(
            "A Tier 2 student below benchmark whose growth is below this percentile of "
            "same-grade peers' growth on the measure, with the plan delivered with fidelity, "
            "is dually discrepant (consider Tier 3)."
        ),
        gettext_noop("Fuchs & Fuchs 1998; Burns & Senesac 2005 (25th percentile)"),
        gettext_noop("Progress monitoring"),
    ),
    "chronic_absence_at": (
        gettext_noop("Chronic absence from (0.10 = 10% of days)"),
        gettext_noop(
            "Share of the school days enrolled that a student missed (excused or not) from which "
            "they are chronically absent (Tier 2)."
        ),
        ATTENDANCE_WORKS,
        gettext_noop("Early warning"),
    ),
    "chronic_absence_severe_at": (
        gettext_noop("Severe chronic absence from (0.20 = 20% of days)"),
        gettext_noop("Share of school days missed from which Tier 3 is recommended."),
        ATTENDANCE_WORKS,
        gettext_noop("Early warning"),
    ),
    "chronic_absence_min_days": (
        gettext_noop("School days before absence is judged"),
        gettext_noop("A student enrolled fewer school days than this is not judged yet."),
        gettext_noop("Local practice: 10 days (Attendance Works judges from the first month)"),
        gettext_noop("Early warning"),
    ),
    "absence_trend_days": (
        gettext_noop("Recent school days for rising absence"),
        gettext_noop(
            "Over these last school days the student missed at least the chronic share while "
            "the year so far is still under it."
        ),
        gettext_noop("Early-warning practice: a month of school days (docs/indicators.md)"),
        gettext_noop("Early warning"),
    ),
    "course_failures_flag_at": (
        gettext_noop("Failing courses that raise a flag"),
        gettext_noop(
            "Failing marks in the latest grading period from which the course flag is raised "
            "(1: any failing mark)."
        ),
        EWS_COURSES,
        gettext_noop("Early warning"),
    ),
    "core_failures_tier3_at": (
        gettext_noop("Failing core courses for Tier 3"),
        gettext_noop(
            "Failing core courses (the district's passing rule and core subjects) from which "
            "Tier 3 is recommended."
        ),
        EWS_COURSES,
        gettext_noop("Early warning"),
    ),
    "suspensions_tier2_at": (
        gettext_noop("Suspensions for Tier 2"),
        gettext_noop(
            "In- or out-of-school suspensions this school year from which Tier 2 is recommended."
        ),
        gettext_noop("Early-warning practice: any suspension (Balfanz, Herzog & Mac Iver 2007)"),
        gettext_noop("Early warning"),
    ),
    "suspensions_tier3_at": (
        gettext_noop("Suspensions for Tier 3"),
        gettext_noop("Suspensions this school year from which Tier 3 is recommended."),
        gettext_noop("Local practice: a second suspension"),
        gettext_noop("Early warning"),
    ),
}

NOT_RECORDED = gettext_noop("Source not recorded yet")


def _kind(f: Field) -> str:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "float")
    return kind if kind in ("int", "float", "bool") else "float"


def threshold_infos() -> list[ThresholdInfo]:
    """Every threshold of `Thresholds`, in its declared order, with label and source."""
    out = []
    for f in fields(Thresholds):
        meta: dict[str, Any] = dict(f.metadata or {})
        # Marked above, written here in the page's language. A threshold described only by
        # its own metadata is shown as its author wrote it.
        if f.name in _KNOWN:
            label, help_text, source, group = (gettext(t) if t else "" for t in _KNOWN[f.name])
        else:
            label, help_text = f.name.replace("_", " ").capitalize(), ""
            source, group = gettext(NOT_RECORDED), gettext("Other")
        out.append(
            ThresholdInfo(
                name=f.name,
                label=meta.get("label", label),
                help=meta.get("help", help_text),
                source=meta.get("source", source),
                group=meta.get("group", group),
                kind=_kind(f),
            )
        )
    return out
