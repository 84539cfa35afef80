"""The pure proposal of Tier 1 small groups (decisions.group_proposal, issue 20 item 2):
hand-computed examples, then the guarantees as properties (every student placed once, sizes
respected, deterministic whatever the input order)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decisions.group_proposal import (
    BY_RISK,
    BY_SKILL,
    NO_SKILL_LABEL,
    StudentNeed,
    _split,
    propose_groups,
)


def test_split_makes_the_fewest_groups_of_near_equal_size():
    assert _split(list(range(7)), 4) == [[0, 1, 2, 3], [4, 5, 6]]
    assert _split(list(range(9)), 4) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]  # not 4+4+1
    assert _split(list(range(3)), 5) == [[0, 1, 2]]
    assert _split([], 5) == []


def test_by_risk_a_hand_computed_class():
    # Seven students: 3 high risk, 2 some risk, 2 at or above; groups of at most 2.
    students = [
        StudentNeed(1, "high_risk", 40),
        StudentNeed(2, "high_risk", 30),
        StudentNeed(3, "high_risk", 50),
        StudentNeed(4, "some_risk", 62),
        StudentNeed(5, "some_risk", 60),
        StudentNeed(6, "at_or_above", 90),
        StudentNeed(7, "", None),  # not screened yet
    ]
    groups = propose_groups(students, max_size=2, by=BY_RISK)
    assert [(g.label, g.student_ids) for g in groups] == [
        ("High risk 1", (2, 1)),  # lowest score first: 30, 40 | 50
        ("High risk 2", (3,)),
        ("Some risk", (5, 4)),
        ("At or above benchmark", (6,)),
        ("Not screened yet", (7,)),
    ]


def test_by_risk_lower_is_better_puts_the_highest_score_first():
    students = [
        StudentNeed(1, "high_risk", 9, higher_is_better=False),
        StudentNeed(2, "high_risk", 12, higher_is_better=False),
    ]
    [group] = propose_groups(students, max_size=5)
    assert group.student_ids == (2, 1)


def test_by_skill_groups_each_student_with_their_weakest_skill():
    students = [
        StudentNeed(1, "some_risk", 60, skills={"Phonics": 40, "Fluency": 70}),
        StudentNeed(2, "high_risk", 30, skills={"Phonics": 20, "Fluency": 10}),
        StudentNeed(3, "high_risk", 35, skills={"Phonics": 30, "Fluency": 50}),
        StudentNeed(4, "some_risk", 65, skills={"Phonics": 50, "Fluency": 50}),  # tie: by name
        StudentNeed(5, "at_or_above", 90),
    ]
    groups = propose_groups(students, max_size=4, by=BY_SKILL)
    # Phonics: 1 and 3; Fluency: 2 and 4 (4's tie goes to the first name). Two groups of the
    # same size go by the skill's name; within a group the lowest screening score first.
    assert [(g.label, g.student_ids) for g in groups] == [
        ("Fluency", (2, 4)),
        ("Phonics", (3, 1)),
        (NO_SKILL_LABEL, (5,)),
    ]


def test_bad_requests_are_refused():
    with pytest.raises(ValueError):
        propose_groups([StudentNeed(1)], max_size=0)
    with pytest.raises(ValueError):
        propose_groups([StudentNeed(1), StudentNeed(1)], max_size=3)
    with pytest.raises(ValueError):
        propose_groups([StudentNeed(1)], max_size=3, by="height")


_levels = st.sampled_from(["high_risk", "some_risk", "at_or_above", ""])
_skills = st.dictionaries(
    st.sampled_from(["Phonics", "Fluency", "Vocabulary", "Comprehension"]),
    st.integers(0, 100).map(float),
    max_size=4,
)


@st.composite
def _classes(draw):
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=40))
    return [
        StudentNeed(
            i,
            draw(_levels),
            draw(st.one_of(st.none(), st.integers(0, 200).map(float))),
            skills=draw(_skills),
        )
        for i in ids
    ]


@settings(max_examples=200, deadline=None)
@given(
    students=_classes(),
    max_size=st.integers(1, 8),
    by=st.sampled_from([BY_RISK, BY_SKILL]),
    seed=st.randoms(use_true_random=False),
)
def test_every_student_is_placed_once_in_groups_that_respect_the_size(students, max_size, by, seed):
    groups = propose_groups(students, max_size=max_size, by=by)
    placed = [i for g in groups for i in g.student_ids]
    assert sorted(placed) == sorted(s.student_id for s in students)
    assert all(1 <= len(g.student_ids) <= max_size for g in groups)
    # Within one focus, sizes differ by at most one.
    by_focus: dict[str, list[int]] = {}
    for g in groups:
        by_focus.setdefault(g.focus, []).append(len(g.student_ids))
    assert all(max(sizes) - min(sizes) <= 1 for sizes in by_focus.values())
    # Deterministic: the same students in another order give the same groups.
    shuffled = list(students)
    seed.shuffle(shuffled)
    assert propose_groups(shuffled, max_size=max_size, by=by) == groups
