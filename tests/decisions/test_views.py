"""Flag pages, the profile's Flags card and the admin pages of the decisions app."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from decisions.models import Flag, RuleRun, RuleSet
from decisions.sweep import sweep
from tests.decisions.conftest import AS_OF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def swept(sweep_world):
    sweep(district_id=sweep_world.world.district.pk, as_of=AS_OF, triggered_by="manual")
    return sweep_world


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("team_member", 200),
        ("principal", 200),
        ("district_admin", 200),
        ("teacher", 403),
        ("interventionist", 403),
        ("nobody", 403),
    ],
)
def test_the_flag_list_is_for_team_members_and_administrators(swept, persona, code):
    response = login(swept.world.persona(persona)).get("/flags/")

    assert response.status_code == code


def test_the_flag_list_shows_the_schools_flags_with_their_reasons(swept):
    page = text(login(swept.world.team_member).get("/flags/"))

    assert "5 flags" in page
    assert "Garcia, Maria" in page
    assert "Oral reading fluency 38 in fall is below the cut point for risk 55" in page
    assert "Grade 3 - Lee" in page and "(whole class)" in page
    assert "Class has a classwide problem" in page  # Ana's Tier 2 flag
    assert "Jones, Noah" not in page  # Oak's student


def test_the_flag_list_filters(swept):
    client = login(swept.world.district_admin)

    odr = text(client.get("/flags/", {"kind": "odr"}))
    oak = text(client.get("/flags/", {"school": swept.world.other_school.pk}))
    nothing = text(client.get("/flags/", {"kind": "dual_discrepancy"}))
    htmx = client.get("/flags/", {"domain": "behavior"}, headers={"HX-Request": "true"})

    assert "1 flag" in odr and "Smith, Liam" in odr
    assert "2 flags" in oak and "Jones, Noah" in oak
    assert "No flags match these filters" in nothing
    assert htmx.status_code == 200
    assert "<html" not in htmx.content.decode()
    assert "2 flags" in text(htmx)  # Liam's ODR and October catch
    assert htmx["Vary"].count("HX-Request") == 1


def test_the_flag_list_filters_by_student_group(swept):
    sw = swept
    sw.ana.english_learner = True
    sw.ana.save()

    page = text(login(sw.world.team_member).get("/flags/", {"group": "english_learner"}))

    assert "1 flag" in page and "Diaz, Ana" in page


def test_the_flag_list_says_what_to_do_when_empty(sweep_world):
    page = text(login(sweep_world.world.team_member).get("/flags/"))

    assert "No flags need the team right now" in page


def test_the_flag_list_uses_a_constant_number_of_queries(swept, django_assert_max_num_queries):
    sw = swept
    client = login(sw.world.district_admin)
    with django_assert_max_num_queries(12):
        client.get("/flags/")
    for value in (30, 35, 40, 45, 50, 51):
        student = type(sw.ana).objects.create(
            district=sw.world.district,
            school=sw.world.school,
            local_id=f"Y{value}",
            first_name="Extra",
            last_name=f"Pupil{value}",
            grade=3,
        )
        sw.score(student, value)
    sweep(district_id=sw.world.district.pk, as_of=AS_OF, triggered_by="manual")
    with django_assert_max_num_queries(12):
        response = client.get("/flags/")
    assert "13 flags" in text(response)


def test_the_flag_page_shows_the_why_panel_with_its_numbers(swept):
    flag = Flag.objects.get(student=swept.maria, kind="screening_risk")

    page = text(login(swept.world.teacher).get(f"/flags/{flag.pk}/"))

    assert (
        "Oral reading fluency 38 in fall is below the cut point for risk 55 (grade 3, cut-score set v1): "
        "Tier 3 recommended." in page
    )
    assert "Oral reading fluency" in page and "High risk" in page
    assert "version 1" in page
    # A teacher reads the flag but the team decides: no dismiss form.
    assert "Dismiss flag" not in page


def test_a_team_member_dismisses_a_flag_on_its_page(swept):
    flag = Flag.objects.get(student=swept.ana, kind="screening_risk")
    client = login(swept.world.team_member)

    empty = client.post(f"/flags/{flag.pk}/dismiss/", {"reason": "  "})
    done = client.post(f"/flags/{flag.pk}/dismiss/", {"reason": "Retested: 74."}, follow=True)

    assert empty.status_code == 400
    assert "Say why the flag is dismissed" in text(empty)
    assert done.status_code == 200
    assert "Flag dismissed." in text(done)
    assert "Reason: Retested: 74." in text(done)
    flag.refresh_from_db()
    assert flag.status == "dismissed"


def test_a_teacher_cannot_dismiss_a_flag(swept):
    flag = Flag.objects.get(student=swept.maria, kind="screening_risk")

    response = login(swept.world.teacher).post(f"/flags/{flag.pk}/dismiss/", {"reason": "x"})

    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.status == "open"


def test_a_flag_of_another_school_is_not_found(swept):
    flag = Flag.objects.get(student=swept.noah, kind="screening_risk")

    assert login(swept.world.team_member).get(f"/flags/{flag.pk}/").status_code == 404


def test_the_student_profile_has_a_flags_card_with_the_why_panel(swept):
    sw = swept
    page = text(login(sw.world.teacher).get(f"/students/{sw.maria.pk}/"))

    assert "Flags" in page
    assert "Oral reading fluency 38 in fall is below the cut point for risk 55" in page
    assert f'href="/flags/{Flag.objects.get(student=sw.maria).pk}/"' in page


def test_the_flags_card_says_when_there_is_nothing_open(swept):
    page = text(login(swept.world.team_member).get(f"/students/{swept.ben.pk}/"))

    assert "No open flags." in page


def test_the_nav_links_to_flags_for_the_team_only(swept):
    team = login(swept.world.team_member).get("/")
    teacher = login(swept.world.teacher).get("/")

    assert 'href="/flags/"' in team.content.decode()
    assert 'href="/flags/"' not in teacher.content.decode()


def test_the_admin_saves_an_edited_rule_set_as_a_new_version(swept):
    sw = swept
    admin = login(UserFactory(username="root", is_staff=True, is_superuser=True))
    form = admin.get(f"/admin/decisions/ruleset/add/?district={sw.world.district.pk}")
    assert form.status_code == 200
    values = {**RuleSet.objects.get().thresholds, "odr_tier2_at": 3}
    data = {k: v for k, v in values.items() if v is not False}  # unchecked box: absent
    data.update({"district": sw.world.district.pk, "notes": "Three referrals"})

    response = admin.post("/admin/decisions/ruleset/add/", data)

    assert response.status_code == 302
    # The new version is a draft: it goes live only from its what-if page, which records
    # who read the preview; the version in force is unchanged until then.
    draft = RuleSet.objects.get(version=2)
    assert (draft.is_active, draft.thresholds["odr_tier2_at"]) == (False, 3)
    assert draft.created_by.username == "root"
    old = RuleSet.objects.get(version=1)
    assert (old.is_active, old.thresholds["odr_tier2_at"]) == (True, 2)
    # An old version can be looked at, not changed; the action starts a new version.
    assert admin.get(f"/admin/decisions/ruleset/{old.pk}/change/").status_code == 200
    action = admin.post(
        "/admin/decisions/ruleset/",
        {"action": "new_version", "_selected_action": [old.pk]},
    )
    assert action["Location"].endswith(f"/admin/decisions/ruleset/add/?district={old.district_id}")


def test_the_admin_lists_rule_runs_with_counts(swept):
    RuleRun.objects.create(
        district=swept.world.district,
        triggered_by="nightly",
        as_of=AS_OF,
        status="failed",
        error="Something broke",
    )
    admin = login(UserFactory(username="root", is_staff=True, is_superuser=True))

    page = text(admin.get("/admin/decisions/rulerun/"))

    assert "Something broke" in page
    assert "Finished" in page and "Failed" in page


def test_a_flag_says_when_the_student_already_has_a_plan_in_that_domain(swept):
    import datetime as dt

    from interventions.models import Intervention, InterventionPlan

    phonics = Intervention.objects.create(name="Phonics small group", domain="reading")
    plans = [
        InterventionPlan.objects.create(
            student=swept.maria,
            intervention=phonics,
            tier=2,
            domain=domain,
            status=status,
            start_date=dt.date(2026, 10, 5),
        )
        for domain, status in (("reading", "active"), ("math", "active"), ("reading", "completed"))
    ]
    reading = plans[0]
    flag = Flag.objects.get(student=swept.maria, kind="screening_risk")
    client = login(swept.world.team_member)

    listing = text(client.get("/flags/"))
    assert listing.count("Already on a plan: Phonics small group (Tier 2) since 5 Oct") == 1
    page = text(client.get(f"/flags/{flag.pk}/"))
    assert f'href="/interventions/plans/{reading.pk}/"' in page
    assert (
        "Maria is already receiving support in reading: Phonics small group (Tier 2) since "
        "5 Oct 2026." in re.sub(r"<[^>]+>", "", page)
    )
    # Ana has no plan: her flag says nothing of one.
    ana = Flag.objects.get(student=swept.ana, kind="screening_risk")
    assert "already receiving support" not in text(client.get(f"/flags/{ana.pk}/"))
