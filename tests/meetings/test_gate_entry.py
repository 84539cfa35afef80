"""The fidelity gate in meeting mode and through the decisions API: intensifying a plan
delivered below the district's minimum needs the team's reason, and the decision keeps the
rule and the evidence it was judged against."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from meetings import services
from meetings.models import Decision

FLAT = [42, 43, 42, 44, 43, 44, 43, 44, 44, 45]


def item_for(kit, student):
    return services.agenda_item_add(
        meeting=kit.meeting, student=student, actor=kit.world.team_member
    )


def test_meeting_mode_asks_for_a_reason_to_intensify_under_low_fidelity(client, kit):
    w = kit.world
    plan = kit.plan(w.student)
    kit.progress(plan, FLAT, delivered=0.6)
    item = item_for(kit, w.student)
    client.force_login(w.team_member)
    url = reverse("meetings:item_decide", args=[kit.meeting.pk, item.pk])
    post = {"type": "intensify", "plan": plan.pk, "sessions_per_week": 5}
    refused = client.post(url, post)
    assert refused.status_code == 400
    assert "fidelity gate" in refused.content.decode()
    assert not Decision.objects.exists()
    assert client.post(url, {**post, "rationale": "New interventionist."}).status_code == 302
    d = Decision.objects.get()
    assert d.is_override and d.judged_basis == "fidelity_gate" and d.judged_rule == "fidelity_gate"
    assert d.judged_evidence["plan"] == plan.pk and d.judged_evidence["minimum"] == 0.8
    card = client.get(reverse("meetings:run_item", args=[kit.meeting.pk, item.pk]))
    assert "Judged against the fidelity gate" in card.content.decode()


def test_continue_on_a_responding_plan_follows_the_plan_not_an_old_tier_3_flag(client, kit):
    w = kit.world
    plan = kit.plan(w.student)
    kit.progress(plan, [42, 44, 46, 48, 49, 51, 53, 54, 56, 58], delivered=1.0)
    kit.flag(w.student, kind="screening_risk", tier=3)
    item = item_for(kit, w.student)
    d = services.meeting_record_decision(
        meeting=kit.meeting, item=item, type="continue", plan=plan, actor=w.team_member
    )
    assert d.follows_rule is True and d.judged_basis == "plan"
    assert d.judged_evidence["analysis"] in ("continue", "raise_goal")


def test_the_decisions_api_holds_intensify_at_the_gate_and_returns_the_judgement(kit):
    w = kit.world
    plan = kit.plan(w.student)
    kit.progress(plan, FLAT, delivered=0.6)
    item = item_for(kit, w.student)
    client = APIClient()
    client.force_login(w.team_member)
    body = {
        "meeting": kit.meeting.pk,
        "item": item.pk,
        "type": "intensify",
        "plan": plan.pk,
        "sessions_per_week": 5,
    }
    refused = client.post("/api/v1/decisions/", body, format="json")
    assert refused.status_code == 400 and "fidelity gate" in refused.json()["rationale"][0]
    ok = client.post("/api/v1/decisions/", {**body, "rationale": "Reason."}, format="json")
    assert ok.status_code == 201
    data = ok.json()
    assert data["is_override"] is True and data["judged_basis"] == "fidelity_gate"
    assert data["judged_evidence"]["plan"] == plan.pk
