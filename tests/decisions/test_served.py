"""Flags that know what is already being done: a screening or referral flag covered by an
active plan at the recommended tier (or higher) is context on that plan, not a new referral.

The district of tests/decisions/conftest.py: Maria (fall ORF 38, high risk: Tier 3), Ana (60,
some risk: Tier 2), Noah (50, high risk, Oak) have reading flags after a sweep.
"""

from __future__ import annotations

import datetime as dt
import re

from decisions.models import Flag
from decisions.selectors import flags_filter, new_flags_queue, served_counts
from decisions.sweep import sweep
from tests.decisions.conftest import AS_OF


def make_plan(sw, student, *, scores, tier=2, start=dt.date(2026, 9, 1)):
    """A reading plan as tests/decisions/test_sweep.py makes it (aim 3 a week from 40)."""
    from interventions.models import Intervention, InterventionPlan, ProgressScore

    intervention, _ = Intervention.objects.get_or_create(
        name=f"Repeated reading {student.pk}", domain="reading"
    )
    plan = InterventionPlan.objects.create(
        student=student,
        intervention=intervention,
        tier=tier,
        domain="reading",
        start_date=start,
        phase_start=start,
        measure=sw.orf,
        baseline=40,
        goal=100,
        goal_date=start + dt.timedelta(weeks=20),
        sessions_per_week=3,
    )
    ProgressScore.objects.bulk_create(
        ProgressScore(plan=plan, date=start + dt.timedelta(weeks=i), score=value)
        for i, value in enumerate(scores)
    )
    return plan


def reading_flag(student):
    return Flag.objects.get(
        student=student, kind="screening_risk", status__in=["open", "on_agenda"]
    )


def test_a_flag_covered_by_an_active_plan_at_the_recommended_tier_is_context_on_it(sweep_world):
    sw = sweep_world
    plan = make_plan(sw, sw.ana, scores=[])  # Tier 2 reading; Ana's flag recommends Tier 2
    under = make_plan(sw, sw.maria, scores=[])  # Tier 2 plan, Maria's flag says Tier 3
    run = sweep(district_id=sw.world.district.pk, as_of=AS_OF)

    assert reading_flag(sw.ana).context_plan_id == plan.pk
    assert reading_flag(sw.maria).context_plan_id is None  # Tier 2 does not cover Tier 3
    assert run.counts["served"] == {"linked": 1, "unlinked": 0}
    live = Flag.objects.filter(status__in=["open", "on_agenda"], domain="reading")
    queue = set(new_flags_queue(live).values_list("student_id", flat=True))
    assert sw.ana.pk not in queue and {sw.maria.pk, sw.noah.pk} <= queue
    assert served_counts(live.filter(kind="screening_risk")) == {"served": 1, "not_served": 2}
    assert list(flags_filter(live, served="served")) == [reading_flag(sw.ana)]
    assert under.pk  # the under-tier plan stays; Maria still waits for the team


def test_an_early_warning_flag_of_a_student_on_a_behavior_plan_is_context_on_it(sweep_world):
    """A suspension flag (behavior) for a student on a Tier 3 behavior plan is not a new
    referral: it is context on that plan, like a screening flag."""
    from decisions.served import link_served_flags
    from interventions.models import Intervention, InterventionPlan

    sw = sweep_world
    sweep(district_id=sw.world.district.pk, as_of=AS_OF)
    suspension = reading_flag(sw.ana)
    suspension.pk = None
    suspension.kind, suspension.domain, suspension.recommended_tier = "suspension", "behavior", 3
    suspension.save()
    intervention = Intervention.objects.create(name="Behavior support plan", domain="behavior")
    plan = InterventionPlan.objects.create(
        student=sw.ana,
        intervention=intervention,
        tier=3,
        domain="behavior",
        start_date=dt.date(2026, 9, 1),
        phase_start=dt.date(2026, 9, 1),
        measure=sw.orf,
        baseline=40,
        goal=100,
        goal_date=dt.date(2027, 1, 1),
        sessions_per_week=3,
    )

    link_served_flags(
        district_id=sw.world.district.pk, school_year_id=suspension.school_year_id, school_id=None
    )
    suspension.refresh_from_db()
    assert suspension.context_plan_id == plan.pk
    queue = new_flags_queue(Flag.objects.filter(kind="suspension"))
    assert not queue.exists()


def test_a_second_sweep_changes_nothing_and_a_closed_plan_unlinks(sweep_world):
    from interventions.models import InterventionPlan

    sw = sweep_world
    plan = make_plan(sw, sw.ana, scores=[])
    sweep(district_id=sw.world.district.pk, as_of=AS_OF)
    before = reading_flag(sw.ana).updated_at
    again = sweep(district_id=sw.world.district.pk, as_of=AS_OF)
    assert "served" not in again.counts
    assert reading_flag(sw.ana).updated_at == before

    InterventionPlan.objects.filter(pk=plan.pk).update(status="completed", end_date=AS_OF)
    third = sweep(district_id=sw.world.district.pk, as_of=AS_OF)
    assert reading_flag(sw.ana).context_plan_id is None
    assert third.counts["served"] == {"linked": 0, "unlinked": 1}


def test_a_served_flag_escalates_a_plan_that_is_not_responding(sweep_world):
    from interventions.models import InterventionSession

    sw = sweep_world
    # Aim 3 a week from 40; eight points creeping up by 0.5 a week, every session delivered
    # (Mon, Wed, Fri): change the intervention.
    plan = make_plan(sw, sw.ana, scores=[40, 40, 41, 41, 42, 42, 43, 43])
    day = dt.date(2026, 9, 1)
    while day <= dt.date(2026, 10, 20):
        if day.weekday() in (0, 2, 4):
            InterventionSession.objects.create(plan=plan, date=day, minutes=30, attended=True)
        day += dt.timedelta(days=1)
    sweep(district_id=sw.world.district.pk, as_of=dt.date(2026, 10, 27))
    flag = reading_flag(sw.ana)
    assert flag.context_plan_id == plan.pk
    assert Flag.objects.filter(plan=plan, kind="progress_change_intervention").exists()
    escalating = new_flags_queue(Flag.objects.filter(pk=flag.pk)).get()
    assert escalating.escalates


def test_a_plan_started_outside_a_meeting_answers_the_flags_it_covers(sweep_world):
    from interventions.signals import plan_started_outside_meeting
    from students.models import AccessLog

    sw = sweep_world
    sweep(district_id=sw.world.district.pk, as_of=AS_OF)
    ana_flag, maria_flag = reading_flag(sw.ana), reading_flag(sw.maria)
    for student in (sw.ana, sw.maria):
        plan = make_plan(sw, student, scores=[])
        plan_started_outside_meeting.send(
            sender=type(plan), plan=plan, actor=sw.world.team_member, audit=None
        )
    ana_flag.refresh_from_db()
    maria_flag.refresh_from_db()
    assert ana_flag.status == "accepted" and ana_flag.context_plan.student == sw.ana
    assert maria_flag.status == "open"  # Tier 2 plan, Tier 3 recommended: the team decides
    records = {
        int(log.object_id): log.detail["follows_rule"]
        for log in AccessLog.objects.filter(object_type="flag", detail__has_key="plan_started")
    }
    assert records == {ana_flag.pk: True, maria_flag.pk: False}


def _flag_count(html: str) -> str:
    found = re.search(r'id="flag-count"[^>]*>(.*?)</p>', html, re.S)
    return " ".join(found.group(1).split()) if found else ""


def test_the_flag_list_counts_each_served_choice_in_a_fixed_number_of_queries(
    sweep_world, django_assert_max_num_queries
):
    from django.db.models import Q
    from django.test import Client

    sw = sweep_world
    make_plan(sw, sw.ana, scores=[])  # serves Ana's Tier 2 reading flag
    sweep(district_id=sw.world.district.pk, as_of=AS_OF)
    client = Client()
    client.force_login(sw.world.team_member)
    school = sw.world.school
    live = Flag.objects.filter(status__in=["open", "on_agenda"]).filter(
        Q(student__school=school) | Q(student__isnull=True, section__school=school)
    )
    served = live.filter(context_plan__isnull=False).count()
    assert served == 1 and live.count() > 2
    expected = {"not_served": live.count() - 1, "served": 1, "all": live.count()}
    for choice, number in expected.items():
        # session, user, memberships, the filter's schools, the served counts (they give the
        # paginator its count), the page of flags, their current plans, the access log.
        with django_assert_max_num_queries(9):
            html = client.get("/flags/", {"status": "live", "served": choice}).content.decode()
        assert _flag_count(html) == (f"{number} flag" if number == 1 else f"{number} flags")
        assert len(set(re.findall(r'href="/flags/(\d+)/"', html))) == number
