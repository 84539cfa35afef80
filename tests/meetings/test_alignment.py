"""Follows the rule or overrides it (meetings.alignment), without a database."""

from __future__ import annotations

import pytest

from meetings.alignment import Recommendation, follows_rule, recommendation_words

TIER3 = Recommendation("screening_risk", 3)
TIER2 = Recommendation("screening_risk", 2)
TIER2_CLASSWIDE = Recommendation("screening_risk", 2, classwide_context=True)
CHANGE = Recommendation("progress_change_intervention", 2)
FIDELITY = Recommendation("progress_improve_fidelity", 2)
EXIT = Recommendation("progress_exit", 2)
RAISE = Recommendation("progress_raise_goal", 2)
DUAL = Recommendation("dual_discrepancy", 3)
ODR3 = Recommendation("odr", 3)
CATCH = Recommendation("october_catch", 2)


@pytest.mark.parametrize(
    "rec, follows, overrides",
    [
        (
            TIER3,
            {"place_tier3", "intensify", "refer_evaluation"},
            {"place_tier2", "monitor", "continue", "exit", "fade", "modify_plan", "dismiss_flag"},
        ),
        (ODR3, {"place_tier3"}, {"monitor", "place_tier2"}),
        (DUAL, {"place_tier3", "intensify", "refer_evaluation"}, {"continue", "monitor"}),
        (
            TIER2,
            {"place_tier2", "continue", "modify_plan"},
            {"monitor", "place_tier3", "exit", "dismiss_flag"},
        ),
        (CATCH, {"place_tier2"}, {"monitor"}),
        (TIER2_CLASSWIDE, {"place_tier2", "monitor"}, {"place_tier3", "dismiss_flag"}),
        (
            CHANGE,
            {"modify_plan", "intensify", "place_tier3", "refer_evaluation"},
            {"continue", "exit", "monitor"},
        ),
        (FIDELITY, {"continue", "modify_plan"}, {"exit", "intensify"}),
        (EXIT, {"exit", "fade"}, {"continue", "intensify"}),
        (RAISE, {"modify_plan"}, {"continue", "exit"}),
    ],
)
def test_it_says_which_decisions_follow_each_recommendation(rec, follows, overrides):
    for decision in follows:
        assert follows_rule(decision, [rec]) is True, decision
    for decision in overrides:
        assert follows_rule(decision, [rec]) is False, decision


def test_it_has_no_verdict_without_a_flag():
    assert follows_rule("monitor", []) is None
    assert follows_rule("place_tier2", []) is None
    assert recommendation_words([]) == ""


def test_it_judges_by_the_most_urgent_recommendation():
    # A Tier 3 referral flag and a Tier 2 screening flag: Tier 2 goes against the Tier 3 one.
    assert follows_rule("place_tier2", [TIER2, ODR3]) is False
    assert follows_rule("place_tier3", [TIER2, ODR3]) is True
    assert recommendation_words([TIER2, ODR3]) == "Tier 3"
    # Change of intervention outranks a raise-goal prompt.
    assert follows_rule("intensify", [RAISE, CHANGE]) is True
