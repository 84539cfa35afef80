"""The teacher's class view on the home page (decisions.class_view, issue 20 item 1) and the
score entry it opens with everything preselected.

The class is tests/decisions/conftest.py's Grade 3 - Lee: fall ORF Maria 38 (high risk),
Ana 60 (some risk), Ben 72 (at or above). Both windows are open, so winter (the later) is
the current window and fall the last one. Winter cuts: benchmark 86, risk below 68.
Here Maria scores 70 in winter (some risk) and Ana 90 (at or above); Ben is not screened.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from decisions.class_summary import MeasureInfo, ScoreRow, summarize
from decisions.class_view import teacher_classes
from decisions.sweep import sweep
from interventions.models import Intervention, InterventionPlan
from screening.models import ScreeningWindow
from tests.decisions.conftest import AS_OF
from tests.factories import EnrollmentFactory, SectionFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def classroom(sweep_world):
    sw = sweep_world
    # A code nobody would write in a sentence: the page must show the measure's name only.
    sw.orf.code = "zq-orf-code"
    sw.orf.save()
    sweep(district_id=sw.world.district.pk, as_of=AS_OF, triggered_by="manual")
    sw.score(sw.maria, 70, sw.winter)
    sw.score(sw.ana, 90, sw.winter)
    return sw


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the pure summary --------------------------------------------------------------------


def test_summarize_a_hand_computed_class():
    orf = MeasureInfo(1, "Oral reading fluency", True, 1, 6)
    errors = MeasureInfo(2, "Reading errors", False, 0, 2)  # not given in grade 3
    rows = [
        ScoreRow(10, 1, 200, Decimal(70), "some_risk"),
        ScoreRow(10, 1, 100, Decimal(38), "high_risk"),
        ScoreRow(11, 1, 200, Decimal(90), "at_or_above"),
        ScoreRow(11, 1, 100, Decimal(95), "at_or_above"),
        ScoreRow(12, 1, 100, Decimal(72), "at_or_above"),
    ]
    results, health = summarize(
        students=[(10, 3), (11, 3), (12, 3)],
        scores=rows,
        measures={1: orf, 2: errors},
        current_window_id=200,
        previous_window_id=100,
    )
    [h] = health  # the errors measure has no score in the class: not one of its measures
    assert (h.scored, h.at_benchmark, h.percent, h.missing) == (2, 1, 50, [12])
    maria, ana, ben = results[10][0], results[11][0], results[12][0]
    assert (maria.trend, maria.change) == ("better", Decimal(32))  # high risk -> some risk
    assert (ana.trend, ana.change) == ("worse", Decimal(-5))  # same level, lower score
    assert (ben.current, ben.trend) == (None, "")


def test_summarize_reads_lower_is_better():
    errors = MeasureInfo(2, "Reading errors", False, 0, 5)
    rows = [ScoreRow(1, 2, 200, Decimal(4), ""), ScoreRow(1, 2, 100, Decimal(9), "")]
    results, health = summarize(
        students=[(1, 2)],
        scores=rows,
        measures={2: errors},
        current_window_id=200,
        previous_window_id=100,
    )
    assert results[1][0].trend == "better"
    assert results[1][0].current.risk_label == "No cut score"
    assert health[0].percent == 0


# --- the page ----------------------------------------------------------------------------


def test_the_teachers_home_shows_the_class_view(classroom):
    sw = classroom
    phonics = Intervention.objects.create(name="Phonics small group", domain="reading")
    InterventionPlan.objects.create(
        student=sw.maria,
        intervention=phonics,
        tier=2,
        domain="reading",
        status="active",
        start_date=dt.date(2026, 10, 5),
    )
    response = _client(sw.world.teacher).get("/")
    page = _text(response)
    assert response.status_code == 200
    assert "Grade 3 - Lee · Maple Elementary · Winter" in page
    # Tier 1 health: 1 of the 2 screened students at benchmark; the fall classwide problem.
    assert "Oral reading fluency: 1 of 2 screened students at or above benchmark (50%)" in page
    assert "Classwide problem in Oral reading fluency:" in page
    # Results with risk and change since fall.
    assert "Garcia, Maria 70 Some risk Better +32 (was high risk)" in page
    assert "Diaz, Ana 90 At or above benchmark Better +30 (was some risk)" in page
    assert "Cole, Ben Not screened yet" in page
    # Flagged, one line each, with the measure's name and never its code.
    flags = page.split("Flagged students", 1)[1].split("On an intervention plan", 1)[0]
    assert "Maria Garcia (Tier 3 suggested) : Oral reading fluency 38 in fall" in flags
    assert "Oral reading fluency" in flags
    assert "zq-orf-code" not in response.content.decode()
    # On a plan, and how it is going.
    plans = page.split("On an intervention plan", 1)[1]
    assert "Maria Garcia : Phonics small group (Tier 2, reading). No analysis yet" in plans
    assert "The plan needs a measure, a goal and a date." in plans  # the reconciled reasons
    # Missing screenings, with the link that opens the grid preselected.
    assert "Oral reading fluency, Winter 2026-2027: Ben Cole." in page
    link = (
        f"/screening/entry/?section={sw.world.section.pk}&amp;window={sw.winter.pk}"
        f"&amp;measure={sw.orf.pk}"
    )
    assert link in response.content.decode()


def test_a_teacher_sees_only_their_own_class(classroom):
    sw = classroom
    page = _text(_client(sw.world.other_teacher).get("/"))
    assert "Grade 3 - Park" in page
    for name in ("Maria Garcia", "Garcia, Maria", "Ana Diaz", "Grade 3 - Lee", "Liam"):
        assert name not in page
    # A team member who teaches nothing gets no class view.
    assert "Flagged students" not in _text(_client(sw.world.team_member).get("/"))


def test_the_class_view_says_what_to_do_when_empty(sweep_world):
    world = sweep_world.world
    page = _text(_client(world.other_teacher).get("/"))
    # Park's class has fall scores but none yet in winter, the current window.
    assert "Oral reading fluency: no scores yet in Winter 2026-2027" in page
    # With no score this window, nothing says the class is fine: the check has not run.
    assert "No classwide check yet: it needs scores from Winter 2026-2027." in page
    assert "No classwide problem flagged" not in page
    assert "No student in this class is on an intervention plan." in page
    loner = UserFactory(username="newteacher")
    from students.models import Membership, Role

    Membership.objects.create(
        user=loner, role=Role.TEACHER, school=world.school, district=world.district
    )
    page = _text(_client(loner).get("/"))
    assert "You teach no class this school year." in page
    empty = SectionFactory(school=world.school, school_year=world.section.school_year, name="Art")
    empty.teachers.add(loner)
    page = _text(_client(loner).get("/"))
    assert "No students are enrolled in this class yet." in page


def test_the_class_view_runs_a_fixed_number_of_queries(classroom, django_assert_num_queries):
    sw = classroom
    teacher = sw.world.teacher
    with django_assert_num_queries(QUERIES_WITHOUT_PLANS):
        teacher_classes(user=teacher)
    # More classes, students, scores and plans: still the same count.
    phonics = Intervention.objects.create(name="Phonics small group", domain="reading")
    second = SectionFactory(
        school=sw.world.school, school_year=sw.world.section.school_year, name="Grade 3 - Lee B"
    )
    second.teachers.add(teacher)
    for i in range(6):
        kid = StudentFactory(school=sw.world.school, first_name=f"Kid{i}", last_name="Extra")
        EnrollmentFactory(student=kid, section=second if i % 2 else sw.world.section)
        sw.score(kid, 50 + i, sw.winter)
        InterventionPlan.objects.create(
            student=kid,
            intervention=phonics,
            measure=sw.orf,
            goal=Decimal(90),
            goal_date=dt.date(2027, 3, 1),
            tier=2,
            domain="reading",
            status="active",
            start_date=dt.date(2026, 10, 5),
        )
    with django_assert_num_queries(QUERIES_WITH_PLANS):
        views = teacher_classes(user=teacher)
    assert [len(v.students) for v in views] == [6, 3]


# Sections, class lists, windows, scores, flags, plans and one look-up of the scoping itself;
# with plans, interventions' plan_views adds its own fixed set (eight when this was written:
# phases, points, sessions, season, cut-score sets, cut scores, thresholds, screening at
# benchmark).
QUERIES_WITHOUT_PLANS = 7
QUERIES_WITH_PLANS = 15


# --- score entry preselected -------------------------------------------------------------


def test_score_entry_opens_with_the_class_window_and_measure_preselected(classroom):
    sw = classroom
    response = _client(sw.world.teacher).get("/screening/entry/")
    html = response.content.decode()
    assert "Oral reading fluency · Winter 2026-2027 · Grade 3 - Lee" in _text(response)
    # The first student without a winter score has the focus: Ben Cole.
    focused = re.findall(r'id="score-(\d+)"[^>]*autofocus', html, flags=re.S)
    assert focused == [str(sw.ben.pk)]


def test_score_entry_keeps_what_the_teacher_chose(classroom):
    sw = classroom
    response = _client(sw.world.teacher).get(
        f"/screening/entry/?section={sw.world.section.pk}&window={sw.fall.pk}"
    )
    assert "Oral reading fluency · Fall 2026-2027 · Grade 3 - Lee" in _text(response)
    # Everyone has a fall score: no box takes the focus.
    assert "autofocus" not in response.content.decode()
    # Another teacher's class is still not theirs.
    other = _client(sw.world.teacher).get(f"/screening/entry/?section={sw.world.other_section.pk}")
    assert other.status_code == 404


def test_score_entry_preselects_the_class_even_when_no_window_is_open(classroom):
    sw = classroom
    ScreeningWindow.objects.filter(pk__in=[sw.fall.pk, sw.winter.pk]).update(is_open=False)
    response = _client(sw.world.teacher).get("/screening/entry/")
    html = response.content.decode()
    assert f'<option value="{sw.world.section.pk}" selected>' in html
    assert f'<option value="{sw.orf.pk}" selected>' in html
    assert "No screening window is open for entry right now." in _text(response)
    assert "This field is required" not in html  # nothing chosen yet: no error shown


def test_a_teachers_home_page_reads_a_fixed_number_of_queries(classroom):
    """What every teacher opens first thing: its cost must not grow with the classes, their
    students and windows (each window's name once read its school year on its own)."""
    sw = classroom
    client = _client(sw.world.teacher)
    client.get("/")  # warm the session
    with CaptureQueriesContext(connection) as one_class:
        assert "Grade 3 - Lee" in _text(client.get("/"))
    second = SectionFactory(
        school=sw.world.school, school_year=sw.world.section.school_year, name="Grade 3 - Lee B"
    )
    second.teachers.add(sw.world.teacher)
    for i in range(4):
        kid = StudentFactory(school=sw.world.school, first_name=f"Kid{i}", last_name="Extra")
        EnrollmentFactory(student=kid, section=second)
        sw.score(kid, 50 + i, sw.winter)
    with CaptureQueriesContext(connection) as two_classes:
        page = _text(client.get("/"))

    assert "Grade 3 - Lee B" in page
    # Session, user, roles; the home's sections and the class view's; enrollments, windows
    # (with their years), scores, flags, plans; the panels (sign-in codes, questions, the
    # students' own ratings); the access log; "My action items". (Before: 17, the two
    # windows' years read one by one as the page printed them.)
    assert len(two_classes) == len(one_class) <= 15
