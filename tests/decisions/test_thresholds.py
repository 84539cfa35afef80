"""Rule-set thresholds: domain.md's defaults and their JSON form. No database."""

from __future__ import annotations

import json

import pytest

from decisions.thresholds import DEFAULT_THRESHOLDS, Thresholds


def test_it_defaults_to_the_numbers_of_domain_md():
    t = DEFAULT_THRESHOLDS
    assert (t.percentile_high_risk_below, t.percentile_some_risk_below) == (10, 25)
    assert (t.min_points_trend, t.min_points_data_point, t.data_point_run) == (8, 6, 4)
    assert (t.default_tolerance, t.goal_met_points, t.fidelity_minimum) == (0.5, 3, 0.80)
    assert (t.odr_tier2_at, t.odr_tier3_at) == (2, 6)
    assert (t.october_catch_count, t.october_catch_month, t.october_catch_day) == (2, 10, 31)
    assert t.classwide_enabled is True


def test_it_round_trips_through_json():
    custom = Thresholds(
        percentile_high_risk_below=15, percentile_some_risk_below=40, fidelity_minimum=0.9
    )
    stored = json.loads(json.dumps(custom.to_dict()))
    assert Thresholds.from_dict(stored) == custom


def test_it_fills_keys_a_stored_rule_set_lacks_with_the_defaults():
    assert Thresholds.from_dict({"odr_tier3_at": 7}) == Thresholds(odr_tier3_at=7)
    assert Thresholds.from_dict({}) == DEFAULT_THRESHOLDS


def test_it_coerces_numbers_typed_in_a_form():
    t = Thresholds.from_dict({"default_tolerance": "0.75", "min_points_trend": 9.0})
    assert (t.default_tolerance, t.min_points_trend) == (0.75, 9)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tolerence": 0.5}, "unknown threshold"),
        ({"min_points_trend": 7.5}, "whole number"),
        ({"classwide_enabled": "yes"}, "true or false"),
        ({"percentile_high_risk_below": 30}, "percentile edges"),
        ({"data_point_run": 7}, "data-point run"),
        ({"min_points_data_point": 9}, "data-point run"),
        ({"odr_tier3_at": 2}, "ODR bands"),
        ({"fidelity_minimum": 1.5}, "fidelity minimum"),
        ({"default_tolerance": -0.1}, "tolerance"),
        ({"october_catch_month": 2, "october_catch_day": 30}, "not a valid date"),
    ],
)
def test_it_refuses_thresholds_that_make_no_sense(data, message):
    with pytest.raises(ValueError, match=message):
        Thresholds.from_dict(data)
