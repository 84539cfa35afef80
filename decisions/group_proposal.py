"""Proposed small groups for targeted Tier 1 instruction (issue 20 item 2, the pure part).

From one class's screening results the teacher asks for groups either by risk level (high
risk together, then some risk, then at or above benchmark) or by skill need (each student
with the others whose weakest sub-skill is the same). The teacher sets the largest group size;
a bucket larger than that is split into groups of near-equal size (sizes differ by at most
one), never one full group and a straggler.

Guarantees (tests/decisions/test_group_proposal.py): every student is placed exactly once;
no group exceeds `max_size`; the answer does not depend on the order of the input (ties are
broken by student id), so the same scores always propose the same groups.

Pure: no ORM, no clock. The page that shows, adjusts and keeps the groups is not built yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mtss.lib.vocabulary import RiskLevel

BY_RISK = "risk"
BY_SKILL = "skill"

# Most need first: the group that needs the teacher most is proposed first.
_RISK_ORDER = (RiskLevel.HIGH_RISK, RiskLevel.SOME_RISK, RiskLevel.AT_OR_ABOVE)
NO_RISK_LABEL = "Not screened yet"
NO_SKILL_LABEL = "No skill scores yet"


@dataclass(frozen=True)
class StudentNeed:
    """One student as the proposal sees them. `score` is the screening score in the measure's
    direction (`higher_is_better`); `skills` maps a sub-skill's name to a score where higher
    is better (e.g. percent correct)."""

    student_id: int
    risk_level: str = ""
    score: float | None = None
    higher_is_better: bool = True
    skills: Mapping[str, float] = field(default_factory=dict)

    def need_key(self) -> tuple[float, int]:
        """Neediest first within a bucket: the lowest score in the measure's direction."""
        if self.score is None:
            return (float("inf"), self.student_id)
        value = self.score if self.higher_is_better else -self.score
        return (value, self.student_id)

    def weakest_skill(self) -> str | None:
        if not self.skills:
            return None
        return min(self.skills.items(), key=lambda kv: (kv[1], kv[0]))[0]


@dataclass(frozen=True)
class ProposedGroup:
    focus: str  # the risk level's words or the skill's name
    number: int  # 1, 2, ... within its focus when the focus was split
    student_ids: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"{self.focus} {self.number}" if self.number else self.focus


def _split(ids: list[int], max_size: int) -> list[list[int]]:
    """`ids` in order, cut into the fewest groups of at most `max_size`, sizes within one."""
    if not ids:
        return []
    count = -(-len(ids) // max_size)
    base, extra = divmod(len(ids), count)
    groups, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        groups.append(ids[start : start + size])
        start += size
    return groups


def _buckets_by_risk(students: Sequence[StudentNeed]) -> list[tuple[str, list[StudentNeed]]]:
    order = {level: i for i, level in enumerate(_RISK_ORDER)}
    buckets: dict[str, list[StudentNeed]] = {}
    for s in students:
        level = s.risk_level if s.risk_level in order else ""
        buckets.setdefault(level, []).append(s)
    keys = sorted(buckets, key=lambda k: order.get(k, len(order)))
    return [(str(RiskLevel(k).label) if k else NO_RISK_LABEL, buckets[k]) for k in keys]


def _buckets_by_skill(students: Sequence[StudentNeed]) -> list[tuple[str, list[StudentNeed]]]:
    buckets: dict[str, list[StudentNeed]] = {}
    for s in students:
        buckets.setdefault(s.weakest_skill() or "", []).append(s)
    # Larger needs first, then by skill name; students without skills last.
    keys = sorted((k for k in buckets if k), key=lambda k: (-len(buckets[k]), k))
    if "" in buckets:
        keys.append("")
    return [(k or NO_SKILL_LABEL, buckets[k]) for k in keys]


def propose_groups(
    students: Sequence[StudentNeed], *, max_size: int, by: str = BY_RISK
) -> list[ProposedGroup]:
    """The proposed groups, neediest first (see the module docstring)."""
    if max_size < 1:
        raise ValueError("A group holds at least one student.")
    ids = [s.student_id for s in students]
    if len(ids) != len(set(ids)):
        raise ValueError("A student is listed twice.")
    if by == BY_RISK:
        buckets = _buckets_by_risk(students)
    elif by == BY_SKILL:
        buckets = _buckets_by_skill(students)
    else:
        raise ValueError(f"Unknown grouping: {by!r}.")
    proposed = []
    for focus, members in buckets:
        ordered = [s.student_id for s in sorted(members, key=StudentNeed.need_key)]
        parts = _split(ordered, max_size)
        for i, part in enumerate(parts, start=1):
            proposed.append(ProposedGroup(focus, i if len(parts) > 1 else 0, tuple(part)))
    return proposed
