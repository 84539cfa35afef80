"""Recorded decisions judged again with the right rule (meetings.rejudge): a continue on a
responding plan recorded against an old Tier 3 flag becomes "follows the rules"; an
intensify recorded as following a Tier 3 flag over an undelivered plan becomes "against the
fidelity gate" (without a rationale it stays unmarked as an override, but follows_rule says
so, and the equity step counts it)."""

from __future__ import annotations

from django.core.management import call_command

from meetings.models import Decision
from meetings.rejudge import decision_rejudge_all

RISING = [42, 44, 46, 48, 49, 51, 53, 54, 56, 58]


def test_it_judges_recorded_decisions_again_as_of_their_meeting(kit):
    w = kit.world
    plan = kit.plan(w.student, tier=3)
    kit.progress(plan, RISING, delivered=1.0)
    old = kit.flag(w.student, kind="screening_risk", tier=3)
    undelivered = kit.plan(w.classmate)
    kit.flag(w.classmate, kind="screening_risk", tier=3)
    cont = Decision.objects.create(
        meeting=kit.meeting,
        student=w.student,
        type="continue",
        domain="reading",
        plan=plan,
        follows_rule=False,
        is_override=True,
        rationale="Recorded against the old flag.",
    )
    cont.flags.set([old])
    up = Decision.objects.create(
        meeting=kit.meeting,
        student=w.classmate,
        type="intensify",
        domain="reading",
        plan=undelivered,
        follows_rule=True,
    )
    results = {r.decision_id: r for r in decision_rejudge_all()}
    assert results[cont.pk].flag_rule is False  # an old Tier 3 flag: "continue" was "against"
    cont.refresh_from_db()
    up.refresh_from_db()
    assert (cont.follows_rule, cont.is_override, cont.judged_basis) == (True, False, "plan")
    assert (up.follows_rule, up.is_override, up.judged_basis) == (False, False, "fidelity_gate")
    assert up.judged_evidence["rejudged"] is True


def test_the_command_reports_without_writing(kit, capsys):
    w = kit.world
    plan = kit.plan(w.student)
    Decision.objects.create(
        meeting=kit.meeting, student=w.student, type="continue", domain="reading", plan=plan
    )
    call_command("rejudge_decisions")
    out = capsys.readouterr().out
    assert "decisions: 1" in out and "judged by the right rule: 0/1 (0%)" in out
    assert Decision.objects.get().judged_basis == ""
