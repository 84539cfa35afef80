"""The nightly refresh of the stored progress figures (interventions.tasks, migration 0006).

The dashboards read each plan's PlanProgress row. The services keep it current; a change
made around them (the admin, a shell, an import) leaves it stale until the nightly task
stores every plan of the district again. Every expected figure is worked out by hand in
the test's docstring or comment.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django_celery_beat.models import PeriodicTask

from interventions import progress_summary, services
from interventions.models import (
    InterventionPlan,
    InterventionSession,
    PlanProgress,
    ProgressScore,
)
from interventions.tasks import refresh_progress, refresh_progress_all_districts
from tests.factories import DistrictFactory, SchoolFactory, StudentFactory
from tests.interventions.conftest import days_ago, start_plan, today

FIGURES = progress_summary.FIGURES


def stored(plan: InterventionPlan) -> dict:
    return PlanProgress.objects.filter(plan=plan).values("plan_id", *FIGURES).get()


def test_the_nightly_task_stores_the_figures_of_every_plan_of_its_district(world, kit):
    """Maria's plan gets its points and sessions through the ORM, so its row still says
    0 points. By hand, her phase starts 14 days ago (baseline 40, goal 70 ten weeks on,
    3 sessions a week): points 40, 43, 46 a week apart rise 3 a week; the aim is
    (70 - 40) / 10 = 3 a week; 3 sessions attended of 3 x 15 / 7 planned from the start to
    the latest point (today) is 7/15; no point at 70. Liam's plan (no baseline, goal 50 six
    weeks on) gets 30, 35, 52 through the services: slope ((-1)(-9) + (1)(13)) / 2 = 11 a
    week, baseline the median 35, aim (50 - 35) / 6 = 2.5, the last point alone at the goal.
    A plan of another district is left alone."""
    maria = start_plan(
        world,
        kit,
        start_date=days_ago(14),
        baseline="40",
        goal="70",
        goal_date=days_ago(14) + dt.timedelta(weeks=10),
        sessions_per_week=3,
    )
    for days, score in ((14, 40), (7, 43), (0, 46)):
        ProgressScore.objects.create(plan=maria, date=days_ago(days), score=score)
    for days in (14, 12, 7, 0):
        InterventionSession.objects.create(
            plan=maria, date=days_ago(days), minutes=30, attended=days != 12
        )
    liam = start_plan(
        world,
        kit,
        student=world.classmate,
        start_date=days_ago(21),
        baseline=None,
        goal="50",
        goal_date=days_ago(21) + dt.timedelta(weeks=6),
    )
    for days, score in ((21, 30), (14, 35), (7, 52)):
        services.progress_record(
            plan=liam, date=days_ago(days), score=score, actor=world.interventionist
        )
    elsewhere = InterventionPlan.objects.create(
        student=StudentFactory(school=SchoolFactory(district=DistrictFactory())),
        intervention=kit.fluency,
        tier=2,
        domain="reading",
        start_date=days_ago(7),
    )
    assert stored(maria)["points"] == 0  # stale: the points went around the services

    assert refresh_progress(world.district.pk) == 2

    assert stored(maria) == {
        "plan_id": maria.pk,
        "points": 3,
        "latest": today(),
        "trend_slope": pytest.approx(3.0),
        "aim_slope": pytest.approx(3.0),
        "fidelity": pytest.approx(7 / 15),
        "goal_streak": 0,
    }
    assert stored(liam) == {
        "plan_id": liam.pk,
        "points": 3,
        "latest": days_ago(7),
        "trend_slope": pytest.approx(11.0),
        "aim_slope": pytest.approx(2.5),
        "fidelity": None,
        "goal_streak": 1,
    }
    live = progress_summary.figures([maria.pk, liam.pk], as_of=today())
    assert [stored(maria), stored(liam)] == sorted(live, key=lambda r: r["plan_id"])
    assert set(PlanProgress.objects.values_list("as_of", flat=True)) == {today()}
    assert not PlanProgress.objects.filter(plan=elsewhere).exists()


def test_the_nightly_task_fixes_a_row_left_stale_by_a_point_saved_around_the_services(world, kit):
    """Liam's points 30, 35, 52 go through the services (slope 11, one point at the goal 50).
    A fourth point, 44 today, saved with the ORM is not counted until the task runs. By hand
    with x = 0..3 weeks: mean x 1.5, mean score 40.25, sum of products
    (-1.5)(-10.25) + (-0.5)(-5.25) + (0.5)(11.75) + (1.5)(3.75) = 29.5 over 5 = 5.9 a
    week; the baseline is still the median of the first three, 35 (aim 2.5); 44 is short of
    50, so no point in a row at the goal."""
    liam = start_plan(
        world,
        kit,
        student=world.classmate,
        start_date=days_ago(21),
        baseline=None,
        goal="50",
        goal_date=days_ago(21) + dt.timedelta(weeks=6),
    )
    for days, score in ((21, 30), (14, 35), (7, 52)):
        services.progress_record(
            plan=liam, date=days_ago(days), score=score, actor=world.interventionist
        )
    assert (stored(liam)["trend_slope"], stored(liam)["goal_streak"]) == (
        pytest.approx(11.0),
        1,
    )
    ProgressScore.objects.create(plan=liam, date=today(), score=44)
    assert stored(liam)["points"] == 3  # the dashboards would still show the old trend

    refresh_progress(world.district.pk)

    assert stored(liam) == {
        "plan_id": liam.pk,
        "points": 4,
        "latest": today(),
        "trend_slope": pytest.approx(5.9),
        "aim_slope": pytest.approx(2.5),
        "fidelity": None,
        "goal_streak": 0,
    }


def test_migration_0006_schedules_the_refresh_of_every_district_nightly_at_2_15(db):
    task = PeriodicTask.objects.get(task="interventions.tasks.refresh_progress_all_districts")
    assert task.task == refresh_progress_all_districts.name
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("2", "15")


def _nightly_waits_for_a_plan() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_point_saved_while_the_nightly_task_runs_is_counted_not_overwritten(world, kit):
    """The nightly task starts while a teacher's save is still open (it holds the plan):
    the task waits for the save to commit and stores 2 points, not the 1 it could have read
    before."""
    plan = start_plan(world, kit, start_date=days_ago(14), baseline="40", goal="70")
    services.progress_record(plan=plan, date=days_ago(7), score=41, actor=world.interventionist)
    errors: list[BaseException] = []

    def nightly() -> None:
        try:
            refresh_progress(world.district.pk)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    with transaction.atomic():
        services.progress_record(plan=plan, date=today(), score=45, actor=world.interventionist)
        task = threading.Thread(target=nightly)
        task.start()
        deadline = time.monotonic() + 20
        while not _nightly_waits_for_a_plan():
            assert time.monotonic() < deadline, "the nightly task never waited for the save"
            time.sleep(0.05)
    task.join(30)
    assert not errors
    assert PlanProgress.objects.get(plan=plan).points == 2
