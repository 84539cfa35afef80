"""The accessibility check: axe-core runs on the main pages of every role, in a small demo
district, and must find no violation of any impact (critical, serious, moderate or minor).

axe-core is the copy bundled with the pinned `axe-playwright-python` package (axe 4.12);
it runs its default rule set, WCAG 2.0/2.1 A and AA plus its best practices (landmarks,
headings, regions). Pages are checked as a person of each role reaches them, forms also in
their refused state (an error summary), meeting mode in a started meeting. A failure lists
each violation with the elements it found; test-artifacts/screenshots/a11y-<role>-<page>.png
shows every page checked. docs/development.md says how to run it alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from decisions.models import Flag
from interventions.models import InterventionGroup, InterventionPlan
from meetings.models import Meeting, MeetingStatus
from students.demo import DEMO_PASSWORD
from students.imports import import_job_create, job_run
from students.models import District, Student, User
from tests.e2e.conftest import login, screenshot
from tests.fixtures.oneroster.builder import riverside

pytestmark = pytest.mark.e2e

AXE = Axe()


@dataclass
class Demo:
    student: int  # a student in the demo teacher's class
    plan: int  # a plan the demo interventionist delivers, and its student
    plan_student: int
    group: int  # a group the demo interventionist runs
    flag: int
    meeting: int  # a planned meeting at the demo school (meeting mode starts it)
    minutes: int  # a closed meeting
    import_job: int


@pytest.fixture
def demo(live_server, tmp_path, settings) -> Demo:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--students=300", verbosity=0)
    teacher = User.objects.get(username="teacher")
    interventionist = User.objects.get(username="interventionist")
    student = Student.objects.filter(enrollments__section__teachers=teacher).order_by("pk").first()
    plan = InterventionPlan.objects.filter(interventionist=interventionist).order_by("pk").first()
    group = InterventionGroup.objects.filter(interventionist=interventionist).order_by("pk").first()
    district = District.objects.get()
    job = import_job_create(
        district=district,
        kind="oneroster",
        file_path=riverside("1.2").zip(tmp_path / "roster.zip"),
        created_by=User.objects.get(username="district"),
    )
    job_run(job_id=job.pk)
    return Demo(
        student=student.pk,
        plan=plan.pk,
        plan_student=plan.student_id,
        group=group.pk,
        flag=Flag.objects.filter(student__isnull=False).order_by("pk").first().pk,
        meeting=Meeting.objects.filter(status=MeetingStatus.PLANNED).order_by("pk").first().pk,
        minutes=Meeting.objects.filter(status=MeetingStatus.CLOSED).order_by("pk").first().pk,
        import_job=job.pk,
    )


def violations(page) -> list[str]:
    """axe's violations on the page as it is now, one line per rule and element."""
    found = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {node['target']} {node['html'][:200]}"
        for v in found
        for node in v["nodes"]
    ]


def _open(path: str) -> Callable:
    def go(page, demo: Demo) -> None:
        url = path.format(d=demo)
        response = page.goto(url)
        # An error page would be checked instead of the page meant: stop at once.
        assert response is not None and response.status == 200, f"{url}: {response.status}"

    return go


def _score_grid(page, demo: Demo) -> None:
    page.goto("/screening/entry/")
    for choice in page.locator("form.entry-pick select").all():
        choice.select_option(index=1)
    page.get_by_role("button", name="Show the class").click()
    page.locator("#score-grid-form").wait_for()


def _score_grid_refused(page, demo: Demo) -> None:
    _score_grid(page, demo)
    page.locator("input[data-grid-input]").first.fill("abc")
    page.get_by_role("button", name="Save all scores").click()
    page.locator("#save-errors").wait_for()


def _progress_grid_refused(page, demo: Demo) -> None:
    page.goto("/interventions/progress/")
    page.locator("input[data-progress-input]").first.fill("abc")
    page.get_by_role("button", name="Save all scores").click()
    page.locator("#save-errors").wait_for()


def _referral_refused(page, demo: Demo) -> None:
    page.goto("/screening/referrals/new/")
    page.get_by_role("button", name="Save the referral").click()
    page.locator("[data-error-summary]").wait_for()


def _meeting_mode(page, demo: Demo) -> None:
    page.goto(f"/meetings/{demo.meeting}/")
    page.get_by_role("button", name="Start the meeting").click()
    page.wait_for_url(re.compile(r"/run/"))


PAGES: dict[str, list[tuple[str, Callable]]] = {
    "teacher": [
        ("home", _open("/")),
        ("students", _open("/students/")),
        ("profile", _open("/students/{d.student}/")),
        ("score-entry", _score_grid),
        ("score-entry-refused", _score_grid_refused),
        ("behavior-rating", _open("/screening/behavior/")),
        ("referral-refused", _referral_refused),
        ("caseload", _open("/interventions/caseload/")),
        ("concern-form", _open("/meetings/concerns/new/{d.student}/")),
    ],
    "interventionist": [
        ("home", _open("/")),
        ("caseload", _open("/interventions/caseload/")),
        ("progress-grid", _open("/interventions/progress/")),
        ("progress-grid-refused", _progress_grid_refused),
        ("plan", _open("/interventions/plans/{d.plan}/")),
        ("plans", _open("/interventions/plans/")),
        ("plan-start", _open("/interventions/plans/new/?student={d.plan_student}")),
        ("group", _open("/interventions/groups/{d.group}/")),
        ("catalog", _open("/interventions/catalog/")),
    ],
    "team": [
        ("home", _open("/")),
        ("flags", _open("/flags/")),
        ("flag", _open("/flags/{d.flag}/")),
        ("meetings", _open("/meetings/")),
        ("meeting-agenda", _open("/meetings/{d.meeting}/")),
        ("meeting-mode", _meeting_mode),
        ("minutes", _open("/meetings/{d.minutes}/minutes/")),
        ("concerns", _open("/meetings/concerns/")),
        ("completion", _open("/screening/completion/")),
        ("referrals", _open("/screening/referrals/")),
        ("profile", _open("/students/{d.student}/")),
    ],
    "principal": [
        ("home", _open("/")),
        ("dashboards", _open("/dashboards/")),
        ("dashboard-tiers", _open("/dashboards/tiers/")),
        ("dashboard-core", _open("/dashboards/core/")),
        ("dashboard-completion", _open("/dashboards/completion/")),
        ("dashboard-interventions", _open("/dashboards/interventions/")),
        ("dashboard-behavior", _open("/dashboards/behavior/")),
        ("profile", _open("/students/{d.student}/")),
        ("access-log", _open("/students/{d.student}/access-log/")),
        ("score-import", _open("/screening/import/")),
    ],
    "district": [
        ("home", _open("/")),
        ("students", _open("/students/")),
        ("dashboard-equity", _open("/dashboards/equity/")),
        ("imports", _open("/data/imports/")),
        ("import-report", _open("/data/imports/{d.import_job}/report/")),
        ("import-settings", _open("/data/imports/settings/")),
        ("exports", _open("/data/exports/")),
        ("export-log", _open("/data/exports/log/")),
        ("access-log", _open("/students/{d.student}/access-log/")),
        ("settings", _open("/settings/")),
        ("settings-windows", _open("/settings/screening/windows/")),
        ("settings-measures", _open("/settings/screening/measures/")),
        ("settings-cut-scores", _open("/settings/screening/cut-scores/")),
        ("settings-accuracy", _open("/settings/screening/accuracy/")),
        ("settings-rules", _open("/settings/rules/")),
        ("settings-catalog", _open("/settings/catalog/")),
    ],
}


def test_the_main_pages_of_every_role_have_no_accessibility_violations(page, live_server, demo):
    # One test for all the roles: the demo district is built once (a test per role would
    # build and tear it down five times).
    found: dict[str, list[str]] = {}
    # The page fixture fails on a Content-Security-Policy report too, but without the page.
    page.on(
        "console",
        lambda msg: (
            found.setdefault(f"CSP on {page.url}", []).append(msg.text[:160])
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    for role, pages in PAGES.items():
        login(page, live_server, role, DEMO_PASSWORD)
        for name, reach in pages:
            reach(page, demo)
            page.wait_for_load_state("networkidle")
            screenshot(page, f"a11y-{role}-{name}")
            problems = violations(page)
            if problems:
                found[f"{role}: {name} ({page.url})"] = problems
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("heading", name="Sign in").wait_for()
    assert not found, "axe-core found accessibility violations:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items()
    )


def test_the_check_reports_what_axe_finds(page):
    # The harness itself: a page with no language, no title, no landmark and an image with
    # no text alternative must come back with those violations, named.
    page.set_content("<html><body><img src='data:,'></body></html>")
    rules = {line.split(" ", 1)[0] for line in violations(page)}
    assert {"html-has-lang", "document-title", "image-alt"} <= rules
