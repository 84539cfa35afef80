"""From one class's screening results to proposed groups (pure: plain values in, plain values
out; no ORM, no clock).

Measures carry no sub-skill scores in the data model, so "skill need" works at the level of
the measure: each measure screens one skill (Measure.skill, else its domain's general skill)
and a student needs a skill when their risk on that measure is some or high risk. The student
joins the group of their neediest skill (high risk before some risk, ties by the skill's
name), which decisions.group_proposal computes from `skills` given as need ranks. Students
at or above benchmark on every measure, and students not screened yet, are grouped apart
(by risk) so they are never filed under a skill they do not need.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from decisions.group_proposal import BY_RISK, BY_SKILL, StudentNeed, propose_groups
from mtss.lib.vocabulary import RiskLevel, Skill

SKILL_BASIS = "skill"
# Higher is better in the proposal's `skills`: high risk is the greatest need.
_NEED_RANK = {RiskLevel.HIGH_RISK: 0.0, RiskLevel.SOME_RISK: 1.0}
_RISK_RANK = {RiskLevel.HIGH_RISK: 0, RiskLevel.SOME_RISK: 1, RiskLevel.AT_OR_ABOVE: 2}


@dataclass(frozen=True)
class MeasureRef:
    pk: int
    name: str
    skill: str  # already resolved: the measure's own skill or its domain's
    higher_is_better: bool = True


@dataclass(frozen=True)
class Result:
    """One student's current-window score on one measure."""

    student_id: int
    measure_id: int
    score: float
    risk_level: str


@dataclass(frozen=True)
class DraftGroup:
    """A group as the page shows and keeps it: its name, its skill and its students in
    order."""

    name: str
    skill: str
    student_ids: tuple[int, ...]


def risk_basis(measure_id: int) -> str:
    return f"risk:{measure_id}"


def basis_choices(measures: Sequence[MeasureRef]) -> list[tuple[str, str]]:
    """The ways to group this class: by risk on each measure it has scores on, and by skill
    need across them (only worth offering when there is more than one skill)."""
    choices = [(risk_basis(m.pk), f"Risk level on {m.name}") for m in measures]
    if len({m.skill for m in measures}) > 1:
        choices.append((SKILL_BASIS, "Skill need across all measures"))
    return choices


def propose(
    *,
    student_ids: Iterable[int],
    results: Sequence[Result],
    measures: Sequence[MeasureRef],
    basis: str,
    max_size: int,
) -> list[DraftGroup]:
    """The proposed groups for `basis` (a value of `basis_choices`), neediest first; every
    student of `student_ids` is placed exactly once, no group is larger than `max_size`."""
    ids = sorted(set(student_ids))
    by_id = {m.pk: m for m in measures}
    if basis == SKILL_BASIS:
        return _by_skill(ids, results, by_id, max_size)
    measure = by_id.get(_measure_id(basis))
    if measure is None:
        raise ValueError(f"Unknown grouping: {basis!r}.")
    mine = {r.student_id: r for r in results if r.measure_id == measure.pk}
    needs = [
        StudentNeed(
            i,
            mine[i].risk_level if i in mine else "",
            mine[i].score if i in mine else None,
            measure.higher_is_better,
        )
        for i in ids
    ]
    return [
        DraftGroup(g.label, measure.skill, g.student_ids)
        for g in propose_groups(needs, max_size=max_size, by=BY_RISK)
    ]


def _measure_id(basis: str) -> int | None:
    kind, _, value = basis.partition(":")
    return int(value) if kind == "risk" and value.isdigit() else None


def _by_skill(
    ids: list[int], results: Sequence[Result], measures: dict, max_size: int
) -> list[DraftGroup]:
    skills: dict[int, dict[str, float]] = {i: {} for i in ids}
    worst: dict[int, str] = {}
    for r in results:
        if r.student_id not in skills or r.measure_id not in measures:
            continue
        if r.risk_level in _NEED_RANK:
            skill = measures[r.measure_id].skill
            rank = _NEED_RANK[r.risk_level]
            skills[r.student_id][skill] = min(rank, skills[r.student_id].get(skill, rank))
        if r.risk_level in _RISK_RANK and _RISK_RANK[r.risk_level] < _RISK_RANK.get(
            worst.get(r.student_id, ""), 3
        ):
            worst[r.student_id] = r.risk_level
    # The neediest first within a skill: high risk somewhere before some risk.
    in_need = [
        StudentNeed(i, worst[i], float(_RISK_RANK[worst[i]]), skills=skills[i])
        for i in ids
        if skills[i]
    ]
    others = [StudentNeed(i, worst.get(i, "")) for i in ids if not skills[i]]
    groups = [
        DraftGroup(_skill_label(g.focus, g.number), g.focus, g.student_ids)
        for g in propose_groups(in_need, max_size=max_size, by=BY_SKILL)
    ]
    groups += [
        DraftGroup(g.label, "", g.student_ids)
        for g in propose_groups(others, max_size=max_size, by=BY_RISK)
    ]
    return groups


def _skill_label(skill: str, number: int) -> str:
    label = str(Skill(skill).label) if skill in Skill.values else skill
    return f"{label} {number}" if number else label


def check_groups(
    groups: Sequence[DraftGroup], *, class_ids: Iterable[int], max_size: int
) -> list[str]:
    """What is wrong with groups about to be kept, in plain words (empty: nothing). Every
    student of the class is placed exactly once, nobody from outside it, no group is larger
    than the size the teacher set, and each group has a name."""
    errors = []
    expected = set(class_ids)
    placed = [i for g in groups for i in g.student_ids]
    twice = {i for i, n in Counter(placed).items() if n > 1}
    if twice:
        errors.append(_("%(count)s student(s) are in more than one group.") % {"count": len(twice)})
    missing = expected - set(placed)
    if missing:
        errors.append(
            _("%(count)s student(s) of the class are in no group.") % {"count": len(missing)}
        )
    if set(placed) - expected:
        errors.append(_("A group holds a student who is not in this class."))
    for g in groups:
        if not g.name.strip():
            errors.append(_("Every group needs a name."))
            break
    for g in groups:
        if len(g.student_ids) > max_size:
            errors.append(
                _(
                    "%(group)s has %(count)s students; groups hold at most %(max_size)s. Move a student to another group or raise the group size."
                )
                % {"group": g.name, "count": len(g.student_ids), "max_size": max_size}
            )
    return errors
