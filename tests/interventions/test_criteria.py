"""Entry and exit criteria: their structured form, the entry check and the sentences."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from interventions.criteria import (
    describe_entry,
    describe_exit,
    entry_check,
    validate_checklist,
    validate_entry_criteria,
    validate_exit_criteria,
)

AT_RISK = {"domain_risk_in": ["high_risk", "some_risk"], "grades": [1, 5]}


def test_it_normalises_entry_criteria():
    assert validate_entry_criteria(AT_RISK) == {
        "domain_risk_in": ["some_risk", "high_risk"],
        "grades": [1, 5],
    }
    assert validate_entry_criteria(None) == {}


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"grade": [1, 5]}, "Unknown entry criteria: grade"),
        ({"domain_risk_in": ["at_risk"]}, "at_risk is not a risk level"),
        ({"domain_risk_in": []}, "non-empty list"),
        ({"grades": [5, 1]}, "lowest <= highest"),
        ({"grades": [1]}, "two whole numbers"),
        ({"grades": [0, 13]}, "highest <= 12"),
        (["some_risk"], "must be an object"),
    ],
)
def test_it_refuses_malformed_entry_criteria(criteria, message):
    with pytest.raises(ValidationError, match=message):
        validate_entry_criteria(criteria)


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"goal_met_points": 0}, "from 1 to 20"),
        ({"goal_met_points": True}, "from 1 to 20"),
        ({"or_benchmark_at_next_screening": "yes"}, "true or false"),
        ({"exit_when": "goal"}, "Unknown exit criteria"),
    ],
)
def test_it_refuses_malformed_exit_criteria(criteria, message):
    with pytest.raises(ValidationError, match=message):
        validate_exit_criteria(criteria)


def test_it_refuses_an_empty_or_repeated_checklist_item():
    assert validate_checklist([" Modelled ", "Corrected"]) == ["Modelled", "Corrected"]
    with pytest.raises(ValidationError, match="cannot be empty"):
        validate_checklist(["Modelled", " "])
    with pytest.raises(ValidationError, match="same item twice"):
        validate_checklist(["Modelled", "Modelled"])


def test_it_admits_a_student_at_some_risk_within_the_grades():
    check = entry_check(AT_RISK, grade=3, risk_level="some_risk", domain_label="Reading")
    assert check.met is True
    assert check.reasons == [
        "Latest reading screening: some risk (the intervention is for some risk or high risk).",
        "Grade 3 is within grades 1 to 5.",
    ]


@pytest.mark.parametrize(
    ("grade", "risk", "reason"),
    [
        (3, "at_or_above", "Latest reading screening: at or above benchmark; this intervention"),
        (3, None, "No screening result in reading yet"),
        (0, "high_risk", "Grade K is outside grades 1 to 5."),
        (6, "high_risk", "Grade 6 is outside grades 1 to 5."),
    ],
)
def test_it_refuses_a_student_outside_the_criteria_and_says_why(grade, risk, reason):
    check = entry_check(AT_RISK, grade=grade, risk_level=risk, domain_label="Reading")
    assert check.met is False
    assert any(r.startswith(reason) for r in check.reasons), check.reasons


def test_it_admits_everyone_when_there_are_no_criteria():
    check = entry_check({}, grade=8, risk_level=None, domain_label="Math")
    assert (check.met, check.reasons) == (True, ["This intervention has no entry criteria."])


def test_it_describes_the_criteria_in_plain_words():
    assert describe_entry(validate_entry_criteria(AT_RISK)) == (
        "Students at some risk or high risk on screening in the domain, grades 1 to 5."
    )
    assert describe_exit({"goal_met_points": 3, "or_benchmark_at_next_screening": True}) == (
        "Goal met on 3 consecutive points, or at benchmark at the next screening."
    )
    assert describe_exit({}) == "No exit criteria; the team decides."
