"""Plain-language "why" sentences for rule results, with the numbers behind them.

Each function takes the JSON evidence a rule produced (the dict stored on a Flag, or
`Analysis.evidence`) and returns text a teacher can read at a meeting, for example
"8 points since 2 Sep. Trend +0.80 words/week is below the aim of 1.50 minus the tolerance of
0.50 (1.00): change the intervention." Pure: no ORM, no clock, no settings; dates come from
the evidence. `explain(evidence)` picks the right function from `evidence["kind"]`.

Flags store these numbers, never the sentence: it is written when a page shows it, in the
page's language. Every sentence is one catalog message with named placeholders (a translator
may reorder it); the numbers and dates inside follow the active locale (mtss.lib.wording).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from indicators.explain import EXPLAINERS as EARLY_WARNING
from interventions.analysis.facts import Analysis
from interventions.explain_progress import explain_progress
from interventions.explain_words import num, tier_phrase
from mtss.lib import wording
from students.models import grade_label

__all__ = ["explain", "explain_analysis", "explain_classwide", "explain_odr", "explain_progress"]


def _day(iso: str, *, reference: str | None = None) -> str:
    """'2 Sep', with the year when it differs from the reference date's year."""
    day = date.fromisoformat(iso)
    other_year = reference is None or date.fromisoformat(reference).year != day.year
    return wording.short_day(day, with_year=other_year)


# --- screening -----------------------------------------------------------------------------


def _measure(score: dict[str, Any]) -> str:
    return str(score.get("measure_name") or score.get("measure_code") or _("The measure"))


def _measure_of(evidence: dict[str, Any]) -> str:
    """A classwide problem's measure by name; older evidence has only the code."""
    return str(evidence.get("measure_name") or evidence.get("measure_code") or _("this measure"))


# Lazy: a sentence translates only the words it uses (a page writes dozens of sentences).
_SEASONS = {
    "fall": pgettext_lazy("screening season, in a sentence", "fall"),
    "winter": pgettext_lazy("screening season, in a sentence", "winter"),
    "spring": pgettext_lazy("screening season, in a sentence", "spring"),
}
_RISK_WORDS = {
    "high_risk": pgettext_lazy("risk level", "high risk"),
    "some_risk": pgettext_lazy("risk level", "some risk"),
    "at_or_above": pgettext_lazy("risk level", "at or above"),
}
_RANGES = {
    "high_risk": gettext_lazy("%(name)s is in the high-risk range%(where)s"),
    "some_risk": gettext_lazy("%(name)s is in the some-risk range%(where)s"),
    "at_or_above": gettext_lazy("%(name)s is in the low-risk range%(where)s"),
    None: gettext_lazy("%(name)s is in the unknown range%(where)s"),
}


def _season(code: str) -> str:
    return str(_SEASONS.get(code, code))


def _risk_words(code: Any) -> str:
    return str(_RISK_WORDS.get(code, str(code or "").replace("_", " ")))


def _score_clause(score: dict[str, Any], season: str | None) -> str:
    numbers = {"measure": _measure(score), "score": num(score.get("score"))}
    if season:
        name = _("%(measure)s %(score)s in %(season)s") % {**numbers, "season": _season(season)}
    else:
        name = pgettext("a measure and its score", "%(measure)s %(score)s") % numbers
    higher = score.get("higher_is_better", True) is not False
    risk = score.get("risk_level")
    benchmark, cut = score.get("benchmark"), score.get("high_risk_cut")
    context = []
    if score.get("grade") is not None:
        context.append(_("grade %(grade)s") % {"grade": grade_label(score["grade"])})
    if score.get("cut_score_version") is not None:
        context.append(_("cut-score set v%(version)s") % {"version": score["cut_score_version"]})
    values = {
        "name": name,
        "where": f" ({', '.join(context)})" if context else "",
        "benchmark": num(benchmark),
        "cut": num(cut),
    }

    if benchmark is not None and (cut is not None or risk == "at_or_above"):
        if risk == "high_risk":
            if higher:
                return _("%(name)s is below the cut point for risk %(cut)s%(where)s") % values
            return _("%(name)s is above the cut point for risk %(cut)s%(where)s") % values
        if risk == "some_risk":
            if higher:
                text = _(
                    "%(name)s is below the benchmark %(benchmark)s but not below the cut point "
                    "for risk %(cut)s%(where)s"
                )
            else:
                text = _(
                    "%(name)s is above the benchmark %(benchmark)s but not above the cut point "
                    "for risk %(cut)s%(where)s"
                )
            return text % values
        if higher:
            return _("%(name)s is at or above the benchmark %(benchmark)s%(where)s") % values
        return _("%(name)s is at or below the benchmark %(benchmark)s%(where)s") % values
    if score.get("percentile_rank") is not None:
        rank = {"name": name, "rank": wording.ordinal(int(score["percentile_rank"]))}
        if score.get("grade") is not None:
            return _(
                "%(name)s is at the %(rank)s percentile of the district's grade %(grade)s students"
            ) % {**rank, "grade": grade_label(score["grade"])}
        return _("%(name)s is at the %(rank)s percentile of the district's students") % rank
    return str(_RANGES.get(risk, _RANGES[None])) % values


def explain_screening(evidence: dict[str, Any]) -> str:
    """Why a screening tier was recommended: the deciding scores, then the others."""
    season = evidence.get("season")
    scores = evidence.get("scores", [])
    deciding = [s for s in scores if s.get("decisive")]
    others = [s for s in scores if not s.get("decisive")]
    clauses = "; ".join(_score_clause(s, season) for s in deciding) or _("No classified score")
    # Translators: the deciding scores, then what the rules recommend.
    sentences = [
        _("%(scores)s: %(recommendation)s.")
        % {
            "scores": clauses,
            "recommendation": tier_phrase(int(evidence.get("recommended_tier", 1))),
        }
    ]
    if others:
        listed = ", ".join(
            _("%(measure)s %(score)s (%(risk)s)")
            % {
                "measure": _measure(s),
                "score": num(s.get("score")),
                "risk": _risk_words(s.get("risk_level", "")),
            }
            for s in others
        )
        sentences.append(_("Also considered: %(scores)s.") % {"scores": listed})
    for problem in evidence.get("classwide", []):
        values = {"measure": _measure_of(problem), "median": num(problem.get("median_score"))}
        if problem.get("benchmark") is not None:
            text = _(
                "This student's class has a classwide problem in %(measure)s (class median "
                "%(median)s, benchmark %(benchmark)s): core instruction for the whole class "
                "comes first."
            )
            values["benchmark"] = num(problem["benchmark"])
        else:
            text = _(
                "This student's class has a classwide problem in %(measure)s (class median "
                "%(median)s): core instruction for the whole class comes first."
            )
        sentences.append(text % values)
    return " ".join(sentences)


def _classwide_finding(evidence: dict[str, Any]) -> str:
    n, n_below = int(evidence.get("n", 0)), int(evidence.get("n_below_benchmark", 0))
    values = {
        "measure": _measure_of(evidence),
        "counts": ngettext(
            "%(below)s of %(count)s student did not reach the benchmark",
            "%(below)s of %(count)s students did not reach the benchmark",
            n,
        )
        % {"below": n_below, "count": n},
        "median": num(evidence.get("median_score")),
        "benchmark": num(evidence.get("benchmark")),
    }
    if evidence.get("mixed_benchmarks"):
        return _(
            "Compared with each student's own grade benchmark (%(benchmarks)s), the class's "
            "median distance on %(measure)s is %(gap)s (%(counts)s)"
        ) % {
            **values,
            "benchmarks": ", ".join(num(b) for b in evidence.get("benchmarks", [])),
            "gap": num(evidence.get("median_gap")),
        }
    higher = evidence.get("higher_is_better", True) is not False
    short = (evidence.get("median_gap") or 0) < 0
    sentences = {
        (True, True): gettext_lazy(
            "The class median on %(measure)s is %(median)s, below the benchmark %(benchmark)s "
            "(%(counts)s)"
        ),
        (True, False): gettext_lazy(
            "The class median on %(measure)s is %(median)s, not below the benchmark "
            "%(benchmark)s (%(counts)s)"
        ),
        (False, True): gettext_lazy(
            "The class median on %(measure)s is %(median)s, above the benchmark %(benchmark)s "
            "(%(counts)s)"
        ),
        (False, False): gettext_lazy(
            "The class median on %(measure)s is %(median)s, not above the benchmark "
            "%(benchmark)s (%(counts)s)"
        ),
    }
    return str(sentences[(higher, short)]) % values


def explain_classwide(evidence: dict[str, Any]) -> str:
    """Why a class section has (or has not) a classwide problem on a measure."""
    finding = {"finding": _classwide_finding(evidence)}
    if not evidence.get("rule_enabled", True):
        return _("%(finding)s. The classwide rule is switched off for this district.") % finding
    if evidence.get("classwide_problem"):
        return (
            _(
                "%(finding)s: a classwide problem. Strengthen core (Tier 1) instruction for the "
                "whole class first; individual Tier 2 flags from this class are marked."
            )
            % finding
        )
    return _("%(finding)s: no classwide problem.") % finding


def _referrals(n: int, *, major: bool) -> str:
    if major:
        return ngettext(
            "%(count)s major office discipline referral",
            "%(count)s major office discipline referrals",
            n,
        ) % {"count": n}
    return ngettext(
        "%(count)s office discipline referral", "%(count)s office discipline referrals", n
    ) % {"count": n}


def explain_odr(evidence: dict[str, Any]) -> str:
    """Why an office-discipline-referral band or the October catch applies."""
    # Evidence from before minors were told apart has no counted_severities: say "office
    # discipline referral" as it did then.
    major = evidence.get("counted_severities") == ["major"]
    if evidence.get("kind") == "october_catch":
        catch = evidence["october_catch_date"]
        dates = [d for d in evidence.get("referral_dates", []) if d <= catch]
        n = int(evidence.get("october_referrals", len(dates)))
        values = {"referrals": _referrals(n, major=major), "date": _day(catch, reference=catch)}
        if dates:
            values["dates"] = wording.and_list([_day(d, reference=catch) for d in dates])
            counted = _("%(referrals)s by %(date)s (on %(dates)s)") % values
        else:
            counted = _("%(referrals)s by %(date)s") % values
        if n >= int(evidence.get("october_catch_count", 2)):
            return _(
                "%(referrals)s: an early warning, as students with two or more referrals by the "
                "end of October tend to keep receiving them. Tier 2 behavior support recommended."
            ) % {"referrals": counted}
        return _("%(referrals)s: no early warning.") % {"referrals": counted}
    count = int(evidence.get("referrals", 0))
    start = _day(evidence["year_start"], reference=evidence.get("as_of"))
    tier = int(evidence.get("recommended_tier", 1))
    tier2_at, tier3_at = evidence.get("tier2_at", 2), evidence.get("tier3_at", 6)
    values = {
        "recommendation": tier_phrase(tier),
        "tier2_at": tier2_at,
        "tier3_at": tier3_at,
        "below_tier3": int(tier3_at) - 1,
    }
    if tier == 1:
        band = _("Fewer than %(tier2_at)s referrals: %(recommendation)s.")
    elif tier == 2:
        band = _("%(tier2_at)s to %(below_tier3)s referrals: %(recommendation)s.")
    else:
        band = _("%(tier3_at)s or more referrals: %(recommendation)s.")
    lead = _("%(referrals)s this school year (since %(date)s).") % {
        "referrals": _referrals(count, major=major),
        "date": start,
    }
    return f"{lead} {band % values}"


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
    if kind in EARLY_WARNING:
        return EARLY_WARNING[kind](evidence)
    raise ValueError(f"no explanation for evidence of kind {kind!r}")
