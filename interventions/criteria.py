"""Entry and exit criteria of a catalog intervention: their structured form and the checks.

Pure: plain dicts and values in, normalised dicts, verdicts and sentences out; no ORM, no clock.

Entry criteria (all keys optional; an empty dict admits everyone)::

    {"domain_risk_in": ["some_risk", "high_risk"],  # the student's latest screening risk
                                                    # in the plan's domain is one of these
     "grades": [1, 5]}                              # the student's grade, both ends included

Exit criteria (all keys optional)::

    {"goal_met_points": 3,                          # exit when this many consecutive points
                                                    # are at or above the goal
     "or_benchmark_at_next_screening": true}        # or when the next screening score in
                                                    # the domain is at or above benchmark

Unknown keys are refused, so a typo in an admin-edited entry ("grade" for "grades") is caught
instead of silently admitting everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from mtss.lib import wording
from mtss.lib.vocabulary import RiskLevel
from students.models import GRADE_MAX, GRADE_MIN, grade_label

ENTRY_KEYS = ("domain_risk_in", "grades")
EXIT_KEYS = ("goal_met_points", "or_benchmark_at_next_screening")


def _risk_words() -> dict[str, str]:
    return {
        RiskLevel.AT_OR_ABOVE.value: gettext("at or above benchmark"),
        RiskLevel.SOME_RISK.value: gettext("some risk"),
        RiskLevel.HIGH_RISK.value: gettext("high risk"),
    }


def _refuse_unknown(data: Mapping[str, Any], known: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ValidationError(
            gettext("Unknown %(what)s criteria: %(join)s. Use only: %(join2)s.")
            % {"what": what, "join": ", ".join(unknown), "join2": ", ".join(known)}
        )


def validate_entry_criteria(data: Any) -> dict[str, Any]:
    """The entry criteria in normal form, or a ValidationError saying what is wrong."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValidationError(gettext('Entry criteria must be an object, like {"grades": [1, 5]}.'))
    _refuse_unknown(data, ENTRY_KEYS, "entry")
    result: dict[str, Any] = {}
    if "domain_risk_in" in data:
        levels = data["domain_risk_in"]
        if not isinstance(levels, list | tuple) or not levels:
            raise ValidationError(
                gettext("domain_risk_in must be a non-empty list of risk levels.")
            )
        bad = [level for level in levels if level not in RiskLevel.values]
        if bad:
            raise ValidationError(
                gettext("domain_risk_in: %(join)s is not a risk level (use %(join2)s).")
                % {"join": ", ".join(map(str, bad)), "join2": ", ".join(RiskLevel.values)}
            )
        # Normal form: the catalog's order, no repeats.
        result["domain_risk_in"] = [v for v in RiskLevel.values if v in levels]
    if "grades" in data:
        grades = data["grades"]
        if (
            not isinstance(grades, list | tuple)
            or len(grades) != 2
            or not all(isinstance(g, int) and not isinstance(g, bool) for g in grades)
        ):
            raise ValidationError(gettext("grades must be two whole numbers [lowest, highest]."))
        low, high = grades
        if not GRADE_MIN <= low <= high <= GRADE_MAX:
            raise ValidationError(
                gettext(
                    "grades must satisfy %(MIN)s <= lowest <= highest <= %(MAX)s (-1 is pre-K, 0 kindergarten)."
                )
                % {"MIN": GRADE_MIN, "MAX": GRADE_MAX}
            )
        result["grades"] = [low, high]
    return result


def validate_exit_criteria(data: Any) -> dict[str, Any]:
    """The exit criteria in normal form, or a ValidationError saying what is wrong."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValidationError(
            gettext('Exit criteria must be an object, like {"goal_met_points": 3}.')
        )
    _refuse_unknown(data, EXIT_KEYS, "exit")
    result: dict[str, Any] = {}
    if "goal_met_points" in data:
        points = data["goal_met_points"]
        if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 20:
            raise ValidationError(gettext("goal_met_points must be a whole number from 1 to 20."))
        result["goal_met_points"] = points
    if "or_benchmark_at_next_screening" in data:
        flag = data["or_benchmark_at_next_screening"]
        if not isinstance(flag, bool):
            raise ValidationError(gettext("or_benchmark_at_next_screening must be true or false."))
        result["or_benchmark_at_next_screening"] = flag
    return result


def validate_checklist(items: Any) -> list[str]:
    """A fidelity checklist: a list of non-empty, distinct statements."""
    if items is None:
        return []
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ValidationError(gettext("The fidelity checklist must be a list of statements."))
    cleaned = [i.strip() for i in items]
    if any(not i for i in cleaned):
        raise ValidationError(gettext("A fidelity checklist item cannot be empty."))
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(gettext("The fidelity checklist lists the same item twice."))
    return cleaned


@dataclass(frozen=True)
class EntryCheck:
    """Whether a student meets an intervention's entry criteria, with one line per criterion."""

    met: bool
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"met": self.met, "reasons": list(self.reasons)}


def entry_check(
    criteria: Mapping[str, Any],
    *,
    grade: int,
    risk_level: str | None,
    domain_label: str,
) -> EntryCheck:
    """Check a student against normalised entry criteria.

    `risk_level` is the student's latest screening risk in the plan's domain (None when the
    student has no classified screening score there): a risk criterion is then not met, since
    nothing shows the student needs the support.
    """
    met = True
    reasons: list[str] = []
    levels = [v for v in RiskLevel.values if v in (criteria.get("domain_risk_in") or [])]
    if levels:
        words = _risk_words()
        values = {
            "domain": domain_label.lower(),
            "wanted": wording.or_list([words[v] for v in levels]),
            "risk": words.get(risk_level or "", risk_level),
        }
        if risk_level is None:
            met = False
            reasons.append(
                gettext(
                    "No screening result in %(domain)s yet; this intervention is for students "
                    "at %(wanted)s."
                )
                % values
            )
        elif risk_level in levels:
            reasons.append(
                gettext(
                    "Latest %(domain)s screening: %(risk)s (the intervention is for %(wanted)s)."
                )
                % values
            )
        else:
            met = False
            reasons.append(
                gettext(
                    "Latest %(domain)s screening: %(risk)s; this intervention is for students at "
                    "%(wanted)s."
                )
                % values
            )
    grades = criteria.get("grades")
    if grades:
        low, high = grades
        values = {"grade": grade_label(grade), "low": grade_label(low), "high": grade_label(high)}
        if low <= grade <= high:
            reasons.append(
                gettext("Grade %(grade)s is within grades %(low)s to %(high)s.") % values
            )
        else:
            met = False
            reasons.append(
                gettext("Grade %(grade)s is outside grades %(low)s to %(high)s.") % values
            )
    if not reasons:
        reasons.append(gettext("This intervention has no entry criteria."))
    return EntryCheck(met=met, reasons=reasons)


def describe_entry(criteria: Mapping[str, Any]) -> str:
    """'Students at some risk or high risk in the domain, grades 1 to 5.'"""
    values: dict[str, str] = {}
    if criteria.get("domain_risk_in"):
        words = _risk_words()
        values["risks"] = wording.or_list([words[v] for v in criteria["domain_risk_in"]])
    if criteria.get("grades"):
        low, high = criteria["grades"]
        values.update(low=grade_label(low), high=grade_label(high))
    if "risks" in values and "low" in values:
        return (
            gettext("Students at %(risks)s on screening in the domain, grades %(low)s to %(high)s.")
            % values
        )
    if "risks" in values:
        return gettext("Students at %(risks)s on screening in the domain.") % values
    if "low" in values:
        return gettext("Grades %(low)s to %(high)s.") % values
    return gettext("No entry criteria.")


def describe_exit(criteria: Mapping[str, Any]) -> str:
    """'Goal met on 3 consecutive points, or at benchmark at the next screening.'"""
    n = criteria.get("goal_met_points")
    benchmark = criteria.get("or_benchmark_at_next_screening")
    if n and benchmark:
        return ngettext(
            "Goal met on %(count)s consecutive point, or at benchmark at the next screening.",
            "Goal met on %(count)s consecutive points, or at benchmark at the next screening.",
            n,
        ) % {"count": n}
    if n:
        return ngettext(
            "Goal met on %(count)s consecutive point.",
            "Goal met on %(count)s consecutive points.",
            n,
        ) % {"count": n}
    if benchmark:
        return gettext("At benchmark at the next screening.")
    return gettext("No exit criteria; the team decides.")
