"""A district's decision-rule thresholds, with domain.md's defaults, and the ODR bands.

A pure value every layer may read: screening bands office referrals with it, interventions
judges progress with it, decisions stores one version per district (decisions.models.RuleSet)
and runs its rules with it.

Every number a district may change lives here, in one frozen value, so a rule run can record
exactly which thresholds produced a flag. The dict form (`to_dict` / `from_dict`) is what a
versioned RuleSet row stores as JSON; `from_dict` fills keys added after a row was saved with
today's defaults, so old rule sets keep loading.

Sources of the defaults (see docs/rules.md):
- percentile edges 10 / 25: aimswebPlus bands (FastBridge 15/40, classic AIMSweb 15/45);
- 8 points for the trend-line rule, 6 for the data-point rule, a run of 4 (NCII, IRIS Center);
- tolerance 0.5 score units per week (Pearson AIMSweb);
- goal met on 3 consecutive points; fidelity minimum 80 %;
- ODR bands 0-1 / 2-5 / 6+ (SWIS practice), October catch 2 by October 31 (McIntosh et al. 2010),
  counting major (office-managed) referrals only, as SWIS does; minors count when the district
  says so;
- exit on "at benchmark at the next screening" off unless an intervention's exit criteria or the
  district turn it on;
- dual discrepancy: growth below the 25th percentile of peers' growth and level below benchmark
  (Fuchs & Fuchs 1998; Burns & Senesac 2005);
- the classwide-problem rule (VanDerHeyden, Witt & Gilbertson 2007), on by default.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Thresholds:
    # Screening, norm rule: PR < high_risk -> high_risk, PR < some_risk -> some_risk.
    percentile_high_risk_below: int = 10
    percentile_some_risk_below: int = 25
    # Progress monitoring.
    min_points_trend: int = 8
    min_points_data_point: int = 6
    data_point_run: int = 4
    default_tolerance: float = 0.5
    goal_met_points: int = 3
    # Exit criterion "at benchmark at the next screening", where the intervention's own exit
    # criteria do not say (an intervention's value wins).
    exit_at_benchmark_screening: bool = False
    fidelity_minimum: float = 0.80
    # Dual discrepancy: growth below this percentile of peers' growth (and level below
    # benchmark).
    dual_discrepancy_growth_percentile: int = 25
    # Office discipline referrals per school year: tier 2 from 2, tier 3 from 6.
    odr_tier2_at: int = 2
    odr_tier3_at: int = 6
    # October catch: this many referrals on or before this month/day of the school year.
    october_catch_count: int = 2
    october_catch_month: int = 10
    october_catch_day: int = 31
    # SWIS counts major (office-managed) referrals; minors only when the district says so.
    odr_count_minors: bool = False
    classwide_enabled: bool = True

    def __post_init__(self) -> None:
        problems = []
        if not 0 < self.percentile_high_risk_below < self.percentile_some_risk_below < 100:
            problems.append("percentile edges must satisfy 0 < high risk < some risk < 100")
        if not 1 <= self.data_point_run <= self.min_points_data_point <= self.min_points_trend:
            problems.append("need 1 <= data-point run <= data-point minimum <= trend minimum")
        if self.min_points_trend < 2:
            problems.append("the trend-line rule needs at least 2 points")
        if self.default_tolerance < 0:
            problems.append("tolerance cannot be negative")
        if self.goal_met_points < 1:
            problems.append("goal met needs at least 1 point")
        if not 1 <= self.dual_discrepancy_growth_percentile <= 99:
            problems.append("dual-discrepancy growth percentile must be from 1 to 99")
        if not 0 <= self.fidelity_minimum <= 1:
            problems.append("fidelity minimum must be between 0 and 1")
        if not 1 <= self.odr_tier2_at < self.odr_tier3_at:
            problems.append("ODR bands must satisfy 1 <= tier 2 start < tier 3 start")
        if self.october_catch_count < 1:
            problems.append("October catch needs at least 1 referral")
        try:
            # 2001 is not a leap year, so 29 February is refused: a catch date must exist
            # every year.
            date(2001, self.october_catch_month, self.october_catch_day)
        except (TypeError, ValueError):
            problems.append("October catch month/day is not a valid date")
        if problems:
            raise ValueError("; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (ints, floats, bools)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Thresholds:
        """Build from a stored dict; missing keys take the defaults, unknown keys are refused.

        Refusing unknown keys catches typos in an admin-edited rule set instead of silently
        running with the default.
        """
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(f"unknown threshold(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            kind = known[name].type
            # Stored JSON may carry 1 for 1.0 or "0.5" from a form; coerce to the field's type.
            if kind == "bool":
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
                values[name] = value
            elif kind == "int":
                if isinstance(value, bool) or float(value) != int(float(value)):
                    raise ValueError(f"{name} must be a whole number")
                values[name] = int(float(value))
            else:
                if isinstance(value, bool):
                    raise ValueError(f"{name} must be a number")
                values[name] = float(value)
        return cls(**values)


DEFAULT_THRESHOLDS = Thresholds()


def odr_tier(count: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> int:
    """0-1 referrals Tier 1, 2-5 Tier 2, 6+ Tier 3 (defaults). `count` is the referrals
    `odr_counted_severities` counts."""
    if count >= thresholds.odr_tier3_at:
        return 3
    if count >= thresholds.odr_tier2_at:
        return 2
    return 1


def odr_counted_severities(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[str, ...]:
    """The referral severities the bands and the October catch count: majors only, as SWIS
    counts them (minors are classroom-managed), plus minors when the district says so."""
    return ("major", "minor") if thresholds.odr_count_minors else ("major",)


@dataclass(frozen=True)
class OdrBand:
    """One referral band as pages show it: 'Tier 2 range', '2–5 major referrals'."""

    tier: int
    low: int
    high: int | None  # None: no upper end ("6 or more")
    label: str
    tier_label: str


def odr_bands(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[OdrBand]:
    """The three referral bands of a district's thresholds, with their labels: the one place
    the referral page, the behavior dashboard, flags and docs take the bands from."""
    what = "referrals" if thresholds.odr_count_minors else "major referrals"
    t2, t3 = thresholds.odr_tier2_at, thresholds.odr_tier3_at

    def span(low: int, high: int) -> str:
        return f"{low} {what}" if low == high else f"{low}–{high} {what}"

    return [
        OdrBand(1, 0, t2 - 1, span(0, t2 - 1), "Tier 1 range"),
        OdrBand(2, t2, t3 - 1, span(t2, t3 - 1), "Tier 2 range"),
        OdrBand(3, t3, None, f"{t3} or more {what}", "Tier 3 range"),
    ]


def odr_bands_sentence(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """'0–1 major referrals is the Tier 1 range, 2–5 Tier 2, 6 or more Tier 3 (SWIS practice;
    minor referrals are not counted).'"""
    b1, b2, b3 = odr_bands(thresholds)
    counted = (
        "minor referrals count too, as the district set"
        if thresholds.odr_count_minors
        else "minor referrals are not counted"
    )
    return (
        f"{b1.label} is the Tier 1 range, {b2.label.split(' ')[0]} Tier 2, "
        f"{b3.label.split(' ')[0]} or more Tier 3 (SWIS practice; {counted})."
    )
