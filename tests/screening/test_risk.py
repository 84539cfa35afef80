"""The pure risk rules against hand-computed examples (domain.md section 2)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtss.lib.vocabulary import RiskLevel
from screening.risk import (
    average_weekly_improvement,
    classify_criterion,
    classify_percentile,
    most_intensive,
    percentile_rank,
    percentile_rank_from_counts,
    percentile_ranks,
)

AT, SOME, HIGH = RiskLevel.AT_OR_ABOVE, RiskLevel.SOME_RISK, RiskLevel.HIGH_RISK


# -- criterion rule ---------------------------------------------------------------------------


# Acadience grade 3 fall: benchmark goal 70, cut point for risk 55 (higher is better).
@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, AT),
        (70, AT),  # = benchmark
        (Decimal("69.99"), SOME),
        (69, SOME),  # benchmark - 1
        (55, SOME),  # = high-risk cut
        (54, HIGH),  # high-risk cut - 1
        (0, HIGH),
    ],
)
def test_it_classifies_higher_is_better_at_every_boundary(score, expected):
    assert classify_criterion(score, 70, 55, higher_is_better=True) == expected


# SRSS-E7, lower is better: 0-3 low, 4-8 moderate, 9-21 high -> benchmark 3, high-risk cut 8.
@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, AT), (3, AT), (4, SOME), (8, SOME), (9, HIGH), (21, HIGH)],
)
def test_it_classifies_srss_e7_as_lower_is_better(score, expected):
    assert classify_criterion(score, 3, 8, higher_is_better=False) == expected


# SRSS-I5 0-1 / 2-3 / 4-15 and SRSS-I6 0-3 / 4-5 / 6-18.
@pytest.mark.parametrize(
    ("score", "benchmark", "cut", "expected"),
    [
        (1, 1, 3, AT),
        (2, 1, 3, SOME),
        (3, 1, 3, SOME),
        (4, 1, 3, HIGH),
        (3, 3, 5, AT),
        (4, 3, 5, SOME),
        (5, 3, 5, SOME),
        (6, 3, 5, HIGH),
    ],
)
def test_it_classifies_srss_internalizing(score, benchmark, cut, expected):
    assert classify_criterion(score, benchmark, cut, higher_is_better=False) == expected


def test_it_treats_decimal_boundaries_exactly():
    assert classify_criterion(Decimal("54.99"), Decimal("70"), Decimal("55")) == HIGH
    assert classify_criterion(Decimal("3.01"), Decimal("3"), Decimal("8"), False) == SOME


# -- percentile rank ------------------------------------------------------------------------


def test_it_ranks_ties_at_the_middle_of_their_block():
    group = [10, 20, 20, 30]
    assert percentile_rank(20, group) == 50  # 100 * (1 + 0.5 * 2) / 4
    assert percentile_rank(10, group) == 13  # 100 * 0.5 / 4 = 12.5, half up
    assert percentile_rank(30, group) == 88  # 100 * 3.5 / 4 = 87.5, half up


def test_it_rounds_half_up_not_to_even():
    # 62.5 -> 63 (banker's rounding would give 62); 12.5 -> 13 (banker's: 12).
    assert percentile_rank_from_counts(worse=2, equal=1, total=4) == 63
    assert percentile_rank_from_counts(worse=0, equal=1, total=4) == 13
    # 6.25 -> 6 and 18.75 -> 19: ordinary rounding away from the half.
    assert percentile_rank_from_counts(worse=0, equal=1, total=8) == 6
    assert percentile_rank_from_counts(worse=1, equal=1, total=8) == 19


def test_it_gives_a_lone_score_the_50th_percentile():
    assert percentile_rank(42, [42]) == 50


def test_it_clamps_to_1_and_99():
    group = list(range(1000))
    assert percentile_rank(999, group) == 99  # 99.95 would round to 100
    assert percentile_rank(0, group) == 1  # 0.05 would round to 0


def test_it_ranks_lower_is_better_with_higher_values_as_worse():
    group = [10, 20, 20, 30]
    assert percentile_rank(10, group, higher_is_better=False) == 88  # 3 worse: 100*3.5/4
    assert percentile_rank(30, group, higher_is_better=False) == 13
    assert percentile_rank(20, group, higher_is_better=False) == 50


def test_it_refuses_impossible_counts():
    with pytest.raises(ValueError):
        percentile_rank_from_counts(worse=0, equal=0, total=3)
    with pytest.raises(ValueError):
        percentile_rank_from_counts(worse=3, equal=1, total=3)


def test_it_ranks_a_whole_group_at_once_like_one_at_a_time():
    scores = pd.Series([10, 20, 20, 30], index=[7, 8, 9, 10])
    assert percentile_ranks(scores).tolist() == [13, 50, 50, 88]
    assert percentile_ranks(scores, higher_is_better=False).tolist() == [88, 50, 50, 13]


def test_it_leaves_missing_scores_out_of_the_group():
    scores = pd.Series([10, None, 30])
    ranks = percentile_ranks(scores)
    assert ranks.iloc[0] == 25 and ranks.iloc[2] == 75  # group of two: 100*0.5/2, 100*1.5/2
    assert pd.isna(ranks.iloc[1])


def test_it_ranks_decimal_scores():
    scores = pd.Series([Decimal("10.5"), Decimal("10.25"), Decimal("10.5")])
    assert percentile_ranks(scores).tolist() == [67, 17, 67]  # 100*2/3=66.7, 100*0.5/3=16.7


# -- percentile bands -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pr", "expected"), [(1, HIGH), (9, HIGH), (10, SOME), (24, SOME), (25, AT), (99, AT)]
)
def test_it_bands_percentile_ranks_at_10_and_25(pr, expected):
    assert classify_percentile(pr) == expected


@pytest.mark.parametrize(("pr", "expected"), [(14, HIGH), (15, SOME), (39, SOME), (40, AT)])
def test_it_bands_with_fastbridge_edges(pr, expected):
    assert classify_percentile(pr, high_risk_below=15, some_risk_below=40) == expected


def test_it_picks_the_most_intensive_risk():
    assert most_intensive([AT, None, SOME]) == SOME
    assert most_intensive(["high_risk", "at_or_above"]) == HIGH
    assert most_intensive([None, None]) is None


# -- Hasbrouck & Tindal weekly improvement ----------------------------------------------------


def test_it_computes_average_weekly_improvement_from_fall_to_spring():
    # Grade 2, 50th percentile: fall 50, spring 100 -> 50 / 32 weeks.
    assert average_weekly_improvement(fall=50, winter=84, spring=100) == Decimal("1.5625")


def test_it_uses_winter_to_spring_for_grade_1():
    # Grade 1, 50th percentile: no fall norm; winter 29, spring 60 -> 31 / 16 weeks.
    assert average_weekly_improvement(fall=None, winter=29, spring=60) == Decimal("1.9375")


# -- properties -----------------------------------------------------------------------------

scores = st.integers(min_value=0, max_value=300)


@given(a=scores, b=scores, benchmark=scores, cut=scores)
def test_it_never_gives_a_higher_score_a_worse_risk(a, b, benchmark, cut):
    benchmark, cut = max(benchmark, cut), min(benchmark, cut)
    low, high = min(a, b), max(a, b)
    order = {AT: 0, SOME: 1, HIGH: 2}
    assert (
        order[classify_criterion(high, benchmark, cut)]
        <= order[classify_criterion(low, benchmark, cut)]
    )


@given(a=scores, b=scores, benchmark=scores, cut=scores)
def test_it_never_gives_a_lower_score_a_worse_risk_when_lower_is_better(a, b, benchmark, cut):
    benchmark, cut = min(benchmark, cut), max(benchmark, cut)
    low, high = min(a, b), max(a, b)
    order = {AT: 0, SOME: 1, HIGH: 2}
    assert (
        order[classify_criterion(low, benchmark, cut, False)]
        <= order[classify_criterion(high, benchmark, cut, False)]
    )


@given(group=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=60))
def test_it_ranks_vectorised_exactly_as_scalar(group):
    for higher in (True, False):
        vector = percentile_ranks(pd.Series(group), higher_is_better=higher).tolist()
        scalar = [percentile_rank(s, group, higher_is_better=higher) for s in group]
        assert vector == scalar


@given(group=st.lists(st.integers(min_value=0, max_value=50), min_size=2, max_size=40))
def test_it_never_ranks_a_higher_score_lower(group):
    ranks = dict(zip(group, percentile_ranks(pd.Series(group)).tolist(), strict=True))
    ordered = sorted(ranks)
    assert all(ranks[x] <= ranks[y] for x, y in zip(ordered, ordered[1:], strict=False))
    assert all(1 <= r <= 99 for r in ranks.values())


# -- many scores at once (the what-if preview and the switch of a version) ----------------------


@given(
    st.lists(
        st.tuples(
            st.integers(0, 300),
            st.integers(0, 300),
            st.integers(0, 300),
            st.booleans(),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_it_classifies_columns_as_one_score_at_a_time(rows):
    from screening.risk import classify_criterion_many

    rows = [
        (s, max(b, h), min(b, h), up) if up else (s, min(b, h), max(b, h), up)
        for s, b, h, up in rows
    ]
    many = classify_criterion_many(
        [Decimal(r[0]) / 4 for r in rows],
        [Decimal(r[1]) / 4 for r in rows],
        [Decimal(r[2]) / 4 for r in rows],
        [r[3] for r in rows],
    )
    one = [
        classify_criterion(Decimal(s) / 4, Decimal(b) / 4, Decimal(h) / 4, up).value
        for s, b, h, up in rows
    ]
    assert list(many) == one


def test_it_leaves_scores_without_a_cut_score_unclassified():
    from screening.risk import classify_criterion_many, classify_percentile_many

    out = classify_criterion_many([50, 50], [70, None], [55, None], True)
    assert list(out) == ["high_risk", None]
    assert list(classify_percentile_many([5, 12, 30, None], 10, 25)) == [
        "high_risk",
        "some_risk",
        "at_or_above",
        None,
    ]
