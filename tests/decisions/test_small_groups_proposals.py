"""From a class's results to proposed groups (smallgroups.proposals, issue 20 item 2):
hand-computed examples by risk on one measure and by skill need across measures, the checks a
kept arrangement must pass, and the guarantees as a property."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smallgroups.proposals import (
    SKILL_BASIS,
    DraftGroup,
    MeasureRef,
    Result,
    basis_choices,
    check_groups,
    propose,
    risk_basis,
)

ORF = MeasureRef(1, "Oral reading fluency", "fluency")
MATH = MeasureRef(2, "Math computation", "computation")


def test_ways_to_group_name_the_measures_never_their_codes():
    assert basis_choices([ORF, MATH]) == [
        ("risk:1", "Risk level on Oral reading fluency"),
        ("risk:2", "Risk level on Math computation"),
        ("skill", "Skill need across all measures"),
    ]
    # One skill only: grouping by skill would say the same as grouping by risk.
    assert basis_choices([ORF]) == [("risk:1", "Risk level on Oral reading fluency")]


def test_by_risk_on_one_measure():
    # Students 1-5; 5 has no ORF score. Groups of at most 2.
    results = [
        Result(1, 1, 40, "high_risk"),
        Result(2, 1, 30, "high_risk"),
        Result(3, 1, 50, "high_risk"),
        Result(4, 1, 62, "some_risk"),
        Result(4, 2, 10, "high_risk"),  # another measure: not this grouping's business
    ]
    groups = propose(
        student_ids=[5, 4, 3, 2, 1],
        results=results,
        measures=[ORF, MATH],
        basis="risk:1",
        max_size=2,
    )
    assert groups == [
        DraftGroup("High risk 1", "fluency", (2, 1)),  # 3 high risk in groups of 2: 2 + 1
        DraftGroup("High risk 2", "fluency", (3,)),
        DraftGroup("Some risk", "fluency", (4,)),
        DraftGroup("Not screened yet", "fluency", (5,)),
    ]


def test_by_skill_each_student_joins_their_neediest_skill():
    results = [
        Result(1, 1, 40, "high_risk"),  # 1: fluency high risk, computation some: fluency
        Result(1, 2, 20, "some_risk"),
        Result(2, 1, 60, "some_risk"),  # 2: fluency some, computation high: computation
        Result(2, 2, 5, "high_risk"),
        Result(3, 1, 62, "some_risk"),  # 3: some risk on both: the tie goes by skill value
        Result(3, 2, 22, "some_risk"),  # "computation" < "fluency"
        Result(4, 1, 90, "at_or_above"),  # 4: no need anywhere
        Result(4, 2, 40, "at_or_above"),
        Result(5, 1, 61, "some_risk"),  # 5: fluency some
    ]
    groups = propose(
        student_ids=[1, 2, 3, 4, 5, 6],
        results=results,
        measures=[ORF, MATH],
        basis=SKILL_BASIS,
        max_size=4,
    )
    # Two students each for computation (2, 3) and fluency (1, 5): same size, so by the
    # skill's value; within a group high risk somewhere first, then by id.
    assert groups == [
        DraftGroup("Math computation", "computation", (2, 3)),
        DraftGroup("Reading fluency", "fluency", (1, 5)),
        DraftGroup("At or above benchmark", "", (4,)),
        DraftGroup("Not screened yet", "", (6,)),
    ]


def test_an_unknown_grouping_is_refused():
    import pytest

    with pytest.raises(ValueError):
        propose(student_ids=[1], results=[], measures=[ORF], basis="risk:9", max_size=3)
    with pytest.raises(ValueError):
        propose(student_ids=[1], results=[], measures=[ORF], basis="height", max_size=3)


def test_check_groups_says_what_is_wrong_in_words():
    ok = [DraftGroup("Fluency", "fluency", (1, 2)), DraftGroup("Others", "", (3,))]
    assert check_groups(ok, class_ids=[1, 2, 3], max_size=2) == []
    twice = [DraftGroup("A", "", (1, 2)), DraftGroup("B", "", (2, 3))]
    assert check_groups(twice, class_ids=[1, 2, 3], max_size=3) == [
        "1 student(s) are in more than one group."
    ]
    assert check_groups([DraftGroup("A", "", (1,))], class_ids=[1, 2], max_size=3) == [
        "1 student(s) of the class are in no group."
    ]
    assert check_groups([DraftGroup("A", "", (1, 9))], class_ids=[1], max_size=3) == [
        "A group holds a student who is not in this class."
    ]
    assert check_groups([DraftGroup(" ", "", (1,))], class_ids=[1], max_size=3) == [
        "Every group needs a name."
    ]
    assert check_groups([DraftGroup("Big", "", (1, 2, 3))], class_ids=[1, 2, 3], max_size=2) == [
        "Big has 3 students; groups hold at most 2. Move a student to another group or raise "
        "the group size."
    ]


_risk = st.sampled_from(["high_risk", "some_risk", "at_or_above", ""])


@st.composite
def _classes(draw):
    ids = draw(st.lists(st.integers(1, 5000), unique=True, max_size=35))
    results = [
        Result(i, m, float(draw(st.integers(0, 100))), draw(_risk))
        for i in ids
        for m in (1, 2)
        if draw(st.booleans())
    ]
    return ids, results


@settings(max_examples=150, deadline=None)
@given(
    cls=_classes(),
    size=st.integers(1, 8),
    basis=st.sampled_from([risk_basis(1), risk_basis(2), SKILL_BASIS]),
    shuffled=st.randoms(use_true_random=False),
)
def test_every_student_once_sizes_respected_same_answer_whatever_the_order(
    cls, size, basis, shuffled
):
    ids, results = cls
    groups = propose(
        student_ids=ids, results=results, measures=[ORF, MATH], basis=basis, max_size=size
    )
    assert check_groups(groups, class_ids=ids, max_size=size) == []
    again_ids, again_results = list(ids), list(results)
    shuffled.shuffle(again_ids)
    shuffled.shuffle(again_results)
    assert (
        propose(
            student_ids=again_ids,
            results=again_results,
            measures=[ORF, MATH],
            basis=basis,
            max_size=size,
        )
        == groups
    )
