"""The roster pages in a real browser: sign in, find a student, open them, sign out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from students.models import Student
from tests.e2e.conftest import login, screenshot
from tests.factories import StudentFactory

pytestmark = pytest.mark.e2e


def test_it_lets_a_teacher_open_a_student_and_sign_out(page, live_server, world):
    login(page, live_server, "teacher", world.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ms. Lee")
    expect(page.get_by_role("link", name="Students in Grade 3 - Lee")).to_be_visible()
    # The stylesheet is served: the navigation bar has our dark blue, not the browser's white.
    navbar = page.get_by_role("navigation", name="Main")
    expect(navbar).to_have_css("background-color", "rgb(11, 61, 110)")
    screenshot(page, "home-teacher")

    navbar.get_by_role("link", name="Students").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Students")
    table = page.get_by_role("table", name=re.compile("^Students"))
    expect(table.get_by_role("link", name="Garcia, Maria")).to_be_visible()
    expect(page.get_by_text("Smith, Liam")).to_have_count(0)  # same school, not her class
    expect(page.get_by_text("Jones, Noah")).to_have_count(0)  # another school
    screenshot(page, "student-list-teacher")

    table.get_by_role("link", name="Garcia, Maria").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maria Garcia")
    expect(page.get_by_text("Taught by Ms. Lee")).to_be_visible()
    expect(page.get_by_role("heading", name="Screening history")).to_be_visible()
    expect(page.get_by_role("heading", name="Record of access")).to_have_count(0)
    screenshot(page, "student-profile-teacher")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/students/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/students/$"))


def test_it_filters_the_list_in_place_as_the_user_types(page, live_server, world):
    for first, last in [("Ana", "Garcia"), ("Ben", "Adams"), ("Cara", "Young")]:
        StudentFactory(school=world.school, first_name=first, last_name=last)
    Student.objects.filter(last_name="Young").update(grade=5, english_learner=True)
    login(page, live_server, "principal", world.password)
    page.goto("/students/")
    count = page.get_by_role("status")
    expect(count).to_have_text("5 students")
    # A marker on the window survives htmx swaps but not a full page load.
    page.evaluate("window.__sameDocument = true")

    page.get_by_label("Search by name or student ID").fill("garcia")
    expect(count).to_have_text("2 students")
    expect(page).to_have_url(re.compile(r"q=garcia"))

    page.get_by_label("Search by name or student ID").fill("")
    page.get_by_label("English learner").select_option("yes")
    expect(count).to_have_text("1 student")
    expect(page.get_by_role("link", name="Young, Cara")).to_be_visible()

    page.get_by_label("English learner").select_option("")
    expect(count).to_have_text("5 students")
    grade_header = page.get_by_role("columnheader", name="Grade", exact=True)
    grade_header.get_by_role("link").click()
    expect(grade_header).to_have_attribute("aria-sort", "ascending")
    grade_header.get_by_role("link").click()
    expect(grade_header).to_have_attribute("aria-sort", "descending")
    first_row = page.get_by_role("table").locator("tbody tr").first
    expect(first_row).to_contain_text("Young, Cara")
    assert page.evaluate("window.__sameDocument") is True
    screenshot(page, "student-list-principal-sorted")


def test_it_works_without_javascript(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, live_server, "principal", world.password)
        page.goto("/students/")
        page.get_by_label("Search by name or student ID").fill("smith")
        page.get_by_role("button", name="Show students").click()
        expect(page).to_have_url(re.compile(r"q=smith"))
        expect(page.get_by_role("link", name="Smith, Liam")).to_be_visible()
        expect(page.get_by_role("link", name="Garcia, Maria")).to_have_count(0)
    finally:
        context.close()


def test_it_shows_a_district_admin_the_district_and_the_record_of_access(page, live_server, world):
    login(page, live_server, "districtadmin", world.password)
    expect(page.get_by_role("heading", name="Riverside Unified")).to_be_visible()
    screenshot(page, "home-district-admin")
    page.goto(f"/students/{world.student.pk}/")
    expect(page.get_by_role("heading", name="Record of access")).to_be_visible()
    expect(
        page.get_by_role("table", name="Latest access to this student's record")
    ).to_contain_text("districtadmin")
    screenshot(page, "student-profile-district-admin")


def test_it_shows_the_principal_their_school(page, live_server, world):
    login(page, live_server, "principal", world.password)
    expect(page.get_by_role("heading", name="Maple Elementary")).to_be_visible()
    screenshot(page, "home-principal")


def test_it_offers_a_skip_link_as_the_first_stop_of_the_keyboard(page, live_server, world):
    login(page, live_server, "teacher", world.password)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_it_explains_a_lockout_on_the_sign_in_page(page, live_server, world):
    for _ in range(5):
        page.goto("/login/")
        page.get_by_label("Username").fill("teacher")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"Too many failed sign-ins\. Try again in 15 minutes")
    )
    screenshot(page, "login-locked")


def test_a_table_that_scrolls_sideways_takes_keyboard_focus(page, live_server, world):
    login(page, live_server, "principal", world.password)
    page.set_viewport_size({"width": 360, "height": 800})  # a phone: the list scrolls
    page.goto("/students/")
    region = page.get_by_role("region", name=re.compile(r"^Students.*\(scrolls sideways\)$"))
    expect(region).to_have_attribute("tabindex", "0")
    region.focus()
    expect(region).to_be_focused()


def test_the_filters_match_the_results_after_back_and_forward(page, live_server, world):
    # Filters applied in place (htmx pushes each to the address): Back restores htmx's copy of
    # the page, whose dropdowns would show the values first rendered, not the applied ones.
    StudentFactory(school=world.school, first_name="Cara", last_name="Young", grade=5)
    Student.objects.filter(last_name="Young").update(english_learner=True)
    login(page, live_server, "principal", world.password)
    page.goto("/students/")
    count = page.locator("#student-count")
    grade = page.get_by_label("Grade", exact=True)
    learner = page.get_by_label("English learner")
    expect(count).to_have_text("3 students")

    grade.select_option("5")
    expect(count).to_have_text("1 student")
    expect(page).to_have_url(re.compile(r"grade=5"))
    learner.select_option("no")
    expect(count).to_have_text("No students to show")

    page.go_back()
    expect(page).to_have_url(re.compile(r"grade=5&english_learner=&"))
    expect(count).to_have_text("1 student")
    expect(grade).to_have_value("5")
    expect(learner).to_have_value("")
    page.go_back()
    expect(count).to_have_text("3 students")
    expect(grade).to_have_value("")
    page.go_forward()
    expect(count).to_have_text("1 student")
    expect(grade).to_have_value("5")
    screenshot(page, "student-list-after-back")


def test_a_filter_chosen_but_not_applied_is_undone_by_back(page, live_server, world):
    # A plain filter form: choose an action but leave without pressing Filter. Back shows the
    # page as it was loaded (the browser would otherwise restore the unapplied choice).
    login(page, live_server, "principal", world.password)
    page.goto(f"/students/{world.student.pk}/access-log/?action=view")
    action = page.get_by_label("Action")
    expect(action).to_have_value("view")
    action.select_option("update")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"action=view$"))
    expect(action).to_have_value("view")
