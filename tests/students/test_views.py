"""Roster pages as their users see them: home per role, student list, profile, record of
access, and the admin's student pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from interventions.models import Intervention, InterventionPlan
from students.models import AccessLog, ApiToken, Role, Student
from students.slots import PROFILE_CARDS
from students.tokens import token_digest
from tests.factories import EnrollmentFactory, MembershipFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, user, url: str, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def listed_names(html: str) -> list[str]:
    """First names in the student table, in display order ("Garcia, Maria" -> "Maria")."""
    return re.findall(r'<th scope="row"><a href="/students/\d+/">[^,<]+, ([^<]+)</a>', html)


def place_on_caseload(world, student, interventionist=None):
    reading = Intervention.objects.get_or_create(name="Read Naturally", domain="reading")[0]
    return InterventionPlan.objects.create(
        student=student,
        intervention=reading,
        tier=2,
        domain="reading",
        interventionist=interventionist or world.interventionist,
        start_date=dt.date(2026, 10, 1),
    )


# --- Home ------------------------------------------------------------------------------


def test_it_shows_a_teacher_their_sections_with_counts_and_links(client, world):
    html = page(client, world.teacher, reverse("home"))
    assert "Your classes" in html
    assert "Grade 3 - Lee" in html
    assert f'href="/students/?section={world.section.pk}"' in html
    row = re.search(r"Grade 3 - Lee.*?</tr>", html, re.S).group(0)
    assert '<td class="text-end">1</td>' in row
    assert "Your school" not in html
    assert "Your caseload" not in html


def test_it_shows_an_interventionist_an_empty_caseload_that_says_what_comes_next(client, world):
    html = page(client, world.interventionist, reverse("home"))
    assert "Your caseload" in html
    assert "Students appear here when the team places a student" in html


def test_it_shows_an_interventionist_the_students_they_deliver_plans_to(client, world):
    place_on_caseload(world, world.classmate)
    html = page(client, world.interventionist, reverse("home"))
    assert "Liam Smith" in html
    assert "Read Naturally" in html
    assert "Tier 2" in html
    assert "Maria" not in html


def test_it_shows_a_principal_their_school_by_grade(client, world):
    Student.objects.filter(pk=world.classmate.pk).update(grade=4)
    html = page(client, world.principal, reverse("home"))
    assert "Maple Elementary" in html
    assert "Oak Elementary" not in html
    assert "All 2 students at Maple Elementary" in html
    assert 'aria-label="1 student in grade 3"' in html
    assert 'aria-label="1 student in grade 4"' in html
    # Nothing waits for the team yet: the card says what will come and what to do.
    assert "No open flags." in html
    assert "No team meeting scheduled." in html
    assert f"/meetings/new/?school={world.school.pk}" in html


def test_it_shows_a_district_admin_every_school_with_counts(client, world):
    html = page(client, world.district_admin, reverse("home"))
    assert "Riverside Unified" in html
    maple = re.search(r"Maple Elementary</a></th>.*?</tr>", html, re.S).group(0)
    oak = re.search(r"Oak Elementary</a></th>.*?</tr>", html, re.S).group(0)
    assert '<td class="text-end">2</td>' in maple
    assert '<td class="text-end">1</td>' in oak
    assert '<td class="text-end fw-semibold">3</td>' in html
    # No screening scores yet: the dashboards would be empty, so the home says when they come.
    assert "will be linked here once screening scores are entered" in html
    assert reverse("dashboards:tiers") not in html


def test_it_shows_a_section_for_each_role_a_user_holds(client, world):
    MembershipFactory(
        user=world.teacher, role=Role.TEAM_MEMBER, school=world.school, district=world.district
    )
    html = page(client, world.teacher, reverse("home"))
    assert "Your classes" in html
    assert "Your school" in html


def test_it_tells_an_account_without_a_role_whom_to_ask(client, world):
    html = page(client, world.nobody, reverse("home"))
    assert "Your account has no school role yet" in html
    assert "Ask your district administrator" in html


def test_it_renders_home_in_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for role in (Role.TEACHER, Role.INTERVENTIONIST, Role.TEAM_MEMBER):
        MembershipFactory(user=world.district_admin, role=role, school=world.school)
    world.section.teachers.add(world.district_admin)
    for _ in range(30):
        student = StudentFactory(school=world.school)
        EnrollmentFactory(student=student, section=world.section)
        place_on_caseload(world, student, interventionist=world.district_admin)
    client.force_login(world.district_admin)
    # session, user, memberships, sections, caseload, two school lists, grade counts, the
    # team's live flags and next meetings (each with its scope's school ids), and the
    # meetings app's "My action items", whether the district has scores to link the
    # dashboards, and the access-log INSERT for the caseload's students.
    # 16: the team's open evaluation referrals (families' home section) add one; then the
    # teacher's class view (decisions.class_view: 15 with plans, pinned in tests/decisions);
    # then the class view's panel of the students' own words (ownership.cards.class_panels:
    # at most 4, pinned in tests/ownership).
    with django_assert_max_num_queries(16 + 15 + 4):
        html = client.get(reverse("home")).content.decode()
    # Each plan once in the caseload (the class view above it names them too).
    assert html.split('id="home-caseload"', 1)[1].count("Read Naturally") == 30


# --- Student list ----------------------------------------------------------------------


def test_it_lists_only_the_teachers_own_students(client, world):
    html = page(client, world.teacher, reverse("student_list"))
    assert listed_names(html) == ["Maria"]
    assert re.search(r'id="student-count"[^>]*>\s*1 student\s*</p>', html)


def test_it_finds_students_by_part_of_a_name_or_by_student_id(client, world):
    url = reverse("student_list")
    assert listed_names(page(client, world.principal, url, q="garc")) == ["Maria"]
    assert listed_names(page(client, world.principal, url, q="liam smi")) == ["Liam"]
    assert listed_names(page(client, world.principal, url, q=world.classmate.local_id)) == ["Liam"]


def test_it_says_what_to_do_when_nothing_matches(client, world):
    html = page(client, world.principal, reverse("student_list"), q="zzz")
    assert "No students match" in html
    assert "clear the filters" in html


def test_it_tells_a_user_without_students_why_the_list_is_empty(client, world):
    html = page(client, world.nobody, reverse("student_list"))
    assert "No students are linked to your account yet" in html


def test_it_filters_by_school_grade_and_student_group(client, world):
    Student.objects.filter(pk=world.student.pk).update(
        english_learner=True, iep=True, sex="F", race_ethnicity="hispanic_latino"
    )
    Student.objects.filter(pk=world.classmate.pk).update(grade=4, section_504=True, sex="M")
    Student.objects.filter(pk=world.other_student.pk).update(economically_disadvantaged=True)
    url = reverse("student_list")
    admin = world.district_admin
    assert listed_names(page(client, admin, url, school=world.other_school.pk)) == ["Noah"]
    assert listed_names(page(client, admin, url, grade=4)) == ["Liam"]
    assert listed_names(page(client, admin, url, english_learner="yes")) == ["Maria"]
    assert listed_names(page(client, admin, url, english_learner="no")) == ["Noah", "Liam"]
    assert listed_names(page(client, admin, url, iep="yes")) == ["Maria"]
    assert listed_names(page(client, admin, url, section_504="yes")) == ["Liam"]
    assert listed_names(page(client, admin, url, economically_disadvantaged="yes")) == ["Noah"]
    assert listed_names(page(client, admin, url, race_ethnicity="hispanic_latino")) == ["Maria"]
    assert listed_names(page(client, admin, url, sex="M")) == ["Liam"]
    assert listed_names(page(client, admin, url, school=world.school.pk, grade=3)) == ["Maria"]


def test_it_filters_by_one_of_the_teachers_sections(client, world):
    html = page(client, world.principal, reverse("student_list"), section=world.section.pk)
    assert listed_names(html) == ["Maria"]
    assert "Showing the students in <strong>Grade 3 - Lee</strong>" in html


def test_it_keeps_the_scope_when_a_teacher_asks_for_another_school(client, world):
    html = page(client, world.teacher, reverse("student_list"), school=world.other_school.pk)
    assert "Noah" not in html
    assert "Select a valid choice" in html


def test_it_sorts_by_name_and_by_grade(client, world):
    Student.objects.filter(pk=world.classmate.pk).update(grade=5)
    Student.objects.filter(pk=world.other_student.pk).update(grade=1)
    url = reverse("student_list")
    admin = world.district_admin
    # Garcia, Jones, Smith
    assert listed_names(page(client, admin, url)) == ["Maria", "Noah", "Liam"]
    assert listed_names(page(client, admin, url, sort="-name")) == ["Liam", "Noah", "Maria"]
    assert listed_names(page(client, admin, url, sort="grade")) == ["Noah", "Maria", "Liam"]
    assert listed_names(page(client, admin, url, sort="-grade")) == ["Liam", "Maria", "Noah"]


def test_it_pages_by_fifty(client, world):
    for n in range(55):
        StudentFactory(school=world.school, first_name=f"Kid{n:02d}", last_name="Zeta")
    url = reverse("student_list")
    first = page(client, world.principal, url)
    assert len(listed_names(first)) == 50
    assert "Showing 1–50 of 57 students" in first
    assert "Page 1 of 2" in first
    second = page(client, world.principal, url, page=2)
    assert len(listed_names(second)) == 7
    assert "Showing 51–57 of 57 students" in second


def test_it_answers_htmx_with_the_results_fragment_only(client, world):
    client.force_login(world.principal)
    response = client.get(reverse("student_list"), {"q": "garcia"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="student-results"')
    assert listed_names(html) == ["Maria"]
    assert 'id="student-count"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_it_answers_a_plain_request_with_the_whole_page_and_the_same_vary(client, world):
    client.force_login(world.principal)
    response = client.get(reverse("student_list"))
    html = response.content.decode()
    assert "<html" in html
    assert 'id="student-filters"' in html
    assert "hx-swap-oob" not in html
    assert "HX-Request" in response["Vary"]


def test_it_labels_every_filter_input(client, world):
    html = page(client, world.principal, reverse("student_list"))
    form = re.search(r'<form id="student-filters".*?</form>', html, re.S).group(0)
    ids = re.findall(r'<(?:input|select)[^>]*\sid="([^"]+)"', form)
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', form))
    visible_ids = [i for i in ids if i != "id_section"]  # the hidden section filter
    assert visible_ids
    assert set(visible_ids) <= labelled


def test_it_lists_students_in_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.district_admin)
    url = reverse("student_list")
    with django_assert_max_num_queries(7):
        few = client.get(url)
    for n in range(60):
        student = StudentFactory(school=world.school, iep=n % 2 == 0)
        EnrollmentFactory(student=student, section=world.section)
    with django_assert_max_num_queries(7):
        many = client.get(url, {"iep": "yes", "sort": "-grade"})
    assert len(listed_names(few.content.decode())) == 3
    assert len(listed_names(many.content.decode())) == 30  # the even n of 0..59


# --- Student profile -------------------------------------------------------------------


def test_it_shows_the_profile_in_plain_language(client, world):
    Student.objects.filter(pk=world.student.pk).update(
        english_learner=True, section_504=True, race_ethnicity="hispanic_latino", sex="F"
    )
    html = page(client, world.teacher, reverse("student_detail", args=[world.student.pk]))
    assert "<h1" in html and "Maria Garcia" in html
    assert "Maple Elementary" in html
    assert "Is an English learner" in html
    assert "No IEP" in html
    assert "Has a 504 plan" in html
    assert "Not economically disadvantaged" in html
    assert "Hispanic/Latino" in html
    assert "Female" in html
    assert "Grade 3 - Lee" in html
    assert "Taught by Ms. Lee" in html


def test_it_marks_the_cards_that_later_work_fills(client, world):
    html = page(client, world.teacher, reverse("student_detail", args=[world.student.pk]))
    for title in ["Screening history", "Tiers", "Intervention plans", "Flags"]:
        assert f">{title}</h2>" in html
    assert "Flags will appear here once screening scores are entered" in html


def test_it_records_each_view_of_the_profile(client, world):
    client.force_login(world.teacher)
    client.get(reverse("student_detail", args=[world.student.pk]), REMOTE_ADDR="10.1.2.3")
    log = AccessLog.objects.get()
    assert log.user == world.teacher
    assert log.action == "view"
    assert log.object_type == "student"
    assert log.object_id == str(world.student.pk)
    assert log.student == world.student
    assert log.ip == "10.1.2.3"


def test_it_records_nothing_when_the_student_is_out_of_scope(client, world):
    client.force_login(world.other_teacher)
    client.get(reverse("student_detail", args=[world.student.pk]))
    assert not AccessLog.objects.exists()


def test_it_shows_the_record_of_access_to_a_district_admin(client, world):
    client.force_login(world.teacher)
    client.get(reverse("student_detail", args=[world.student.pk]), REMOTE_ADDR="10.1.2.3")
    html = page(client, world.district_admin, reverse("student_detail", args=[world.student.pk]))
    assert "Record of access" in html
    assert "(teacher)" in html
    assert "10.1.2.3" in html
    assert "Viewed the student&#x27;s profile" in html


def test_it_hides_the_record_of_access_from_a_teacher_and_team_member(client, world):
    for user in (world.teacher, world.team_member):
        html = page(client, user, reverse("student_detail", args=[world.student.pk]))
        assert "Record of access" not in html
        assert reverse("student_access_log", args=[world.student.pk]) not in html


def test_it_lists_the_latest_fifty_accesses_newest_first(client, world):
    for n in range(60):
        AccessLog.objects.create(
            user=world.teacher,
            action="view",
            object_type="student",
            student=world.student,
            object_id=str(n),
        )
    html = page(client, world.principal, reverse("student_access_log", args=[world.student.pk]))
    rows = re.findall(r"<time datetime=", html)
    assert len(rows) == 50
    # The view of the log is itself recorded.
    assert AccessLog.objects.filter(object_type="access_log", user=world.principal).count() == 1


def test_it_renders_the_profile_in_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    # The roster part: session, user, memberships, student, audit insert, enrollments,
    # teachers, family contacts, access log. Each card that loads data (other apps) gets a
    # budget of two queries here and pins its own count in its app's tests; the families
    # card needs two more (the catch-up of lost letter drafts, the plans a progress report
    # can be written for: tests/families/test_cards.py).
    cards_with_data = sum(1 for card in PROFILE_CARDS if card.context)
    client.force_login(world.district_admin)
    with django_assert_max_num_queries(9 + 2 * cards_with_data + 2):
        client.get(reverse("student_detail", args=[world.student.pk]))


# --- Accessibility basics --------------------------------------------------------------


def heading_levels(html: str) -> list[int]:
    main = html.split('<main id="main"', 1)[1]
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", main)]


@pytest.mark.parametrize(
    ("persona", "page_name"),
    [
        ("teacher", "home"),
        ("interventionist", "home"),
        ("principal", "home"),
        ("district_admin", "home"),
        ("nobody", "home"),
        ("principal", "student_list"),
        ("nobody", "student_list"),
        ("district_admin", "student_detail"),
        ("district_admin", "student_access_log"),
    ],
)
def test_it_orders_headings_without_skipping_a_level(client, world, persona, page_name):
    needs_student = page_name in ("student_detail", "student_access_log")
    args = [world.student.pk] if needs_student else []
    html = page(client, world.persona(persona), reverse(page_name, args=args))
    levels = heading_levels(html)
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_it_gives_every_table_a_caption(client, world):
    place_on_caseload(world, world.student)
    MembershipFactory(user=world.district_admin, role=Role.TEAM_MEMBER, school=world.school)
    MembershipFactory(user=world.district_admin, role=Role.TEACHER, school=world.school)
    world.section.teachers.add(world.district_admin)
    pages = [
        reverse("home"),
        reverse("student_list"),
        reverse("student_detail", args=[world.student.pk]),
        reverse("student_access_log", args=[world.student.pk]),
    ]
    for url in pages:
        html = page(client, world.district_admin, url)
        tables = re.findall(r"<table[^>]*>\s*<caption", html)
        assert tables and len(tables) == html.count("<table"), url


def test_it_offers_a_skip_link_to_the_main_content(client, world):
    html = page(client, world.teacher, reverse("home"))
    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in html
    assert '<main id="main"' in html


# --- Admin -----------------------------------------------------------------------------


def test_it_keeps_a_staff_teacher_out_of_the_admins_student_list(client, world):
    from django.contrib.auth.models import Permission

    world.teacher.is_staff = True
    world.teacher.save()
    world.teacher.user_permissions.add(Permission.objects.get(codename="view_student"))
    client.force_login(world.teacher)
    response = client.get(reverse("admin:students_student_changelist"))
    assert response.status_code == 302
    assert "Garcia" not in response.content.decode()


def test_it_shows_a_superuser_every_student_in_the_admin(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    html = page(client, root, reverse("admin:students_student_changelist"))
    assert all(name in html for name in ("Garcia", "Smith", "Jones"))


def test_it_records_a_view_of_a_student_in_the_admin(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    page(client, root, reverse("admin:students_student_change", args=[world.student.pk]))
    assert AccessLog.objects.filter(user=root, student=world.student, action="view").exists()


def test_it_creates_an_api_token_from_the_admin_and_shows_the_key(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(
        reverse("admin:students_user_changelist"),
        {"action": "create_api_token", "_selected_action": [world.teacher.pk]},
        follow=True,
    )
    html = response.content.decode()
    token = ApiToken.objects.get(user=world.teacher)
    key = html.split("API token for teacher: ")[1].split(" ")[0]
    assert key.startswith(token.prefix)
    assert token.digest == token_digest(key)


def test_it_keeps_the_record_of_access_read_only_in_the_admin(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    log = AccessLog.objects.create(user=world.teacher, action="view", object_type="student")
    assert client.get(reverse("admin:students_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:students_accesslog_delete", args=[log.pk])).status_code == 403
