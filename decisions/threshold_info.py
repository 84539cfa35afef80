"""What each decision-rule threshold means and where its default comes from, for the rule-set
settings page. The page lists every field of `Thresholds` (so a threshold added later shows up
without a change here); a field described neither here nor in its dataclass metadata
(`field(metadata={"label": ..., "source": ...})`) is shown by its name with "source not
recorded", which is the cue to add it."""

from __future__ import annotations

from dataclasses import Field, dataclass, fields
from typing import Any

from mtss.lib.thresholds import Thresholds


@dataclass(frozen=True)
class ThresholdInfo:
    name: str
    label: str
    help: str
    source: str
    group: str
    kind: str  # "int", "float" or "bool"


AIMSWEB = "aimswebPlus bands (FastBridge uses 15/40, classic AIMSweb 15/45)"
NCII = "NCII data-based individualization; IRIS Center wants six points before any decision"
SWIS = "SWIS practice: 0-1 major referrals Tier 1, 2-5 Tier 2, 6 or more Tier 3"
ATTENDANCE_WORKS = "Attendance Works: chronic absence is missing 10% or more of school days"
EWS_COURSES = "Early-warning indicators (Balfanz, Herzog & Mac Iver 2007): any F; 2+ core Fs"
MCINTOSH = "McIntosh et al. 2010: 2 or more referrals by October 31 predicts later problems"

_KNOWN: dict[str, tuple[str, str, str, str]] = {
    # name: (label, help, source, group)
    "percentile_high_risk_below": (
        "High risk below percentile rank",
        "Norm rule: a percentile rank below this is high risk.",
        AIMSWEB,
        "Screening",
    ),
    "percentile_some_risk_below": (
        "Some risk below percentile rank",
        "Norm rule: below this (and not high risk) is some risk.",
        AIMSWEB,
        "Screening",
    ),
    "classwide_enabled": (
        "Check for classwide problems",
        "A class whose median is below the benchmark gets a classwide Tier 1 flag.",
        "VanDerHeyden, Witt & Gilbertson 2007",
        "Screening",
    ),
    "min_points_trend": (
        "Points before the trend-line rule",
        "With at least this many points the trend is compared with the aim line.",
        "Trend-line rule (NCII); domain.md section 3",
        "Progress monitoring",
    ),
    "min_points_data_point": (
        "Points before the data-point rule",
        "With at least this many points the last points are compared with the aim line.",
        NCII,
        "Progress monitoring",
    ),
    "data_point_run": (
        "Data-point run",
        "How many last points must all be above (or below) the aim line.",
        "Data-point rule: the last 4 points (NCII)",
        "Progress monitoring",
    ),
    "default_tolerance": (
        "Tolerance around the aim line (score units per week)",
        "Used when a measure has no tolerance of its own.",
        "Pearson AIMSweb: +/-0.5 per week",
        "Progress monitoring",
    ),
    "goal_met_points": (
        "Points at or above the goal to exit",
        "Consecutive points at or above the goal that recommend exit or fading.",
        "Exit criterion, domain.md section 3: the last 3 consecutive points",
        "Progress monitoring",
    ),
    "fidelity_minimum": (
        "Fidelity minimum (0.80 = 80%)",
        "Below it, 'change the intervention' becomes 'deliver the plan as written'.",
        "Fidelity gate, domain.md section 3 (80%)",
        "Progress monitoring",
    ),
    "odr_tier2_at": (
        "Office referrals for Tier 2",
        "Referrals this school year from which behavior support at Tier 2 is recommended.",
        SWIS,
        "Behavior",
    ),
    "odr_tier3_at": (
        "Office referrals for Tier 3",
        "Referrals this school year from which Tier 3 is recommended.",
        SWIS,
        "Behavior",
    ),
    "october_catch_count": (
        "Early-warning referrals",
        "This many referrals by the catch date raise an early warning.",
        MCINTOSH,
        "Behavior",
    ),
    "october_catch_month": (
        "Early-warning month",
        "Month of the catch date.",
        MCINTOSH,
        "Behavior",
    ),
    "october_catch_day": ("Early-warning day", "Day of the catch date.", MCINTOSH, "Behavior"),
    "odr_count_minors": (
        "Count minor referrals too",
        "Off: the referral bands and the early warning count major (office-managed) "
        "referrals only. On: minor referrals count as well.",
        "SWIS counts major referrals for its tier bands; minors are classroom-managed",
        "Behavior",
    ),
    "exit_at_benchmark_screening": (
        "Exit at benchmark at the next screening",
        "For interventions whose exit criteria do not say: recommend exit when the "
        "student's latest screening since the plan began is at benchmark. An "
        "intervention's own exit criteria always win.",
        "Catalog exit criteria (or_benchmark_at_next_screening); docs/rules.md",
        "Progress monitoring",
    ),
    "dual_discrepancy_growth_percentile": (
        "Dual discrepancy: growth percentile",
        "A Tier 2 student below benchmark whose growth is below this percentile of "
        "same-grade peers' growth on the measure, with the plan delivered with fidelity, "
        "is dually discrepant (consider Tier 3).",
        "Fuchs & Fuchs 1998; Burns & Senesac 2005 (25th percentile)",
        "Progress monitoring",
    ),
    "chronic_absence_at": (
        "Chronic absence from (0.10 = 10% of days)",
        "Share of the school days enrolled that a student missed (excused or not) from which "
        "they are chronically absent (Tier 2).",
        ATTENDANCE_WORKS,
        "Early warning",
    ),
    "chronic_absence_severe_at": (
        "Severe chronic absence from (0.20 = 20% of days)",
        "Share of school days missed from which Tier 3 is recommended.",
        ATTENDANCE_WORKS,
        "Early warning",
    ),
    "chronic_absence_min_days": (
        "School days before absence is judged",
        "A student enrolled fewer school days than this is not judged yet.",
        "Local practice: 10 days (Attendance Works judges from the first month)",
        "Early warning",
    ),
    "absence_trend_days": (
        "Recent school days for rising absence",
        "Over these last school days the student missed at least the chronic share while "
        "the year so far is still under it.",
        "Early-warning practice: a month of school days (docs/indicators.md)",
        "Early warning",
    ),
    "course_failures_flag_at": (
        "Failing courses that raise a flag",
        "Failing marks in the latest grading period from which the course flag is raised "
        "(1: any failing mark).",
        EWS_COURSES,
        "Early warning",
    ),
    "core_failures_tier3_at": (
        "Failing core courses for Tier 3",
        "Failing core courses (the district's passing rule and core subjects) from which "
        "Tier 3 is recommended.",
        EWS_COURSES,
        "Early warning",
    ),
    "suspensions_tier2_at": (
        "Suspensions for Tier 2",
        "In- or out-of-school suspensions this school year from which Tier 2 is recommended.",
        "Early-warning practice: any suspension (Balfanz, Herzog & Mac Iver 2007)",
        "Early warning",
    ),
    "suspensions_tier3_at": (
        "Suspensions for Tier 3",
        "Suspensions this school year from which Tier 3 is recommended.",
        "Local practice: a second suspension",
        "Early warning",
    ),
}

NOT_RECORDED = "Source not recorded yet"


def _kind(f: Field) -> str:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "float")
    return kind if kind in ("int", "float", "bool") else "float"


def threshold_infos() -> list[ThresholdInfo]:
    """Every threshold of `Thresholds`, in its declared order, with label and source."""
    out = []
    for f in fields(Thresholds):
        meta: dict[str, Any] = dict(f.metadata or {})
        label, help_text, source, group = _KNOWN.get(
            f.name, (f.name.replace("_", " ").capitalize(), "", NOT_RECORDED, "Other")
        )
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
