"""The decisions API: scoping per persona, filters, evidence, dismiss, rule sets, rule runs."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from decisions.models import Flag, RuleRun, RuleSet
from decisions.sweep import sweep
from students.models import AccessLog
from tests.decisions.conftest import AS_OF
from tests.factories import DistrictFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def swept(sweep_world):
    sweep(district_id=sweep_world.world.district.pk, as_of=AS_OF, triggered_by="manual")
    return sweep_world


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def maple_flags(sw) -> set[int]:
    return set(Flag.objects.filter(school=sw.world.school).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # Maple: Maria, Ana (screening), Liam (ODR, October catch), Lee's class (classwide).
        ("team_member", 5),
        ("principal", 5),
        ("district_admin", 7),
        # The teacher of Lee's class: Maria's and Ana's flags and the classwide flag.
        ("teacher", 3),
        # Oak's teacher: Noah's flag and the Park class's classwide flag.
        ("other_teacher", 2),
        ("interventionist", 0),
        ("nobody", 0),
    ],
)
def test_it_lists_only_the_flags_a_persona_may_see(swept, persona, expected):
    response = client_for(swept.world.persona(persona)).get("/api/v1/flags/")

    assert response.status_code == 200
    assert response.json()["count"] == expected


def test_it_refuses_anonymous_requests(swept):
    assert APIClient().get("/api/v1/flags/").status_code == 401


def test_it_lists_what_the_team_member_sees_with_filters(swept):
    sw = swept
    client = client_for(sw.world.team_member)

    everything = client.get("/api/v1/flags/")
    odr = client.get("/api/v1/flags/", {"kind": "odr"})
    tier3 = client.get("/api/v1/flags/", {"domain": "reading", "status": "live"})
    maria = client.get("/api/v1/flags/", {"student": sw.maria.pk})
    bad = client.get("/api/v1/flags/", {"kind": "made_up"})

    assert ids(everything) == maple_flags(sw)
    [row] = odr.json()["results"]
    assert (row["student"], row["recommended_tier"], row["domain"]) == (sw.liam.pk, 2, "behavior")
    assert "2 major office discipline referrals" in row["why"]
    assert tier3.json()["count"] == 3  # Maria, Ana and Lee's class
    assert maria.json()["results"][0]["student_name"] == "Maria Garcia"
    assert bad.status_code == 400


def test_it_lists_in_a_constant_number_of_queries(swept, django_assert_max_num_queries):
    sw = swept
    client = client_for(sw.world.district_admin)
    with django_assert_max_num_queries(8):
        small = client.get("/api/v1/flags/")
    for value in (30, 35, 40, 45):  # more flags: other students' high-risk scores
        student = type(sw.ana).objects.create(
            district=sw.world.district,
            school=sw.world.school,
            local_id=f"X{value}",
            first_name="Extra",
            last_name=f"Student{value}",
            grade=3,
        )
        sw.score(student, value)
    sweep(district_id=sw.world.district.pk, as_of=AS_OF, triggered_by="manual")
    with django_assert_max_num_queries(8):
        large = client.get("/api/v1/flags/")
    assert large.json()["count"] == small.json()["count"] + 4


def test_it_retrieves_a_flag_with_its_evidence_and_logs_the_read(swept):
    sw = swept
    flag = Flag.objects.get(student=sw.maria, kind="screening_risk")

    response = client_for(sw.world.teacher).get(f"/api/v1/flags/{flag.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert body["evidence"]["scores"][0]["score"] == 38
    assert body["why"].startswith(
        "Oral reading fluency 38 in fall is below the cut point for risk 55"
    )
    assert body["rule_set_version"] == 1
    assert AccessLog.objects.filter(
        user=sw.world.teacher, object_type="flag", student=sw.maria, action="view"
    ).exists()


def test_it_hides_flags_of_students_the_user_cannot_see(swept):
    noah = Flag.objects.get(student=swept.noah, kind="screening_risk")

    response = client_for(swept.world.teacher).get(f"/api/v1/flags/{noah.pk}/")

    assert response.status_code == 404


def test_a_team_member_dismisses_a_flag_with_a_reason(swept):
    sw = swept
    flag = Flag.objects.get(student=sw.ana, kind="screening_risk")
    client = client_for(sw.world.team_member)

    missing = client.post(f"/api/v1/flags/{flag.pk}/dismiss/", {"reason": ""})
    done = client.post(f"/api/v1/flags/{flag.pk}/dismiss/", {"reason": "Retested in class: 74."})
    again = client.post(f"/api/v1/flags/{flag.pk}/dismiss/", {"reason": "Twice"})

    assert missing.status_code == 400 and "reason" in missing.json()
    assert done.status_code == 200
    assert done.json()["status"] == "dismissed"
    assert done.json()["dismissed_reason"] == "Retested in class: 74."
    assert again.status_code == 400
    assert "already dismissed" in again.json()["detail"]
    flag.refresh_from_db()
    assert flag.decided_by == sw.world.team_member
    assert AccessLog.objects.filter(
        object_type="flag", object_id=str(flag.pk), action="update"
    ).exists()


@pytest.mark.parametrize(("persona", "code"), [("teacher", 403), ("other_teacher", 404)])
def test_teachers_cannot_dismiss_flags(swept, persona, code):
    flag = Flag.objects.get(student=swept.maria, kind="screening_risk")

    response = client_for(swept.world.persona(persona)).post(
        f"/api/v1/flags/{flag.pk}/dismiss/", {"reason": "no"}
    )

    assert response.status_code == code
    flag.refresh_from_db()
    assert flag.status == "open"


def test_a_district_admin_revises_the_rule_set(swept):
    sw = swept
    v1 = RuleSet.objects.get(district=sw.world.district)
    admin = client_for(sw.world.district_admin)

    listed = admin.get("/api/v1/rule-sets/")
    revised = admin.post(
        f"/api/v1/rule-sets/{v1.pk}/revise/",
        {"thresholds": {"odr_tier2_at": 3}, "notes": "Our practice"},
        format="json",
    )
    bad = admin.post(
        f"/api/v1/rule-sets/{v1.pk}/revise/", {"thresholds": {"odr_tier2_at": 9}}, format="json"
    )
    refused = client_for(sw.world.team_member).post(
        f"/api/v1/rule-sets/{v1.pk}/revise/", {"thresholds": {"odr_tier2_at": 4}}, format="json"
    )

    assert listed.json()["results"][0]["thresholds"]["odr_tier2_at"] == 2
    assert revised.status_code == 201
    assert revised.json()["version"] == 2
    assert revised.json()["thresholds"]["odr_tier2_at"] == 3
    assert bad.status_code == 400  # Tier 2 from 9 would come after Tier 3 from 6
    assert refused.status_code == 403
    assert revised.json()["is_active"] is False  # a draft until its preview switches it on
    v1.refresh_from_db()
    assert v1.is_active
    assert v1.thresholds["odr_tier2_at"] == 2  # the old version is kept as it was


def test_it_starts_a_sweep_and_answers_202_with_the_queued_run(swept):
    sw = swept
    admin = client_for(sw.world.district_admin)

    started = admin.post("/api/v1/rule-runs/", {"district": sw.world.district.pk}, format="json")
    polled = admin.get(f"/api/v1/rule-runs/{started.json()['id']}/")

    assert started.status_code == 202
    assert started.json()["status"] == "queued"
    assert started.json()["triggered_by"] == "api"
    assert polled.json()["status"] == "queued"
    assert RuleRun.objects.get(pk=started.json()["id"]).requested_by == sw.world.district_admin


def test_who_may_start_a_sweep(swept):
    sw = swept
    team = client_for(sw.world.team_member)
    other = DistrictFactory()
    stranger_school = SchoolFactory(district=other)

    own_school = team.post("/api/v1/rule-runs/", {"school": sw.world.school.pk}, format="json")
    whole_district = team.post(
        "/api/v1/rule-runs/", {"district": sw.world.district.pk}, format="json"
    )
    other_school = team.post(
        "/api/v1/rule-runs/", {"school": sw.world.other_school.pk}, format="json"
    )
    foreign = client_for(sw.world.district_admin).post(
        "/api/v1/rule-runs/", {"school": stranger_school.pk}, format="json"
    )
    teacher = client_for(sw.world.teacher).post(
        "/api/v1/rule-runs/", {"school": sw.world.school.pk}, format="json"
    )
    empty = team.post("/api/v1/rule-runs/", {}, format="json")

    assert own_school.status_code == 202
    assert whole_district.status_code == 403
    assert other_school.status_code == 403
    assert foreign.status_code == 404
    assert teacher.status_code == 403
    assert empty.status_code == 400


def test_rule_runs_are_listed_per_scope(swept):
    sw = swept
    sweep(
        district_id=sw.world.district.pk,
        school_id=sw.world.other_school.pk,
        as_of=AS_OF,
        triggered_by="manual",
    )

    team = client_for(sw.world.team_member).get("/api/v1/rule-runs/").json()
    admin = client_for(sw.world.district_admin).get("/api/v1/rule-runs/").json()
    teacher = client_for(sw.world.teacher).get("/api/v1/rule-runs/").json()

    assert admin["count"] == 2
    assert team["count"] == 1  # the district-wide run, not Oak's own
    assert team["results"][0]["counts"]["screening_risk"]["created"] == 3
    assert teacher["count"] == 0
