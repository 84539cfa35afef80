"""Plain-language "why" sentences for rule results, with the numbers behind them.

Each function takes the JSON evidence a rule produced (the dict stored on a Flag, or
`Analysis.evidence`) and returns text a teacher can read at a meeting, for example
"8 points since 2 Sep. Trend +0.80 words/week is below the aim of 1.50 minus the tolerance of
0.50 (1.00): change the intervention." Pure: no ORM, no clock, no settings; dates come from
the evidence. `explain(evidence)` picks the right function from `evidence["kind"]`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from interventions.analysis.facts import Analysis
from students.models import grade_label


def _num(value: float | int | None) -> str:
    """A score as people write it: 38, 72.5, 1.75 (at most two decimals)."""
    if value is None:
        return "?"
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _rate(value: float) -> str:
    """A slope with two decimals; the sign is always shown on trends."""
    return f"{value:.2f}"


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _signed_or_unknown(value: Any) -> str:
    return _signed(float(value)) if value is not None else "unknown"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _day(iso: str, *, reference: str | None = None) -> str:
    """'2 Sep', with the year when it differs from the reference date's year."""
    day = date.fromisoformat(iso)
    text = f"{day.day} {day.strftime('%b')}"
    if reference is None or date.fromisoformat(reference).year != day.year:
        text += f" {day.year}"
    return text


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _tier_phrase(tier: int) -> str:
    if tier <= 1:
        return "no extra support recommended (Tier 1)"
    return f"Tier {tier} recommended"


# --- screening -----------------------------------------------------------------------------


def _measure(score: dict[str, Any]) -> str:
    return str(score.get("measure_name") or score.get("measure_code") or "The measure")


def _measure_of(evidence: dict[str, Any]) -> str:
    """A classwide problem's measure by name; older evidence has only the code."""
    return str(evidence.get("measure_name") or evidence.get("measure_code") or "this measure")


def _score_clause(score: dict[str, Any], season: str | None) -> str:
    name = f"{_measure(score)} {_num(score.get('score'))}"
    if season:
        name += f" in {season}"
    higher = score.get("higher_is_better", True) is not False
    below, above = ("below", "above") if higher else ("above", "below")
    risk = score.get("risk_level")
    benchmark, cut = score.get("benchmark"), score.get("high_risk_cut")
    context = []
    if score.get("grade") is not None:
        context.append(f"grade {grade_label(score['grade'])}")
    if score.get("cut_score_version") is not None:
        context.append(f"cut-score set v{score['cut_score_version']}")
    where = f" ({', '.join(context)})" if context else ""

    if benchmark is not None and (cut is not None or risk == "at_or_above"):
        if risk == "high_risk":
            return f"{name} is {below} the cut point for risk {_num(cut)}{where}"
        if risk == "some_risk":
            return (
                f"{name} is {below} the benchmark {_num(benchmark)} but not {below} the cut "
                f"point for risk {_num(cut)}{where}"
            )
        return f"{name} is at or {above} the benchmark {_num(benchmark)}{where}"
    if score.get("percentile_rank") is not None:
        group = f"grade {grade_label(score['grade'])} " if score.get("grade") is not None else ""
        return (
            f"{name} is at the {_ordinal(int(score['percentile_rank']))} percentile of the "
            f"district's {group}students"
        )
    label = {"high_risk": "high-risk", "some_risk": "some-risk", "at_or_above": "low-risk"}
    return f"{name} is in the {label.get(risk, 'unknown')} range{where}"


def explain_screening(evidence: dict[str, Any]) -> str:
    """Why a screening tier was recommended: the deciding scores, then the others."""
    season = evidence.get("season")
    scores = evidence.get("scores", [])
    deciding = [s for s in scores if s.get("decisive")]
    others = [s for s in scores if not s.get("decisive")]
    clauses = "; ".join(_score_clause(s, season) for s in deciding) or "No classified score"
    text = f"{clauses}: {_tier_phrase(int(evidence.get('recommended_tier', 1)))}."
    if others:
        listed = ", ".join(
            f"{_measure(s)} {_num(s.get('score'))} ({str(s.get('risk_level', '')).replace('_', ' ')})"
            for s in others
        )
        text += f" Also considered: {listed}."
    for problem in evidence.get("classwide", []):
        text += (
            f" This student's class has a classwide problem in {_measure_of(problem)}"
            f" (class median {_num(problem.get('median_score'))}"
            + (
                f", benchmark {_num(problem['benchmark'])}"
                if problem.get("benchmark") is not None
                else ""
            )
            + "): core instruction for the whole class comes first."
        )
    return text


def explain_classwide(evidence: dict[str, Any]) -> str:
    """Why a class section has (or has not) a classwide problem on a measure."""
    measure = _measure_of(evidence)
    n, n_below = int(evidence.get("n", 0)), int(evidence.get("n_below_benchmark", 0))
    counts = f"{n_below} of {_plural(n, 'student')} did not reach the benchmark"
    higher = evidence.get("higher_is_better", True) is not False
    below = "below" if higher else "above"
    short = (evidence.get("median_gap") or 0) < 0
    if evidence.get("mixed_benchmarks"):
        benchmarks = ", ".join(_num(b) for b in evidence.get("benchmarks", []))
        finding = (
            f"Compared with each student's own grade benchmark ({benchmarks}), the class's "
            f"median distance on {measure} is {_num(evidence.get('median_gap'))} ({counts})"
        )
    else:
        finding = (
            f"The class median on {measure} is {_num(evidence.get('median_score'))}, "
            f"{'' if short else 'not '}{below} the benchmark {_num(evidence.get('benchmark'))}"
            f" ({counts})"
        )
    if not evidence.get("rule_enabled", True):
        return f"{finding}. The classwide rule is switched off for this district."
    if evidence.get("classwide_problem"):
        return (
            f"{finding}: a classwide problem. Strengthen core (Tier 1) instruction for the "
            "whole class first; individual Tier 2 flags from this class are marked."
        )
    return f"{finding}: no classwide problem."


def explain_odr(evidence: dict[str, Any]) -> str:
    """Why an office-discipline-referral band or the October catch applies."""
    count = int(evidence.get("referrals", 0))
    start = _day(evidence["year_start"], reference=evidence.get("as_of"))
    # Evidence from before minors were told apart has no counted_severities: say "office
    # discipline referral" as it did then.
    odr = (
        "major office discipline referral"
        if evidence.get("counted_severities") == ["major"]
        else "office discipline referral"
    )
    if evidence.get("kind") == "october_catch":
        catch = evidence["october_catch_date"]
        dates = [d for d in evidence.get("referral_dates", []) if d <= catch]
        n = int(evidence.get("october_referrals", len(dates)))
        by = _day(catch, reference=catch)
        listed = f" (on {_and([_day(d, reference=catch) for d in dates])})" if dates else ""
        if n >= int(evidence.get("october_catch_count", 2)):
            return (
                f"{_plural(n, odr)} by {by}{listed}: an early warning, "
                "as students with two or more referrals by the end of October tend to keep "
                "receiving them. Tier 2 behavior support recommended."
            )
        return f"{_plural(n, odr)} by {by}{listed}: no early warning."
    tier = int(evidence.get("recommended_tier", 1))
    band = {
        1: f"fewer than {evidence.get('tier2_at', 2)}",
        2: f"{evidence.get('tier2_at', 2)} to {int(evidence.get('tier3_at', 6)) - 1}",
        3: f"{evidence.get('tier3_at', 6)} or more",
    }[tier]
    return (
        f"{_plural(count, odr)} this school year (since {start}). "
        f"{band[0].upper()}{band[1:]} referrals: {_tier_phrase(tier)}."
    )


# --- progress monitoring -------------------------------------------------------------------

_ACTIONS = {
    "raise_goal": "raise the goal",
    "continue": "continue the plan",
    "change_intervention": "change the intervention",
}


def explain_progress(evidence: dict[str, Any], *, unit: str = "") -> str:
    """Why a plan got its recommendation. `unit` names the score unit ("words", "errors")."""
    per_week = f"{unit}/week" if unit else "per week"
    n = int(evidence.get("points", 0))
    higher = evidence.get("higher_is_better", True) is not False
    as_of = evidence.get("as_of")
    since = _day(evidence["phase_start"], reference=as_of)
    lead = f"{_plural(n, 'point')} since {since}."
    rule = evidence.get("rule")
    final = evidence.get("recommendation")
    before = evidence.get("recommendation_before_fidelity_gate", final)
    mirror = "" if higher else " (lower is better on this measure)"

    if rule == "goal_met":
        k = int(evidence.get("goal_met_points", 3))
        scores = ", ".join(_num(p["score"]) for p in evidence.get("recent_points", [])[-k:])
        side = "above" if higher else "below"
        return (
            f"{lead} The last {k} points ({scores}) are at or {side} the goal of "
            f"{_num(evidence.get('goal'))}: goal met. Consider exiting or fading the support."
        )

    if rule == "benchmark_at_screening":
        return (
            f"{lead} The latest screening since the plan began is at or above benchmark in "
            "this area, which this intervention's exit criteria count as meeting the goal. "
            "Consider exiting or fading the support."
        )

    if rule == "none":
        minimum = int(evidence.get("min_points_data_point", 6))
        if n < minimum:
            more = minimum - n
            return (
                f"{lead} {_plural(more, 'more point')} needed before the data can guide a "
                f"decision (the rules need {minimum})."
            )
        if evidence.get("aim_slope") is None:
            return (
                f"{lead} There is no aim line to compare with: the goal date must be after "
                "the start and the plan needs a baseline."
            )
        return f"{lead} Not enough data for a decision yet."

    if rule == "trend_line":
        trend = float(evidence["trend_slope"])
        aim = float(evidence["aim_slope"])
        tol = float(evidence["tolerance"])
        # Worded from the rule's own verdict, so a trend a rounding error past an edge
        # still reads the way the rule (which allows for rounding) decided.
        upper = f"the aim of {_rate(aim)} plus the tolerance of {_rate(tol)} ({_rate(aim + tol)})"
        lower = f"the aim of {_rate(aim)} minus the tolerance of {_rate(tol)} ({_rate(aim - tol)})"
        if before in {"raise_goal", "change_intervention"}:
            # Higher is better: raise_goal lies above the band. Lower is better: below it.
            above = (before == "raise_goal") == higher
            where = f"is above {upper}" if above else f"is below {lower}"
        else:
            where = (
                f"is within the aim of {_rate(aim)} plus or minus the tolerance of "
                f"{_rate(tol)} ({_rate(aim - tol)} to {_rate(aim + tol)})"
            )
        reason = f"Trend {_signed(trend)} {per_week} {where}{mirror}"
    else:  # data_point
        recent = evidence.get("recent_points", [])
        scores = ", ".join(_num(p["score"]) for p in recent)
        aims = ", ".join(_num(round(p["aim"], 2)) for p in recent if p.get("aim") is not None)
        side = {
            ("raise_goal", True): "all above",
            ("raise_goal", False): "all below",
            ("change_intervention", True): "all below",
            ("change_intervention", False): "all above",
        }.get((before, higher), "not all on one side of")
        reason = (
            f"The last {len(recent)} points ({scores}) are {side} the aim line ({aims}){mirror}"
        )

    text = f"{lead} {reason}"
    if final == "improve_fidelity":
        fidelity = evidence.get("fidelity")
        if fidelity is None:
            text += (
                ". No sessions are logged for this period, so we cannot tell whether the plan "
                "was delivered: log the sessions and deliver the plan as written before "
                "deciding the intervention does not work."
            )
        else:
            text += (
                f". Only {evidence.get('sessions_attended')} of "
                f"{_num(round(float(evidence.get('sessions_planned') or 0), 1))} planned "
                f"sessions were delivered ({_percent(fidelity)}, below the "
                f"{_percent(float(evidence.get('fidelity_minimum', 0.8)))} minimum): deliver "
                "the plan as written before deciding the intervention does not work."
            )
    else:
        text += f": {_ACTIONS.get(str(final), str(final).replace('_', ' '))}."
        fidelity = evidence.get("fidelity")
        if fidelity is not None and evidence.get("sessions_planned"):
            text += (
                f" Sessions: {evidence.get('sessions_attended')} delivered, "
                f"{_num(round(float(evidence['sessions_planned']), 1))} planned "
                f"(fidelity {_percent(fidelity)})."
            )
    if evidence.get("dual_discrepancy"):
        side = "below" if higher else "above"
        peers = evidence.get("growth_norm_peers")
        pct = int(evidence.get("growth_percentile", 25))
        text += (
            f" Dual discrepancy: the latest score {_num(evidence.get('latest_score'))} is "
            f"{side} the benchmark {_num(evidence.get('benchmark'))}, and growth of "
            f"{_signed_or_unknown(evidence.get('trend_slope'))} {per_week} is slower than "
            f"the {_ordinal(pct)} percentile of growth among "
            f"{_plural(int(peers or 0), 'peer')} in the same grade "
            f"({_signed_or_unknown(evidence.get('growth_norm'))} {per_week}): consider Tier 3."
        )
    return text


def _signed_or_unknown(value: Any) -> str:
    return _signed(float(value)) if value is not None else "unknown"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def explain_analysis(analysis: Analysis, *, unit: str = "") -> str:
    return explain_progress(analysis.evidence, unit=unit)


def explain(evidence: dict[str, Any], *, unit: str = "") -> str:
    """The "why" sentence for any rule's evidence, chosen by its kind."""
    kind = evidence.get("kind")
    if kind == "screening":
        return explain_screening(evidence)
    if kind == "classwide":
        return explain_classwide(evidence)
    if kind in {"odr", "october_catch"}:
        return explain_odr(evidence)
    if kind == "progress":
        return explain_progress(evidence, unit=unit)
    raise ValueError(f"no explanation for evidence of kind {kind!r}")
