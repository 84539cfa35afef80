"""Local accuracy of a cut score: hand-worked examples (screening/accuracy.py)."""

from __future__ import annotations

import pytest

from screening.accuracy import candidate_cuts, cut_accuracy


def test_it_counts_hits_and_misses_per_cut():
    # Fall 10, 20, 30, 40; the first two were not at benchmark later.
    rows = cut_accuracy([10, 20, 30, 40], [True, True, False, False], [25, 35, 15])
    at25, at35, at15 = rows
    assert (at25.sensitivity, at25.specificity, at25.share_flagged) == (1.0, 1.0, 0.5)
    assert (at35.sensitivity, at35.specificity, at35.share_flagged) == (1.0, 0.5, 0.75)
    assert (at15.sensitivity, at15.specificity, at15.false_negative) == (0.5, 1.0, 1)


def test_it_flags_above_the_cut_when_lower_is_better():
    rows = cut_accuracy([2, 5, 9], [False, False, True], [5], higher_is_better=False)
    assert (rows[0].true_positive, rows[0].false_positive, rows[0].flagged) == (1, 0, 1)


def test_it_says_nothing_rather_than_zero_without_a_poor_outcome():
    (row,) = cut_accuracy([10, 20], [False, False], [15])
    assert row.sensitivity is None and row.specificity == 0.5


def test_it_refuses_unpaired_columns():
    with pytest.raises(ValueError):
        cut_accuracy([1, 2], [True], [1])


def test_it_offers_round_cuts_and_the_cut_in_use():
    cuts = candidate_cuts(list(range(100)), current=55.5)
    assert 55.5 in cuts and cuts == sorted(cuts) and min(cuts) >= 5 and max(cuts) <= 95
