"""One recommendation per plan (interventions.analysis.reconcile), in the documented order:
goal met, deliver as written first, consider Tier 3, change, raise the goal, continue, not
enough data. Pure, hand-made cases."""

from __future__ import annotations

from interventions.analysis.reconcile import reconcile


def rec(**kw):
    values = dict(
        recommendation="continue",
        before_gate=None,
        dual_discrepancy=False,
        fidelity=0.9,
        fidelity_minimum=0.8,
        points=8,
    )
    values.update(kw)
    return reconcile(**values)


def test_deliver_as_written_wins_over_dual_discrepancy_when_fidelity_is_low():
    # The case: "consider Tier 3" and "deliver as written first" on one plan.
    r = rec(
        recommendation="improve_fidelity",
        before_gate="change_intervention",
        dual_discrepancy=True,
        fidelity=0.69,
    )
    assert r.key == "improve_fidelity" and r.label == "Deliver the plan as written first"
    assert "69%" in r.reasons[0] and "80%" in r.reasons[0]
    assert any("change the intervention" in x for x in r.reasons)
    assert any("dual discrepancy" in x for x in r.reasons)


def test_dual_discrepancy_with_adequate_fidelity_is_consider_tier_3():
    r = rec(recommendation="change_intervention", dual_discrepancy=True, fidelity=0.85)
    assert r.key == "tier3"
    assert len(r.reasons) == 3 and "85%" in r.reasons[2]


def test_dual_discrepancy_alone_with_unknown_fidelity_waits_for_delivery():
    r = rec(recommendation="continue", dual_discrepancy=True, fidelity=None)
    assert r.key == "improve_fidelity" and "unknown" in r.reasons[0]


def test_goal_met_comes_first():
    r = rec(recommendation="exit", dual_discrepancy=True, fidelity=0.4)
    assert r.key == "exit" and len(r.reasons) == 2


def test_one_rule_speaking_is_passed_through_with_its_reason():
    assert rec(recommendation="raise_goal").key == "raise_goal"
    assert rec(recommendation="change_intervention").key == "change_intervention"
    r = rec(recommendation="insufficient_data", points=1)
    assert r.key == "insufficient_data" and r.reasons == ("1 point in this phase; 6 needed.",)
    assert rec(recommendation="").key == "none"


def test_served_flags_are_reasons_not_recommendations():
    r = rec(served_flags=["Screening risk, Tier 3"])
    assert r.key == "continue"
    assert r.reasons[-1] == "Already served by this plan: Screening risk, Tier 3."


CICO_FADE = "At goal (80% of points) on 8 of 10 days from 3 Oct to 16 Oct: fade CICO."
CICO_ADJUST = "At goal (80% of points) on 7 of 10 days from 3 Oct to 16 Oct: adjust CICO."


def test_cico_fade_comes_after_goal_met_and_before_the_fidelity_gate():
    r = rec(recommendation="exit", cico="fade", cico_sentence=CICO_FADE)
    assert r.key == "exit" and CICO_FADE in r.reasons
    r = rec(
        recommendation="improve_fidelity", before_gate="change_intervention", fidelity=None,
        cico="fade", cico_sentence=CICO_FADE,
    )  # fmt: skip
    assert r.key == "cico_fade"
    assert r.reasons == (CICO_FADE, "The trend of the daily percentages is below the aim line.")


def test_cico_adjust_replaces_the_trend_rule_but_not_the_gate_or_tier_3():
    r = rec(recommendation="raise_goal", cico="adjust", cico_sentence=CICO_ADJUST)
    assert (r.key, r.label) == ("cico_adjust", "CICO: adjust the card or the check-ins")
    assert r.reasons[:2] == (
        CICO_ADJUST,
        "The trend of the daily percentages is above the aim line.",
    )
    assert rec(recommendation="continue", fidelity=0.5, cico="adjust").key == "improve_fidelity"
    r = rec(recommendation="change_intervention", dual_discrepancy=True, cico="adjust",
            cico_sentence=CICO_ADJUST)  # fmt: skip
    assert r.key == "tier3" and r.reasons[-1] == CICO_ADJUST


def test_cico_without_enough_cards_leaves_the_progress_rules_in_charge():
    r = rec(recommendation="continue", cico="insufficient_data", cico_sentence="3 card(s) ...")
    assert r.key == "continue" and r.reasons[-1] == "3 card(s) ..."
