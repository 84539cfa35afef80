"""Why a progress-monitored plan got its recommendation, in words (the decision rules of
interventions.analysis: goal met, trend line, data points, fidelity, dual discrepancy).

Pure: the analysis evidence in, a paragraph out, written in the active language. Each
sentence is one catalog message with named placeholders; the paragraph joins whole sentences.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from interventions.explain_words import num, percent, rate, signed, signed_or_unknown
from mtss.lib import wording

_ACTIONS = {
    "raise_goal": gettext_lazy("raise the goal"),
    "continue": gettext_lazy("continue the plan"),
    "change_intervention": gettext_lazy("change the intervention"),
}
_ABOVE = gettext_lazy(
    "The last %(count)s points (%(scores)s) are all above the aim line (%(aims)s)"
)
_BELOW = gettext_lazy(
    "The last %(count)s points (%(scores)s) are all below the aim line (%(aims)s)"
)


def _since(evidence: dict[str, Any]) -> str:
    start = date.fromisoformat(evidence["phase_start"])
    as_of = evidence.get("as_of")
    other_year = as_of is None or date.fromisoformat(as_of).year != start.year
    return wording.short_day(start, with_year=other_year)


def _not_decided(evidence: dict[str, Any], n: int) -> str:
    """The sentence when the rules could not decide (too few points, no aim line)."""
    minimum = int(evidence.get("min_points_data_point", 6))
    if n < minimum:
        more = minimum - n
        return ngettext(
            "%(count)s more point needed before the data can guide a decision (the rules "
            "need %(minimum)s).",
            "%(count)s more points needed before the data can guide a decision (the rules "
            "need %(minimum)s).",
            more,
        ) % {"count": more, "minimum": minimum}
    if evidence.get("aim_slope") is None:
        return _(
            "There is no aim line to compare with: the goal date must be after the start and "
            "the plan needs a baseline."
        )
    return _("Not enough data for a decision yet.")


def _trend_reason(evidence: dict[str, Any], before: str, higher: bool, per_week: str) -> str:
    trend = float(evidence["trend_slope"])
    aim = float(evidence["aim_slope"])
    tol = float(evidence["tolerance"])
    values = {
        "trend": signed(trend),
        "per_week": per_week,
        "aim": rate(aim),
        "tolerance": rate(tol),
        "low": rate(aim - tol),
        "high": rate(aim + tol),
    }
    # Worded from the rule's own verdict, so a trend a rounding error past an edge still
    # reads the way the rule (which allows for rounding) decided.
    if before in {"raise_goal", "change_intervention"}:
        # Higher is better: raise_goal lies above the band. Lower is better: below it.
        if (before == "raise_goal") == higher:
            return (
                _(
                    "Trend %(trend)s %(per_week)s is above the aim of %(aim)s plus the tolerance "
                    "of %(tolerance)s (%(high)s)"
                )
                % values
            )
        return (
            _(
                "Trend %(trend)s %(per_week)s is below the aim of %(aim)s minus the tolerance of "
                "%(tolerance)s (%(low)s)"
            )
            % values
        )
    return (
        _(
            "Trend %(trend)s %(per_week)s is within the aim of %(aim)s plus or minus the "
            "tolerance of %(tolerance)s (%(low)s to %(high)s)"
        )
        % values
    )


def _points_reason(evidence: dict[str, Any], before: str, higher: bool) -> str:
    recent = evidence.get("recent_points", [])
    values = {
        "count": len(recent),
        "scores": ", ".join(num(p["score"]) for p in recent),
        "aims": ", ".join(num(round(p["aim"], 2)) for p in recent if p.get("aim") is not None),
    }
    side = {
        ("raise_goal", True): _ABOVE,
        ("raise_goal", False): _BELOW,
        ("change_intervention", True): _BELOW,
        ("change_intervention", False): _ABOVE,
    }.get((before, higher))
    if side is None:
        side = _(
            "The last %(count)s points (%(scores)s) are not all on one side of the aim line "
            "(%(aims)s)"
        )
    return str(side) % values


def _fidelity(evidence: dict[str, Any], reason: str) -> str:
    """The reason, then why the plan must be delivered as written before it is judged."""
    fidelity = evidence.get("fidelity")
    if fidelity is None:
        return _(
            "%(reason)s. No sessions are logged for this period, so we cannot tell whether "
            "the plan was delivered: log the sessions and deliver the plan as written before "
            "deciding the intervention does not work."
        ) % {"reason": reason}
    return _(
        "%(reason)s. Only %(attended)s of %(planned)s planned sessions were delivered "
        "(%(fidelity)s, below the %(minimum)s minimum): deliver the plan as written before "
        "deciding the intervention does not work."
    ) % {
        "reason": reason,
        "attended": evidence.get("sessions_attended"),
        "planned": num(round(float(evidence.get("sessions_planned") or 0), 1)),
        "fidelity": percent(fidelity),
        "minimum": percent(float(evidence.get("fidelity_minimum", 0.8))),
    }


def _dual_discrepancy(evidence: dict[str, Any], higher: bool, per_week: str) -> str:
    peers = int(evidence.get("growth_norm_peers") or 0)
    values = {
        "count": peers,
        "latest": num(evidence.get("latest_score")),
        "benchmark": num(evidence.get("benchmark")),
        "trend": signed_or_unknown(evidence.get("trend_slope")),
        "norm": signed_or_unknown(evidence.get("growth_norm")),
        "per_week": per_week,
        "rank": wording.ordinal(int(evidence.get("growth_percentile", 25))),
    }
    if higher:
        return (
            ngettext(
                "Dual discrepancy: the latest score %(latest)s is below the benchmark "
                "%(benchmark)s, and growth of %(trend)s %(per_week)s is slower than the %(rank)s "
                "percentile of growth among %(count)s peer in the same grade (%(norm)s "
                "%(per_week)s): consider Tier 3.",
                "Dual discrepancy: the latest score %(latest)s is below the benchmark "
                "%(benchmark)s, and growth of %(trend)s %(per_week)s is slower than the %(rank)s "
                "percentile of growth among %(count)s peers in the same grade (%(norm)s "
                "%(per_week)s): consider Tier 3.",
                peers,
            )
            % values
        )
    return (
        ngettext(
            "Dual discrepancy: the latest score %(latest)s is above the benchmark %(benchmark)s, "
            "and growth of %(trend)s %(per_week)s is slower than the %(rank)s percentile of "
            "growth among %(count)s peer in the same grade (%(norm)s %(per_week)s): consider "
            "Tier 3.",
            "Dual discrepancy: the latest score %(latest)s is above the benchmark %(benchmark)s, "
            "and growth of %(trend)s %(per_week)s is slower than the %(rank)s percentile of "
            "growth among %(count)s peers in the same grade (%(norm)s %(per_week)s): consider "
            "Tier 3.",
            peers,
        )
        % values
    )


def explain_progress(evidence: dict[str, Any], *, unit: str = "") -> str:
    """Why a plan got its recommendation. `unit` names the score unit ("words", "errors")."""
    # Translators: a growth rate's unit, "words/week".
    per_week = _("%(unit)s/week") % {"unit": unit} if unit else _("per week")
    n = int(evidence.get("points", 0))
    higher = evidence.get("higher_is_better", True) is not False
    lead = ngettext("%(count)s point since %(date)s.", "%(count)s points since %(date)s.", n) % {
        "count": n,
        "date": _since(evidence),
    }
    rule = evidence.get("rule")
    final = evidence.get("recommendation")
    before = evidence.get("recommendation_before_fidelity_gate", final)

    if rule == "goal_met":
        k = int(evidence.get("goal_met_points", 3))
        values = {
            "count": k,
            "scores": ", ".join(num(p["score"]) for p in evidence.get("recent_points", [])[-k:]),
            "goal": num(evidence.get("goal")),
        }
        if higher:
            met = _(
                "The last %(count)s points (%(scores)s) are at or above the goal of %(goal)s: "
                "goal met. Consider exiting or fading the support."
            )
        else:
            met = _(
                "The last %(count)s points (%(scores)s) are at or below the goal of %(goal)s: "
                "goal met. Consider exiting or fading the support."
            )
        return f"{lead} {met % values}"

    if rule == "benchmark_at_screening":
        return f"{lead} " + _(
            "The latest screening since the plan began is at or above benchmark in this area, "
            "which this intervention's exit criteria count as meeting the goal. Consider "
            "exiting or fading the support."
        )

    if rule == "none":
        return f"{lead} {_not_decided(evidence, n)}"

    if rule == "trend_line":
        reason = _trend_reason(evidence, before, higher, per_week)
    else:  # data_point
        reason = _points_reason(evidence, before, higher)
    if not higher:
        reason = _("%(reason)s (lower is better on this measure)") % {"reason": reason}

    sentences = [lead]
    if final == "improve_fidelity":
        sentences.append(_fidelity(evidence, reason))
    else:
        action = str(_ACTIONS.get(str(final), str(final).replace("_", " ")))
        # Translators: why, then what the rules recommend ("... (1.00): change the plan.").
        sentences.append(_("%(reason)s: %(action)s.") % {"reason": reason, "action": action})
        fidelity = evidence.get("fidelity")
        if fidelity is not None and evidence.get("sessions_planned"):
            sentences.append(
                _("Sessions: %(attended)s delivered, %(planned)s planned (fidelity %(share)s).")
                % {
                    "attended": evidence.get("sessions_attended"),
                    "planned": num(round(float(evidence["sessions_planned"]), 1)),
                    "share": percent(fidelity),
                }
            )
    if evidence.get("dual_discrepancy"):
        sentences.append(_dual_discrepancy(evidence, higher, per_week))
    return " ".join(sentences)
