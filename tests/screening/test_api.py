"""The screening API: scoping per persona, bad payloads, versions, reference sets read-only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from screening import services
from screening.models import CutScoreSet, Measure, Referral, ScreeningScore, ScreeningWindow
from students.models import AccessLog
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "teacher",
    "other_teacher",
    "interventionist",
    "team_member",
    "principal",
    "district_admin",
    "nobody",
    "anonymous",
]


def client_as(world, persona: str) -> APIClient:
    client = APIClient()
    if persona != "anonymous":
        client.force_login(world.persona(persona))
    return client


def payload(world, screening, **changes) -> dict:
    return {
        "student": world.student.pk,
        "measure": screening.orf.pk,
        "window": screening.fall.pk,
        "score": "72",
        **changes,
    }


# -- scoping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("teacher", 200),
        ("other_teacher", 404),
        ("interventionist", 404),  # no caseload in `world`
        ("team_member", 200),
        ("principal", 200),
        ("district_admin", 200),
        ("nobody", 404),
        ("anonymous", 401),
    ],
)
def test_it_shows_a_score_only_to_those_who_may_see_the_student(
    world, screening, persona, expected
):
    score = services.score_record(
        student=world.student,
        measure=screening.orf,
        window=screening.fall,
        value="54",
        entered_by=world.teacher,
    )
    response = client_as(world, persona).get(f"/api/v1/screening-scores/{score.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["risk_level"] == "high_risk"


def test_it_lists_nothing_to_a_teacher_of_another_school(world, screening):
    services.score_record(
        student=world.student,
        measure=screening.orf,
        window=screening.fall,
        value="80",
        entered_by=world.teacher,
    )
    response = client_as(world, "other_teacher").get("/api/v1/screening-scores/")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_it_answers_a_list_in_the_same_number_of_queries_for_3_or_25_scores(
    world, screening, django_assert_max_num_queries
):
    client = client_as(world, "district_admin")
    students = [StudentFactory(school=world.school, grade=3) for _ in range(25)]
    rows = [
        services.ScoreInput(student=s, measure=screening.orf, window=screening.fall, value="60")
        for s in students
    ]
    services.scores_bulk_record(rows=rows[:3], entered_by=None)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/screening-scores/").json()["count"] == 3
    services.scores_bulk_record(rows=rows, entered_by=None)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/screening-scores/").json()["count"] == 25


# -- create ---------------------------------------------------------------------------------


def test_it_records_a_score_and_answers_with_risk_rank_and_version(world, screening):
    response = client_as(world, "teacher").post(
        "/api/v1/screening-scores/", payload(world, screening, score=69), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["score"], body["risk_level"], body["percentile_rank"]) == (
        "69.00",
        "some_risk",
        50,
    )
    assert (body["cut_score_set"], body["cut_score_version"]) == (screening.orf_set.pk, 1)
    assert AccessLog.objects.filter(
        object_type="screening_score", action="create", student=world.student
    ).exists()


BAD_PAYLOADS = [
    ({"score": None}, "score", "Enter a number."),
    ({"score": "abc"}, "score", "'abc' is not a number. Enter a number, like 42."),
    (
        {"score": 999},
        "score",
        "Oral reading fluency scores go from 0 to 250; 999 is outside that range.",
    ),
    (
        {"score": "-5"},
        "score",
        "Oral reading fluency scores go from 0 to 250; -5 is outside that range.",
    ),
    ({"score": "12.345"}, "score", "Use at most 2 decimal places."),
    ({"score": [72]}, "score", "Not a valid string."),
    ({"score": True}, "score", "Not a valid string."),
    ({"student": "x"}, "student", "A valid integer is required."),
    ({"student": 0}, "student", "Ensure this value is greater than or equal to 1."),
    ({"measure": 999999}, "measure", "There is no such measure."),
    ({"window": 999999}, "window", "There is no such screening window."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_PAYLOADS)
def test_it_refuses_a_bad_score_payload_and_saves_nothing(
    world, screening, changes, field, message
):
    response = client_as(world, "teacher").post(
        "/api/v1/screening-scores/", payload(world, screening, **changes), format="json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert ScreeningScore.objects.count() == 0


def test_it_refuses_a_missing_field(world, screening):
    body = payload(world, screening)
    del body["score"]
    response = client_as(world, "teacher").post("/api/v1/screening-scores/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"score": ["This field is required."]}


def test_it_refuses_a_student_the_teacher_cannot_see_like_one_that_does_not_exist(world, screening):
    client = client_as(world, "teacher")
    hidden = client.post(
        "/api/v1/screening-scores/",
        payload(world, screening, student=world.classmate.pk),
        format="json",
    )
    missing = client.post(
        "/api/v1/screening-scores/", payload(world, screening, student=999999), format="json"
    )
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() == {"student": ["There is no such student among yours."]}
    assert ScreeningScore.objects.count() == 0


def test_it_refuses_a_teacher_in_a_closed_window(world, screening):
    response = client_as(world, "teacher").post(
        "/api/v1/screening-scores/",
        payload(world, screening, window=screening.winter.pk),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["window"] == [
        "The Winter 2026-2027 screening window is closed. Ask a school administrator to "
        "enter late scores."
    ]


def test_it_refuses_a_window_of_another_district(world, screening):
    from tests.factories import DistrictFactory, SchoolYearFactory

    elsewhere = SchoolYearFactory(district=DistrictFactory())
    foreign = ScreeningWindow.objects.create(
        school_year=elsewhere,
        season="fall",
        start_date=screening.fall.start_date,
        end_date=screening.fall.end_date,
        is_open=True,
    )
    response = client_as(world, "teacher").post(
        "/api/v1/screening-scores/", payload(world, screening, window=foreign.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json()["window"] == ["This window belongs to another district."]


# -- bulk -----------------------------------------------------------------------------------


def _classmates(world, n):
    students = [StudentFactory(school=world.school, grade=3) for _ in range(n)]
    for s in students:
        EnrollmentFactory(student=s, section=world.section)
    return students


def test_it_records_a_class_in_one_request(world, screening):
    students = _classmates(world, 3)
    body = [
        {"student": s.pk, "measure": screening.orf.pk, "window": screening.fall.pk, "score": v}
        for s, v in zip(students, ["80", "60", "40"], strict=True)
    ]
    response = client_as(world, "teacher").post(
        "/api/v1/screening-scores/bulk/", body, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["created"], data["updated"]) == (3, 0)
    assert [s["risk_level"] for s in data["scores"]] == ["at_or_above", "some_risk", "high_risk"]
    assert [s["percentile_rank"] for s in data["scores"]] == [83, 50, 17]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"student": 1}, {"non_field_errors": ["Send a JSON list of scores."]}),
        ([], {"non_field_errors": ["The list is empty."]}),
        (
            ["x"],
            {
                "rows": [
                    "Item 1: non_field_errors: Invalid data. Expected a dictionary, but got str."
                ]
            },
        ),
    ],
)
def test_it_refuses_a_bulk_body_that_is_not_a_list_of_scores(world, screening, body, expected):
    response = client_as(world, "teacher").post(
        "/api/v1/screening-scores/bulk/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json() == expected


def test_it_saves_no_score_of_a_class_when_one_is_bad(world, screening):
    students = _classmates(world, 3)
    body = [
        {"student": s.pk, "measure": screening.orf.pk, "window": screening.fall.pk, "score": v}
        for s, v in zip(students, ["80", "eighty", "40"], strict=True)
    ]
    response = client_as(world, "teacher").post(
        "/api/v1/screening-scores/bulk/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "rows": ["Item 2: 'eighty' is not a number. Enter a number, like 42."]
    }
    assert ScreeningScore.objects.count() == 0


# -- setup endpoints ----------------------------------------------------------------------------


def test_it_shows_reference_sets_with_their_rows(world):
    response = client_as(world, "teacher").get("/api/v1/cut-score-sets/?reference=true")
    assert response.status_code == 200
    sets = {s["name"]: s for s in response.json()["results"]}
    ht = sets["Hasbrouck & Tindal 2017 ORF norms"]
    assert ht["is_reference"] and ht["version"] == 1 and len(ht["rows"]) == 17
    grade2_fall = next(r for r in ht["rows"] if r["grade"] == 2 and r["season"] == "fall")
    assert (grade2_fall["benchmark"], grade2_fall["high_risk_cut"], grade2_fall["p50"]) == (
        "36.00",
        "23.00",
        "50.00",
    )


def test_it_refuses_to_revise_a_reference_set(world):
    reference = CutScoreSet.objects.get(district=None, measure__code="orf-wcpm")
    response = client_as(world, "district_admin").post(
        f"/api/v1/cut-score-sets/{reference.pk}/revise/",
        {"rows": [{"grade": 2, "season": "fall", "benchmark": "40"}], "reason": "Local study"},
        format="json",
    )
    assert response.status_code == 400
    assert "Reference cut scores are read-only" in response.json()["detail"]
    assert CutScoreSet.objects.filter(measure=reference.measure).count() == 1


def test_it_lets_a_district_admin_copy_and_revise_a_reference_set(world):
    client = client_as(world, "district_admin")
    reference = CutScoreSet.objects.get(district=None, measure__code="srss-e7")
    copy = client.post(f"/api/v1/cut-score-sets/{reference.pk}/copy/", {}, format="json")
    assert copy.status_code == 201
    assert (copy.json()["district"], copy.json()["version"], copy.json()["based_on"]) == (
        world.district.pk,
        1,
        reference.pk,
    )
    revised = client.post(
        f"/api/v1/cut-score-sets/{copy.json()['id']}/revise/",
        {"rows": [{"grade": 4, "season": "fall", "high_risk_cut": "9"}], "reason": "Local"},
        format="json",
    )
    assert revised.status_code == 201
    # Both are drafts until switched on with a preview (tests/decisions/test_api_settings.py).
    assert (copy.json()["is_active"], revised.json()["version"], revised.json()["is_active"]) == (
        False,
        2,
        False,
    )
    row = next(r for r in revised.json()["rows"] if r["grade"] == 4 and r["season"] == "fall")
    assert (row["benchmark"], row["high_risk_cut"]) == ("3.00", "9.00")
    assert revised.json()["notes"] == "Local"  # the reason is kept as the version's notes


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_revision_without_a_reason_is_refused_naming_the_field(world, screening, reason):
    body = {"rows": [{"grade": 2, "season": "fall", "benchmark": "41"}]}
    if reason is not None:
        body["reason"] = reason
    response = client_as(world, "district_admin").post(
        f"/api/v1/cut-score-sets/{screening.orf_set.pk}/revise/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why the cut scores change."]}
    assert (
        CutScoreSet.objects.filter(
            measure=screening.orf_set.measure, district=world.district
        ).count()
        == 1
    )


def test_it_refuses_cut_score_changes_by_a_teacher(world, screening):
    response = client_as(world, "teacher").post(
        f"/api/v1/cut-score-sets/{screening.orf_set.pk}/revise/", {"rows": []}, format="json"
    )
    assert response.status_code == 403


def test_it_refuses_a_cut_score_row_with_the_cuts_the_wrong_way_round(world, screening):
    response = client_as(world, "district_admin").post(
        "/api/v1/cut-score-sets/",
        {
            "measure": screening.errors.pk,
            "name": "Errors v2",
            "rows": [{"grade": 3, "season": "fall", "benchmark": "10", "high_risk_cut": "4"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "rows": [
            "Row 1: the high-risk cut must not be below the benchmark (lower scores are better "
            "on this measure)."
        ]
    }


def test_it_lets_only_district_admins_add_measures(world):
    body = {
        "code": "maze",
        "name": "Maze comprehension",
        "domain": "reading",
        "max_score": "40",
        "lowest_grade": 2,
        "highest_grade": 8,
    }
    assert client_as(world, "principal").post("/api/v1/measures/", body).status_code == 403
    response = client_as(world, "district_admin").post("/api/v1/measures/", body, format="json")
    assert response.status_code == 201
    assert Measure.objects.get(code="maze").district == world.district
    again = client_as(world, "district_admin").post("/api/v1/measures/", body, format="json")
    assert again.status_code == 400
    assert again.json() == {"code": ["Your district already has a measure with the code 'maze'."]}


def test_it_lets_a_district_admin_close_a_window(world, screening):
    url = f"/api/v1/windows/{screening.fall.pk}/close/"
    assert client_as(world, "teacher").post(url).status_code == 403
    response = client_as(world, "district_admin").post(url)
    assert response.status_code == 200 and response.json()["is_open"] is False


# -- referrals ---------------------------------------------------------------------------------


def test_it_records_and_scopes_referrals(world):
    body = {
        "student": world.student.pk,
        "date": "2026-10-14",
        "time": "10:20",
        "location": "cafeteria",
        "problem_behavior": "disruption",
        "perceived_motivation": "peer_attention",
    }
    response = client_as(world, "teacher").post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201
    assert response.json()["staff_name"] == "Ms. Lee"
    assert client_as(world, "other_teacher").get("/api/v1/referrals/").json()["count"] == 0
    assert client_as(world, "principal").get("/api/v1/referrals/").json()["count"] == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"location": "moon"}, {"location": ['"moon" is not a valid choice.']}),
        ({"date": "14/10/2026"}, None),
        ({"student": "__classmate__"}, {"student": ["There is no such student among yours."]}),
    ],
)
def test_it_refuses_a_bad_referral(world, changes, expected):
    body = {
        "student": world.student.pk,
        "date": "2026-10-14",
        "location": "cafeteria",
        "problem_behavior": "disruption",
        **changes,
    }
    if body["student"] == "__classmate__":
        body["student"] = world.classmate.pk
    response = client_as(world, "teacher").post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400
    if expected:
        assert response.json() == expected
    else:
        assert "date" in response.json()
    assert not Referral.objects.exists()
