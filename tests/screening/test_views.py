"""Screening pages: score entry (grid, cell, whole class), SRSS-IE rating, completion,
referrals and the profile's screening history.

Expected values are worked out by hand from the fixtures: grade 3 fall ORF cut scores are
benchmark 70 / high-risk cut 55 (tests/screening/conftest.py), so 62 is "some risk", 80 "at or
above", 40 "high risk"; a lone score in its norm group has PR = 100 * (0 + 0.5) / 1 = 50.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from screening.models import BehaviorRating, Referral, ScreeningScore
from screening.services import ScoreInput, scores_bulk_record
from students.models import AccessLog
from tests.factories import EnrollmentFactory, SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db


def grid_url(world, screening, window=None, measure=None, section=None) -> str:
    return reverse("screening:score_entry") + (
        f"?section={(section or world.section).pk}&window={(window or screening.fall).pk}"
        f"&measure={(measure or screening.orf).pk}"
    )


def cell_url(world, screening, student=None, window=None, section=None) -> str:
    return reverse(
        "screening:score_entry_cell",
        args=[
            (section or world.section).pk,
            (window or screening.fall).pk,
            screening.orf.pk,
            (student or world.student).pk,
        ],
    )


def post_cell(client, world, screening, value: str, student=None, window=None, **headers):
    student = student or world.student
    return client.post(
        cell_url(world, screening, student=student, window=window),
        {f"score-{student.pk}": value},
        headers={"HX-Request": "true", **headers},
    )


def add_students(world, n: int) -> list:
    students = [
        StudentFactory(school=world.school, first_name=f"Kid{i:02d}", last_name=f"Class{i:02d}")
        for i in range(n)
    ]
    for s in students:
        EnrollmentFactory(student=s, section=world.section)
    return students


# -- the grid --------------------------------------------------------------------------------


def test_it_shows_the_teachers_class_as_a_grid_of_labelled_boxes(client, world, screening):
    client.force_login(world.teacher)
    response = client.get(grid_url(world, screening))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Garcia, Maria" in html
    assert f'name="score-{world.student.pk}"' in html
    assert f'<label class="visually-hidden" for="score-{world.student.pk}">' in html
    # The classmate is in another teacher's section: not in this grid.
    assert "Smith" not in html
    assert "Fall 2026-2027 scores entered: 0 of 1 student" in html


def test_it_shows_previous_windows_scores_with_their_risk(client, world, screening):
    screening.winter.is_open = True
    screening.winter.save()
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.fall, value=50
            )
        ],
        entered_by=None,
    )
    client.force_login(world.teacher)
    html = client.get(grid_url(world, screening, window=screening.winter)).content.decode()
    # Fall 50 < high-risk cut 55: high risk, shown in the fall column of the winter grid.
    assert "Fall 2026-2027</th>" in html
    assert 'class="prev-col risk-high_risk"' in html
    assert "High risk" in html


def test_it_lists_only_open_windows_of_the_current_year_to_a_teacher(client, world, screening):
    client.force_login(world.teacher)
    html = client.get(reverse("screening:score_entry")).content.decode()
    # The open window is offered, and preselected (issue 20: the teacher's class opens).
    assert f'<option value="{screening.fall.pk}" selected>Fall 2026-2027</option>' in html
    assert f'value="{screening.winter.pk}"' not in html  # closed


def test_it_offers_closed_windows_to_a_principal_for_late_entry(client, world, screening):
    client.force_login(world.principal)
    html = client.get(reverse("screening:score_entry")).content.decode()
    assert f'<option value="{screening.winter.pk}">Winter 2026-2027 (closed)</option>' in html


def test_it_shows_no_box_for_a_student_whose_grade_the_measure_does_not_serve(
    client, world, screening
):
    (kinder,) = add_students(world, 1)
    kinder.grade = 0
    kinder.save()
    client.force_login(world.teacher)
    html = client.get(grid_url(world, screening)).content.decode()
    # ORF is for grades 1-6: Maria (grade 3) gets a box, the kindergartner does not.
    assert f'name="score-{world.student.pk}"' in html
    assert f'name="score-{kinder.pk}"' not in html
    assert "Not given in grade K" in html
    assert "scores entered: 0 of 1 student" in html


def test_it_tells_a_teacher_without_classes_what_to_do(client, world, screening):
    client.force_login(world.interventionist)
    html = client.get(reverse("screening:score_entry")).content.decode()
    assert "You have no classes to enter scores for." in html


def test_it_loads_the_grid_in_the_same_number_of_queries_for_5_and_30_students(
    client, world, screening, django_assert_max_num_queries
):
    client.force_login(world.teacher)
    add_students(world, 4)
    client.get(grid_url(world, screening))  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(grid_url(world, screening)).status_code == 200
    baseline = len(small)  # read now: every request clears the query log
    # 14 before the class, window and measure lists were read once for both checking the
    # choice and listing the options (mtss/lib/listed_choices.py).
    assert baseline <= 11
    add_students(world, 25)
    with django_assert_max_num_queries(baseline):
        response = client.get(grid_url(world, screening))
    assert response.content.decode().count("data-grid-input") == 30


def test_it_records_in_the_access_log_who_opened_the_grid(client, world, screening):
    client.force_login(world.teacher)
    client.get(grid_url(world, screening))
    log = AccessLog.objects.get(object_type="screening_scores")
    assert (log.user, log.student, log.action) == (world.teacher, world.student, "view")


# -- one cell --------------------------------------------------------------------------------


def test_it_saves_a_cell_and_answers_with_its_risk_label_colour_and_percentile(
    client, world, screening
):
    client.force_login(world.teacher)
    response = post_cell(client, world, screening, "62")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="cell-{world.student.pk}"' in html
    assert "risk-some_risk" in html
    assert ">Some risk<" in html
    assert "50th percentile" in html
    assert "aria-invalid" not in html
    assert "Saved Maria Garcia: 62, some risk" in html  # the live region, out of band
    assert (
        '<span id="grid-count" hx-swap-oob="true">Fall 2026-2027 scores entered: 1 of 1 student'
        in html
    )
    score = ScreeningScore.objects.get(student=world.student, window=screening.fall)
    assert (score.score, score.risk_level, score.percentile_rank) == (
        Decimal("62"),
        "some_risk",
        50,
    )
    assert score.entered_by == world.teacher


def test_it_refreshes_the_classmates_percentile_ranks_after_a_save(client, world, screening):
    (a,) = add_students(world, 1)
    client.force_login(world.teacher)
    post_cell(client, world, screening, "62")
    html = post_cell(client, world, screening, "80", student=a).content.decode()
    # Group 62, 80: PR of 62 = 100 * (0 + 0.5) / 2 = 25; of 80 = 100 * 1.5 / 2 = 75.
    assert "75th percentile" in html
    assert (
        f'<span class="pr" id="pr-{world.student.pk}" hx-swap-oob="true">25th percentile</span>'
        in html
    )


def test_a_box_saves_in_the_same_few_queries_for_a_class_of_2_and_of_30(client, world, screening):
    """A teacher types a class's scores box by box: each save's cost is a page's budget, and
    it must not grow with the class (nor re-read the grid)."""
    (first,) = add_students(world, 1)
    client.force_login(world.teacher)
    post_cell(client, world, screening, "60")  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert "Saved" in post_cell(client, world, screening, "61", student=first).content.decode()
    others = add_students(world, 28)
    with CaptureQueriesContext(connection) as big:
        html = post_cell(client, world, screening, "62", student=others[-1]).content.decode()

    assert "scores entered: 3 of 30 students" in html
    # Session, user and roles (3); the class, window, measure and student the URL names (4);
    # the save: the student's facts, the schools' own dates of the window, the cut scores (2),
    # the norm group's lock, the stored score, the write, the ranks, the access log, the
    # saved score (10); the new count and ranks (1); the scores-saved event and the test's
    # savepoint around the save (3). None re-reads the grid. In production a
    # save while its school's sweep is scheduled records no event (tests/decisions).
    assert len(small) <= 21
    assert len(big) == len(small)


def test_it_corrects_a_saved_score_from_the_same_cell(client, world, screening):
    client.force_login(world.teacher)
    post_cell(client, world, screening, "62")
    html = post_cell(client, world, screening, "80").content.decode()
    assert ">At or above benchmark<" in html
    score = ScreeningScore.objects.get(student=world.student, window=screening.fall)
    assert (score.score, score.risk_level) == (Decimal("80"), "at_or_above")
    assert score.changes.get().old_value == Decimal("62")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("300", "Enter a number from 0 to 250."),
        ("-1", "Enter a number from 0 to 250."),
        ("abc", "“abc” is not a number. Enter a number from 0 to 250."),
        ("6 2", "“6 2” is not a number. Enter a number from 0 to 250."),
        ("62.125", "Use at most 2 decimal places. Enter a number from 0 to 250."),
        ("NaN", "Enter a number from 0 to 250."),
    ],
)
def test_it_refuses_a_bad_value_in_place_and_saves_nothing(
    client, world, screening, typed, message
):
    client.force_login(world.teacher)
    response = post_cell(client, world, screening, typed)
    assert response.status_code == 200  # htmx swaps the cell with its message
    html = response.content.decode()
    sid = world.student.pk
    assert message in html
    assert 'aria-invalid="true"' in html
    assert f'aria-describedby="score-{sid}-error"' in html
    assert f'id="score-{sid}-error"' in html
    assert f'value="{typed}"' in html  # what was typed stays, to be fixed
    assert not ScreeningScore.objects.exists()


def test_it_keeps_the_saved_score_when_a_new_value_is_refused(client, world, screening):
    client.force_login(world.teacher)
    post_cell(client, world, screening, "62")
    html = post_cell(client, world, screening, "999").content.decode()
    assert "Enter a number from 0 to 250." in html
    assert "Still saved: 62." in html
    assert ScreeningScore.objects.get().score == Decimal("62")


def test_it_does_not_erase_a_saved_score_when_the_box_is_emptied(client, world, screening):
    client.force_login(world.teacher)
    post_cell(client, world, screening, "62")
    html = post_cell(client, world, screening, "").content.decode()
    assert "A saved score can&#x27;t be erased here" in html
    assert 'value="62"' in html
    assert ScreeningScore.objects.get().score == Decimal("62")


def test_it_refuses_a_teacher_in_a_closed_window_with_the_reason(client, world, screening):
    client.force_login(world.teacher)
    html = post_cell(client, world, screening, "62", window=screening.winter).content.decode()
    assert "The Winter 2026-2027 screening window is closed." in html
    assert not ScreeningScore.objects.exists()


def test_it_lets_a_principal_enter_a_late_score_in_a_closed_window(client, world, screening):
    client.force_login(world.principal)
    html = post_cell(client, world, screening, "90", window=screening.winter).content.decode()
    # Winter grade 3: benchmark 86.
    assert ">At or above benchmark<" in html
    assert ScreeningScore.objects.get().window == screening.winter


# -- the whole class -------------------------------------------------------------------------


def save_all(client, world, screening, values: dict) -> object:
    data = {"section": world.section.pk, "window": screening.fall.pk, "measure": screening.orf.pk}
    data.update({f"score-{s.pk}": v for s, v in values.items()})
    return client.post(reverse("screening:score_entry_save"), data)


def test_it_saves_the_whole_class_in_one_submit(client, world, screening):
    a, b = add_students(world, 2)
    client.force_login(world.teacher)
    response = save_all(client, world, screening, {world.student: "62", a: "80", b: ""})
    assert response.status_code == 302
    assert response.url == grid_url(world, screening)
    saved = {s.student_id: (s.score, s.risk_level) for s in ScreeningScore.objects.all()}
    assert saved == {
        world.student.pk: (Decimal("62"), "some_risk"),
        a.pk: (Decimal("80"), "at_or_above"),
    }
    page = client.get(response.url).content.decode()
    assert "Saved the class&#x27;s Oral reading fluency scores for Fall 2026-2027: 2 scores" in page


def test_it_saves_the_good_rows_and_shows_each_refused_row_with_its_message(
    client, world, screening
):
    a, b = add_students(world, 2)
    client.force_login(world.teacher)
    response = save_all(client, world, screening, {world.student: "62", a: "abc", b: "400"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 scores could not be saved; the other scores were saved (1 new or changed)" in html
    assert f'href="#score-{a.pk}">Kid00 Class00</a>: “abc” is not a number.' in html
    assert f'href="#score-{b.pk}">Kid01 Class01</a>: Enter a number from 0 to 250.' in html
    assert f'id="score-{a.pk}" name="score-{a.pk}" value="abc"' in html
    assert html.count('aria-invalid="true"') == 2
    assert list(ScreeningScore.objects.values_list("student_id", flat=True)) == [world.student.pk]


def test_it_saves_a_class_in_the_same_number_of_queries_for_5_and_30_students(
    client, world, screening, django_assert_max_num_queries
):
    client.force_login(world.teacher)
    small_class = [world.student, *add_students(world, 4)]
    client.get(reverse("screening:score_entry"))
    with CaptureQueriesContext(connection) as small:
        save_all(client, world, screening, {s: "60" for s in small_class})
    baseline = len(small)  # read now: every request clears the query log
    # 20, the INSERT of the scores-saved event (students/outbox.py), the schools' own dates
    assert baseline <= 22
    big_class = small_class + add_students(world, 25)
    ScreeningScore.objects.all().delete()
    with django_assert_max_num_queries(baseline):
        response = save_all(client, world, screening, {s: "60" for s in big_class})
    assert response.status_code == 302
    assert ScreeningScore.objects.count() == 30


# -- SRSS-IE ---------------------------------------------------------------------------------

# Externalizing 1+2+3+0+1+0+2 = 9 (high: 9-21); internalizing 0+1+0+1+0 = 2 (moderate: 2-3).
RATING = {
    "steal": 1,
    "lie_cheat_sneak": 2,
    "behavior_problem": 3,
    "peer_rejection": 0,
    "low_achievement": 1,
    "negative_attitude": 0,
    "aggressive": 2,
    "emotionally_flat": 0,
    "shy_withdrawn": 1,
    "sad_depressed": 0,
    "anxious": 1,
    "lonely": 0,
}


def rate(client, world, screening, items: dict, **headers):
    sid = world.student.pk
    return client.post(
        reverse("screening:behavior_rating_save", args=[world.section.pk, screening.fall.pk, sid]),
        {f"s{sid}-{k}": v for k, v in items.items()},
        headers=headers,
    )


def test_it_shows_the_class_for_rating_with_a_labelled_select_per_item(client, world, screening):
    client.force_login(world.teacher)
    url = reverse("screening:behavior_rating")
    html = client.get(
        f"{url}?section={world.section.pk}&window={screening.fall.pk}"
    ).content.decode()
    sid = world.student.pk
    assert (
        f'<label class="visually-hidden" for="id_s{sid}-steal">Takes things that are not theirs, Maria Garcia</label>'
        in html
    )
    assert f'form="rate-{sid}"' in html
    assert "Not rated yet" in html


def test_it_saves_a_rating_row_with_totals_and_srss_risk_levels(client, world, screening):
    client.force_login(world.teacher)
    response = rate(client, world, screening, RATING, **{"HX-Request": "true"})
    html = response.content.decode()
    assert "Externalizing 9" in html and ">High risk<" in html
    assert "Internalizing 2" in html and ">Moderate risk<" in html
    rating = BehaviorRating.objects.get()
    assert (rating.externalizing_total, rating.internalizing_total) == (9, 2)
    levels = dict(ScreeningScore.objects.values_list("measure__code", "risk_level"))
    assert levels == {"srss-e7": "high_risk", "srss-i5": "some_risk"}


def test_it_refuses_an_incomplete_rating_and_saves_nothing(client, world, screening):
    client.force_login(world.teacher)
    partial = {k: v for k, v in RATING.items() if k != "anxious"}
    html = rate(client, world, screening, partial, **{"HX-Request": "true"}).content.decode()
    assert "Not saved: every item needs a rating from 0 to 3." in html
    assert not BehaviorRating.objects.exists()
    assert not ScreeningScore.objects.exists()


def test_it_redirects_a_plain_rating_post_back_to_the_class(client, world, screening):
    client.force_login(world.teacher)
    response = rate(client, world, screening, RATING)
    assert response.status_code == 302
    assert f"section={world.section.pk}" in response.url


# -- completion ------------------------------------------------------------------------------


def completion_html(client, user, screening) -> str:
    client.force_login(user)
    url = reverse("screening:completion")
    response = client.get(f"{url}?window={screening.fall.pk}&measure={screening.orf.pk}")
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, heading: str) -> str:
    """The table row whose header cell is `heading`, for reading its numbers."""
    start = html.index(f'<th scope="row">{heading}</th>')
    return html[start : html.index("</tr>", start)]


def test_it_counts_screened_students_per_school_and_class(client, world, screening):
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.fall, value=62
            )
        ],
        entered_by=None,
    )
    html = completion_html(client, world.district_admin, screening)
    # Maple: Maria (scored) and Liam (not) -> 1 of 2, 50 %. Oak: Noah, not scored -> 0 %.
    maple = row_of(html, "Maple Elementary")
    assert [n in maple for n in ('<td class="num">2</td>', '<td class="num">1</td>', "50%")] == [
        True
    ] * 3
    oak = row_of(html, "Oak Elementary")
    assert "0%" in oak
    assert 'no-data" colspan="3">No data<' in oak  # not "0 at risk"
    lee = row_of(html, "Grade 3 - Lee")
    assert "100%" in lee
    ruiz = row_of(html, "Grade 3 - Ruiz")
    assert "0%" in ruiz


def test_it_says_no_data_for_a_school_without_students_in_the_measures_grades(
    client, world, screening
):
    SchoolFactory(
        district=world.district, name="Cedar Early Learning", lowest_grade=-1, highest_grade=0
    )
    html = completion_html(client, world.district_admin, screening)
    assert "No data: no students in these grades" in row_of(html, "Cedar Early Learning")


def test_it_links_missing_students_only_for_those_who_may_see_them(client, world, screening):
    missing = reverse("screening:completion_missing")
    html = completion_html(client, world.teacher, screening)
    # The teacher reads Maple's totals but may list only the missing of their own class.
    assert f"section={world.section.pk}" in html
    assert f"section={world.other_section.pk}" not in html
    assert f"school={world.school.pk}" not in html
    html = completion_html(client, world.principal, screening)
    assert (
        f"{missing}?window={screening.fall.pk}&amp;measure={screening.orf.pk}&amp;school={world.school.pk}"
        in html
    )
    assert "Oak Elementary" not in html  # not the principal's school


def test_it_lists_the_students_still_missing_a_score(client, world, screening):
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.fall, value=62
            )
        ],
        entered_by=None,
    )
    client.force_login(world.principal)
    url = reverse("screening:completion_missing")
    html = client.get(
        f"{url}?window={screening.fall.pk}&measure={screening.orf.pk}&school={world.school.pk}"
    ).content.decode()
    assert "Smith, Liam" in html
    assert "Garcia, Maria" not in html
    assert "1 student not yet screened" in html


def test_the_missing_list_of_one_grade_keeps_to_that_grade(client, world, screening):
    world.student.grade, world.classmate.grade = 4, 3
    world.student.save(update_fields=["grade"])
    world.classmate.save(update_fields=["grade"])
    client.force_login(world.principal)
    url = (
        f"{reverse('screening:completion_missing')}?window={screening.fall.pk}"
        f"&measure={screening.orf.pk}&school={world.school.pk}"
    )
    html = client.get(f"{url}&grade=3").content.decode()
    assert "Smith, Liam" in html and "Garcia, Maria" not in html
    assert "in grade 3 who have no score yet" in html
    assert "Garcia, Maria" in client.get(f"{url}&grade=4").content.decode()
    assert client.get(f"{url}&grade=x").status_code == 404


def test_it_computes_completion_in_the_same_number_of_queries_for_more_classes(
    client, world, screening, django_assert_max_num_queries
):
    client.force_login(world.district_admin)
    url = f"{reverse('screening:completion')}?window={screening.fall.pk}&measure={screening.orf.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    baseline = len(small)  # read now: every request clears the query log
    assert baseline <= 11  # 10, and the schools' own dates of the window
    add_students(world, 25)
    for i in range(3):
        s = SchoolFactory(district=world.district, name=f"Extra {i}")
        StudentFactory(school=s)
    with django_assert_max_num_queries(baseline):
        client.get(url)


# -- referrals -------------------------------------------------------------------------------


def referral_data(student, **overrides) -> dict:
    return {
        "student": student.local_id,
        "date": "2026-10-15",
        "time": "10:30",
        "severity": "major",
        "location": "playground",
        "problem_behavior": "physical_aggression",
        "perceived_motivation": "peer_attention",
        "others_involved": "peers",
        "action_taken": "parent_contact",
        "staff_name": "Ms. Lee",
        "notes": "",
        **overrides,
    }


def test_it_records_a_referral_with_every_swis_field(client, world, screening):
    client.force_login(world.teacher)
    response = client.post(reverse("screening:referral_new"), referral_data(world.student))
    assert response.status_code == 302
    r = Referral.objects.get()
    assert (r.student, r.date, r.time, r.location, r.problem_behavior) == (
        world.student,
        dt.date(2026, 10, 15),
        dt.time(10, 30),
        "playground",
        "physical_aggression",
    )
    assert (r.perceived_motivation, r.others_involved, r.action_taken, r.staff_name) == (
        "peer_attention",
        "peers",
        "parent_contact",
        "Ms. Lee",
    )
    assert r.reported_by == world.teacher


def test_it_refuses_a_referral_for_a_student_the_user_cannot_see(client, world, screening):
    client.force_login(world.teacher)
    response = client.post(reverse("screening:referral_new"), referral_data(world.classmate))
    assert response.status_code == 400
    assert "No student of yours has this student ID." in response.content.decode()
    assert not Referral.objects.exists()


def test_it_refuses_a_referral_dated_outside_the_school_year(client, world, screening):
    client.force_login(world.teacher)
    response = client.post(
        reverse("screening:referral_new"), referral_data(world.student, date="2025-10-15")
    )
    html = response.content.decode()
    assert "This date is not within one of the district&#x27;s school years." in html
    assert 'aria-describedby="id_date-error"' in html
    assert not Referral.objects.exists()


def test_it_lists_referrals_and_counts_them_per_student_in_swis_bands(client, world, screening):
    client.force_login(world.principal)
    for day in (1, 2, 3):
        client.post(
            reverse("screening:referral_new"), referral_data(world.student, date=f"2026-10-0{day}")
        )
    client.post(reverse("screening:referral_new"), referral_data(world.classmate, location="bus"))
    html = client.get(reverse("screening:referral_list")).content.decode()
    assert "4 referrals, newest first" in html
    garcia = html[html.index("Garcia, Maria</a></th>\n") :]
    assert '<td class="num fw-semibold">3</td>' in garcia[:400]
    assert "2–5 major referrals" in garcia[:600]
    # Bands over Maple's 2 students: Liam has 1 (0-1), Maria 3 (2-5), nobody 6+.
    assert [
        b in html
        for b in (
            '<span class="count">1</span>0–1',
            '<span class="count">1</span>2–5',
            '<span class="count">0</span>6 or more',
        )
    ] == [True] * 3


def test_it_bands_students_on_major_referrals_unless_the_district_counts_minors(
    client, world, screening
):
    from decisions.models import RuleSet

    client.force_login(world.principal)
    # Maria: 1 major and 2 minors. SWIS counts the major only: the Tier 1 range.
    client.post(reverse("screening:referral_new"), referral_data(world.student))
    for day in (1, 2):
        client.post(
            reverse("screening:referral_new"),
            referral_data(world.student, date=f"2026-10-0{day}", severity="minor"),
        )
    html = client.get(reverse("screening:referral_list")).content.decode()
    garcia = html[html.index("Garcia, Maria</a></th>\n") :]
    assert "0–1 major referrals" in garcia[:600]
    assert "minor referrals are not counted" in html
    # The district counts minors, with Tier 2 from 3: Maria's 3 referrals are in Tier 2.
    RuleSet.objects.create(
        district=world.district,
        version=1,
        thresholds={"odr_count_minors": True, "odr_tier2_at": 3},
    )
    html = client.get(reverse("screening:referral_list")).content.decode()
    garcia = html[html.index("Garcia, Maria</a></th>\n") :]
    assert "3–5 referrals" in garcia[:600]
    assert '<span class="count">1</span>3–5 referrals' in html


def test_it_filters_referrals_by_location_and_dates(client, world, screening):
    client.force_login(world.principal)
    client.post(reverse("screening:referral_new"), referral_data(world.student, date="2026-09-10"))
    client.post(reverse("screening:referral_new"), referral_data(world.classmate, location="bus"))
    url = reverse("screening:referral_list")
    html = client.get(f"{url}?location=bus").content.decode()
    assert "1 referral matching the filters" in html and "Smith, Liam" in html
    html = client.get(f"{url}?date_from=2026-09-01&date_to=2026-09-30").content.decode()
    assert "1 referral matching the filters" in html and "Garcia, Maria</a></th>" in html


def test_it_lists_referrals_in_the_same_number_of_queries_for_more_rows(
    client, world, screening, django_assert_max_num_queries
):
    client.force_login(world.principal)
    client.post(reverse("screening:referral_new"), referral_data(world.student))
    client.get(reverse("screening:referral_list"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("screening:referral_list"))
    baseline = len(small)  # read now: every request clears the query log
    assert baseline <= 11  # one of them reads the district's rule set (the referral bands)
    for s in add_students(world, 10):
        client.post(reverse("screening:referral_new"), referral_data(s))
    with django_assert_max_num_queries(baseline):
        client.get(reverse("screening:referral_list"))


# -- student profile -------------------------------------------------------------------------


def test_it_shows_screening_history_with_a_table_chart_and_summary(client, world, screening):
    screening.winter.is_open = True
    screening.winter.save()
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.fall, value=50
            ),
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.winter, value=75
            ),
        ],
        entered_by=None,
    )
    client.force_login(world.teacher)
    html = client.get(reverse("student_detail", args=[world.student.pk])).content.decode()
    assert "plotly/plotly.min.js" in html
    assert f'id="screening-chart-{screening.orf.pk}-data"' in html
    # Fall 50 < 55 high risk; winter 75: 68 <= 75 < 86 some risk.
    assert (
        "2 Oral reading fluency scores from Fall 2026-2027 to Winter 2026-2027. Latest: 75 in "
        "Winter 2026-2027 (some risk), up from 50. The benchmark that window was 86."
    ) in html
    assert "District ORF cuts, version 1" in html
    assert "(benchmark 70, high risk below 55)" in html


def _chart(html: str, measure) -> dict:
    import json
    import re

    found = re.search(
        rf'<script id="screening-chart-{measure.pk}-data" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert found, f"no chart of {measure.name}"
    return json.loads(found.group(1))


def test_the_profile_draws_one_chart_per_measure_in_a_fixed_number_of_queries(
    client, world, screening, django_assert_max_num_queries
):
    screening.winter.is_open = True
    screening.winter.save()
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.fall, value=50
            ),
            ScoreInput(
                student=world.student, measure=screening.orf, window=screening.winter, value=75
            ),
        ],
        entered_by=None,
    )
    client.force_login(world.teacher)
    url = reverse("student_detail", args=[world.student.pk])
    with django_assert_max_num_queries(25) as one:
        html = client.get(url).content.decode()
    orf = _chart(html, screening.orf)
    [points] = orf["data"]
    assert points["y"] == [50.0, 75.0]
    assert points["marker"]["symbol"] == ["square", "diamond"]  # high risk, some risk
    assert orf["layout"]["xaxis"]["ticktext"] == ["Fall 2026-2027", "Winter 2026-2027"]
    # Fall bands: high risk 0-55, some risk 55-70, at or above from 70 (axis top 86 * 1.2).
    fall = [(b["y0"], b["y1"]) for b in orf["layout"]["shapes"] if b["type"] == "rect"][:3]
    assert fall == [(0.0, 55.0), (55.0, 70.0), (70.0, pytest.approx(103.2))]
    assert orf["layout"]["template"]["layout"]["plot_bgcolor"] == "white"  # simple_white
    # A second measure: one more chart, not one more query.
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=world.student, measure=screening.errors, window=screening.fall, value=10
            )
        ],
        entered_by=None,
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert _chart(html, screening.errors)["data"][0]["y"] == [10.0]
    assert _chart(html, screening.orf)["data"][0]["y"] == [50.0, 75.0]


def test_it_loads_no_chart_library_on_a_profile_without_scores(client, world, screening):
    client.force_login(world.teacher)
    html = client.get(reverse("student_detail", args=[world.student.pk])).content.decode()
    assert "plotly" not in html
    assert "Screening scores will appear here" in html


def test_it_serves_plotly_js_from_our_own_static_files(client):
    from django.contrib.staticfiles import finders

    path = finders.find("plotly/plotly.min.js")
    assert path is not None and path.endswith("package_data/plotly.min.js")
