"""What the small-groups page shows, put together from the class's scores, the proposal and
the groups kept so far (views.py stays thin)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext

from mtss.lib.vocabulary import RiskLevel
from smallgroups.forms import DEFAULT_SIZE, ProposalForm, skill_choices
from smallgroups.models import GroupSet, SkillResource
from smallgroups.proposals import DraftGroup, basis_choices, propose
from smallgroups.selectors import ClassScores
from students.models import Student


@dataclass
class Card:
    student: Student
    group: int
    summary: str  # "High risk on Math computation; at or above benchmark on ..." or ""


@dataclass
class EditorGroup:
    index: int
    name: str
    skill: str
    cards: list[Card] = field(default_factory=list)


@dataclass
class KeptGroup:
    pk: int
    name: str
    skill: str
    skill_label: str
    students: list[Student]
    linked: list[SkillResource]
    offered: list[SkillResource]


def summaries(data: ClassScores) -> dict[int, str]:
    """One line per student: their risk on each measure, in words."""
    names = {m.pk: m.name for m in data.measures}
    lines: dict[int, list[str]] = defaultdict(list)
    for r in data.results:
        label = str(RiskLevel(r.risk_level).label) if r.risk_level else gettext("No risk level")
        lines[r.student_id].append(
            gettext("%(level)s on %(measure)s") % {"level": label, "measure": names[r.measure_id]}
        )
    return {sid: "; ".join(parts) for sid, parts in lines.items()}


def proposal_settings(data: ClassScores, query, kept: GroupSet | None, stale: bool):
    """(form, basis, size, from_kept): what the editor starts from. A request's own settings
    win; else the groups kept in this window; else the first way of grouping, size 4."""
    choices = basis_choices(data.measures)
    form = ProposalForm(query if "basis" in query else None, choices=choices)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["basis"], form.cleaned_data["size"], False
    if kept is not None and not stale and kept.basis in dict(choices):
        form = ProposalForm(initial={"basis": kept.basis, "size": kept.max_size}, choices=choices)
        return form, kept.basis, kept.max_size, True
    basis = choices[0][0] if choices else ""
    if not form.is_bound:
        form = ProposalForm(initial={"basis": basis, "size": DEFAULT_SIZE}, choices=choices)
    return form, basis, DEFAULT_SIZE, False


def kept_drafts(kept: GroupSet, class_ids: list[int]) -> list[DraftGroup]:
    """The kept groups as an editable arrangement; a student who joined the class since is put
    in a group of their own ("New to the class") so every student is still placed."""
    placed: set[int] = set()
    drafts = []
    for g in kept.groups.all():
        ids = tuple(m.student_id for m in g.members.all() if m.student_id in class_ids)
        placed |= set(ids)
        drafts.append(DraftGroup(g.name, g.skill, ids))
    newcomers = tuple(i for i in class_ids if i not in placed)
    if newcomers:
        drafts.append(DraftGroup(gettext("New to the class"), "", newcomers))
    return drafts


def editor(data: ClassScores, drafts: list[DraftGroup]) -> list[EditorGroup]:
    """The editor's groups, and one more at the end to move students into: empty, or holding
    the students a refused arrangement left out (so nobody drops off the page)."""
    by_id = {s.pk: s for s in data.students}
    lines = summaries(data)
    groups = [
        EditorGroup(
            i,
            d.name,
            d.skill,
            [Card(by_id[s], i, lines.get(s, "")) for s in d.student_ids if s in by_id],
        )
        for i, d in enumerate(drafts)
    ]
    placed = {s for d in drafts for s in d.student_ids}
    last = len(drafts)
    left_out = [Card(s, last, lines.get(s.pk, "")) for s in data.students if s.pk not in placed]
    name = (
        gettext("Not placed yet")
        if left_out
        else gettext("Group %(number)s") % {"number": last + 1}
    )
    groups.append(EditorGroup(last, name, "", left_out))
    return groups


def drafts_for(data: ClassScores, basis: str, size: int) -> list[DraftGroup]:
    return propose(
        student_ids=data.student_ids,
        results=data.results,
        measures=data.measures,
        basis=basis,
        max_size=size,
    )


def kept_groups(
    kept: GroupSet, resources: list[SkillResource], class_ids: list[int]
) -> list[KeptGroup]:
    """The kept groups to show. Only students still in the class (and visible to the reader)
    are named: a student who left keeps their row in the set, not their name on this page."""
    shown = set(class_ids)
    by_skill: dict[str, list[SkillResource]] = defaultdict(list)
    for r in resources:
        by_skill[r.skill].append(r)
    labels = dict(skill_choices())
    return [
        KeptGroup(
            g.pk,
            g.name,
            g.skill,
            labels.get(g.skill, ""),
            [m.student for m in g.members.all() if m.student_id in shown],
            list(g.resources.all()),
            by_skill.get(g.skill, []) if g.skill else resources,
        )
        for g in kept.groups.all()
    ]
