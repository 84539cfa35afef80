"""The agenda builder: which students a meeting should discuss, in which order.

Pure: plain rows in (flags, plans, concerns, student names, the meeting date), proposed items
out. No ORM, no clock, no settings; meetings.services.agenda.meeting_prepare_agenda loads the rows
and writes the items.

Priority groups (lower comes first; docs/meetings.md):

0. Tier 3 recommendations and "change the intervention" prompts (screening or referrals at
   Tier 3, dual discrepancy, a plan that is not working);
1. Tier 2 recommendations (and "deliver the plan as written first");
2. exits (goal met: exit or fade);
3. raise the goal;
4. plans due for review (no team review in the last N weeks, a setting);
5. concerns teachers submitted.

A student appears once: all their flags, plans and concerns go into one item, whose group is
the most urgent of its sources. Within a group: students not yet served (no active plan)
first, then the more intensive recommended tier,
then the student waiting longest (oldest source), then by name, then by id, so the order is
total and the same input always gives the same agenda.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

TIER3_OR_CHANGE = 0
TIER2 = 1
EXIT = 2
RAISE_GOAL = 3
PLAN_REVIEW = 4
CONCERN = 5

# In English here (they are compared and tested as such); an item's reason is written in the
# language of whoever builds the agenda (gettext in build_agenda), and stored that way.
GROUP_REASONS = {
    TIER3_OR_CHANGE: gettext_noop("Tier 3 or change of intervention recommended"),
    TIER2: gettext_noop("Tier 2 recommended"),
    EXIT: gettext_noop("Goal met: exit or fade"),
    RAISE_GOAL: gettext_noop("Progress above the aim line: raise the goal"),
    PLAN_REVIEW: gettext_noop("Plan due for review"),
    CONCERN: gettext_noop("Concern raised by a teacher"),
}

ESCALATION_REASON = gettext_noop(
    "Flagged again while the current plan is not responding: escalate the plan"
)

# Flag kinds (decisions.models.FlagKind values) with a fixed group whatever the tier.
KIND_GROUPS = {
    "progress_change_intervention": TIER3_OR_CHANGE,
    "dual_discrepancy": TIER3_OR_CHANGE,
    "progress_improve_fidelity": TIER2,
    "progress_exit": EXIT,
    "progress_raise_goal": RAISE_GOAL,
}


@dataclass(frozen=True)
class FlagRow:
    id: int
    student_id: int
    kind: str
    recommended_tier: int
    domain: str
    created_at: dt.datetime
    # A flag an active plan already serves, while that plan is not responding: it escalates
    # the plan (most urgent group) instead of asking for a new placement.
    escalates: bool = False


@dataclass(frozen=True)
class PlanRow:
    id: int
    student_id: int
    tier: int
    last_reviewed: dt.date  # the latest team decision on the plan, else its start date


@dataclass(frozen=True)
class ConcernRow:
    id: int
    student_id: int
    created_at: dt.datetime


@dataclass
class ProposedItem:
    student_id: int
    priority: int
    tier: int
    since: dt.date
    flag_ids: list[int] = field(default_factory=list)
    plan_ids: list[int] = field(default_factory=list)
    concern_ids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    served: bool = False  # the student has an active plan (already supported)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def flag_group(kind: str, recommended_tier: int, escalates: bool = False) -> int:
    """The priority group of one flag."""
    if escalates:
        return TIER3_OR_CHANGE
    if kind in KIND_GROUPS:
        return KIND_GROUPS[kind]
    return TIER3_OR_CHANGE if recommended_tier >= 3 else TIER2


def plan_is_due(*, last_reviewed: dt.date, meeting_date: dt.date, review_weeks: int) -> bool:
    """Due when the team has not reviewed the plan in the last `review_weeks` weeks
    (a review exactly `review_weeks` weeks ago is due)."""
    return (meeting_date - last_reviewed).days >= 7 * review_weeks


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def build_agenda(
    *,
    flags: Iterable[FlagRow],
    plans: Iterable[PlanRow],
    concerns: Iterable[ConcernRow],
    names: Mapping[int, str],
    meeting_date: dt.date,
    review_weeks: int = 6,
    exclude_student_ids: Iterable[int] = (),
) -> list[ProposedItem]:
    """One proposed item per student, most urgent first.

    `plans` are the school's active plans (only those due for review are proposed; a plan
    whose student is on the agenda anyway rides along with the item). `exclude_student_ids`
    are students already on the agenda.
    """
    excluded = set(exclude_student_ids)
    items: dict[int, ProposedItem] = {}

    def item_for(student_id: int, group: int, tier: int, since: dt.date) -> ProposedItem:
        item = items.get(student_id)
        if item is None:
            item = items[student_id] = ProposedItem(
                student_id=student_id, priority=group, tier=tier, since=since
            )
        else:
            if (group, -tier) < (item.priority, -item.tier):
                item.priority, item.tier = group, tier
            item.since = min(item.since, since)
        reason = gettext(GROUP_REASONS[group])
        if reason not in item.reasons:
            item.reasons.append(reason)
        return item

    escalation = gettext(ESCALATION_REASON)
    for f in sorted(flags, key=lambda f: (f.created_at, f.id)):
        if f.student_id in excluded:
            continue
        item = item_for(
            f.student_id,
            flag_group(f.kind, f.recommended_tier, f.escalates),
            f.recommended_tier,
            _day(f.created_at),
        )
        if f.escalates and escalation not in item.reasons:
            item.reasons.append(escalation)
        item.flag_ids.append(f.id)

    plan_list = sorted(plans, key=lambda p: p.id)
    for p in plan_list:
        if p.student_id in excluded:
            continue
        if plan_is_due(
            last_reviewed=p.last_reviewed, meeting_date=meeting_date, review_weeks=review_weeks
        ):
            item_for(p.student_id, PLAN_REVIEW, p.tier, p.last_reviewed).plan_ids.append(p.id)

    for c in sorted(concerns, key=lambda c: (c.created_at, c.id)):
        if c.student_id in excluded:
            continue
        item_for(c.student_id, CONCERN, 1, _day(c.created_at)).concern_ids.append(c.id)

    # Active plans of students already proposed go with them: the team sees the plan anyway.
    for p in plan_list:
        item = items.get(p.student_id)
        if item is not None and p.id not in item.plan_ids:
            item.plan_ids.append(p.id)

    # Within a priority group, students nobody serves yet come first: a student with an
    # active plan is already supported, one newly at risk is waiting for the team.
    served = {p.student_id for p in plan_list}
    for item in items.values():
        item.served = item.student_id in served
    return sorted(
        items.values(),
        key=lambda i: (
            i.priority,
            i.served,
            -i.tier,
            i.since,
            names.get(i.student_id, ""),
            i.student_id,
        ),
    )


# -- time and names ------------------------------------------------------------------------------


def estimated_minutes(target_minutes: Iterable[int]) -> int:
    """The agenda's estimated length: the sum of its items' target minutes."""
    return sum(target_minutes)


def over_time_warning(*, estimated: int, duration: int) -> str:
    """A warning when the agenda needs more time than the meeting has, else ""."""
    if estimated <= duration:
        return ""
    return gettext(
        "The agenda needs about %(estimated)s minutes; the meeting is %(duration)s minutes "
        "long. Move the last items to the next meeting, or make the meeting longer."
    ) % {"estimated": estimated, "duration": duration}


def name_patterns(query: str) -> list[tuple[str, str]]:
    """How a typed name may split into (first, last): "Maria Garcia" and "Garcia, Maria" both
    give ("Maria", "Garcia"); a name of three words may split after the first or the second
    ("Ana Maria Lopez": ("Ana", "Maria Lopez") and ("Ana Maria", "Lopez")). One word gives
    nothing (the caller matches it against either name)."""
    q = " ".join(query.replace(",", " , ").split())
    if "," in q:
        last, _, first = (part.strip() for part in q.partition(","))
        first = first.replace(",", " ").strip()
        return [(first, last)] if first and last else []
    words = q.split(" ")
    return [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]


# -- grade-level meetings ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    """One screening score of the grade in the window."""

    measure_id: int
    student_id: int
    risk_level: str  # at_or_above / some_risk / high_risk, or "" when no cut scores applied


@dataclass(frozen=True)
class MeasureSummary:
    measure_id: int
    measure_name: str
    enrolled: int
    screened: int
    at_or_above: int
    some_risk: int
    high_risk: int
    unclassified: int

    @property
    def not_screened(self) -> int:
        return self.enrolled - self.screened

    def share(self, count: int) -> float | None:
        """Share of the screened students; None when nobody was screened ("no data")."""
        return count / self.screened if self.screened else None

    def as_dict(self) -> dict[str, int | str]:
        return {
            "measure_id": self.measure_id,
            "measure_name": self.measure_name,
            "enrolled": self.enrolled,
            "screened": self.screened,
            "not_screened": self.not_screened,
            "at_or_above": self.at_or_above,
            "some_risk": self.some_risk,
            "high_risk": self.high_risk,
            "unclassified": self.unclassified,
        }


def screening_summary(
    *, scores: Iterable[ScoreRow], measures: Mapping[int, str], enrolled: int
) -> list[MeasureSummary]:
    """Per measure of the window: how many of the grade's `enrolled` students were screened
    and how many fell in each risk level. Measures in `measures` order (id -> name)."""
    counts: dict[int, dict[str, set[int]]] = {m: {} for m in measures}
    for s in scores:
        if s.measure_id not in counts:
            continue
        counts[s.measure_id].setdefault(s.risk_level or "", set()).add(s.student_id)
    result = []
    for measure_id, name in measures.items():
        by_level = counts[measure_id]
        n = {level: len(ids) for level, ids in by_level.items()}
        screened = sum(n.values())
        result.append(
            MeasureSummary(
                measure_id=measure_id,
                measure_name=name,
                enrolled=max(enrolled, screened),
                screened=screened,
                at_or_above=n.get("at_or_above", 0),
                some_risk=n.get("some_risk", 0),
                high_risk=n.get("high_risk", 0),
                unclassified=n.get("", 0),
            )
        )
    return result
