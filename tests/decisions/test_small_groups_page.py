"""The small-groups page of a class (smallgroups, issue 20 item 2): the proposal it shows,
keeping an adjusted arrangement, scoping, the re-proposal after a new window, and linking the
district's resources.

The class is tests/decisions/conftest.py's Grade 3 - Lee: fall ORF Maria 38 (high risk), Ana 60
(some risk), Ben 72 (at or above). Winter is closed here, so fall is the current window.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from screening import services as screening_services
from screening.models import CutScore, CutScoreSet, Measure
from screening.services import ScoreInput
from smallgroups.models import GroupSet, SkillResource
from smallgroups.services import resource_create
from students.models import AccessLog
from tests.factories import DistrictFactory, EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee(sweep_world):
    sw = sweep_world
    sw.winter.is_open = False
    sw.winter.save()
    return sw


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(sw, tail: str = "") -> str:
    return f"/classes/{sw.world.section.pk}/groups/{tail}"


def _placement(html: str) -> dict[int, int]:
    """student id -> the group index their select has selected."""
    placed = {}
    for sid, body in re.findall(r'name="student-(\d+)" data-move>(.*?)</select>', html, re.S):
        [chosen] = re.findall(r'<option value="(\d+)" selected', body)
        placed[int(sid)] = int(chosen)
    return placed


def _names(html: str) -> list[str]:
    return re.findall(r'name="group-\d+-name" value="([^"]*)"', html)


def _keep(client, sw, placement: dict, names: list[str], *, size=4, window=None):
    data = {
        "window": (window or sw.fall).pk,
        "basis": f"risk:{sw.orf.pk}",
        "max_size": size,
        "group-count": len(names),
    }
    for i, name in enumerate(names):
        data[f"group-{i}-name"] = name
        data[f"group-{i}-skill"] = "fluency"
    for student, index in placement.items():
        data[f"student-{student.pk}"] = index
    return client.post(_url(sw, "keep/"), data)


def test_the_teacher_gets_a_proposal_by_risk_with_every_student_once(lee):
    response = _client(lee.world.teacher).get(_url(lee))
    assert response.status_code == 200
    html = response.content.decode()
    assert _names(html) == ["High risk", "Some risk", "At or above benchmark", "Group 4"]
    assert _placement(html) == {lee.maria.pk: 0, lee.ana.pk: 1, lee.ben.pk: 2}
    assert "Risk level on Oral reading fluency" in html
    assert lee.orf.code not in html.replace(f"risk:{lee.orf.pk}", "")
    # The page named three students: three rows in the record of access.
    logged = AccessLog.objects.filter(object_type="small_groups", action="view")
    assert sorted(logged.values_list("student_id", flat=True)) == sorted(
        [lee.maria.pk, lee.ana.pk, lee.ben.pk]
    )


def test_the_teachers_size_splits_a_group_and_the_answer_is_the_same_each_time(lee):
    extra = [StudentFactory(school=lee.world.school, first_name=n, last_name="Vale") for n in "XY"]
    for student, score in zip(extra, (40, 45), strict=True):
        EnrollmentFactory(student=student, section=lee.world.section)
        lee.score(student, score)
    client = _client(lee.world.teacher)
    url = _url(lee) + f"?basis=risk:{lee.orf.pk}&size=2"
    html = client.get(url).content.decode()
    # High risk: Maria 38, X 40, Y 45 -> two groups of 2 and 1, lowest score first.
    assert _names(html) == [
        "High risk 1",
        "High risk 2",
        "Some risk",
        "At or above benchmark",
        "Group 5",
    ]
    x, y = extra
    assert _placement(html) == {lee.maria.pk: 0, x.pk: 0, y.pk: 1, lee.ana.pk: 2, lee.ben.pk: 3}
    assert _placement(client.get(url).content.decode()) == _placement(html)


def test_keeping_an_adjusted_arrangement(lee):
    client = _client(lee.world.teacher)
    # Ana moved from "Some risk" (1) to "High risk" (0); the empty groups are dropped.
    names = ["High risk", "Some risk", "At or above benchmark", "Group 4"]
    response = _keep(client, lee, {lee.maria: 0, lee.ana: 0, lee.ben: 2}, names)
    assert response.status_code == 302
    kept = GroupSet.objects.get(section=lee.world.section, window=lee.fall)
    assert [
        (g.position, g.name, [m.student_id for m in g.members.all()]) for g in kept.groups.all()
    ] == [(1, "High risk", [lee.maria.pk, lee.ana.pk]), (2, "At or above benchmark", [lee.ben.pk])]
    assert kept.kept_by == lee.world.teacher
    # The page now starts from the kept groups.
    html = client.get(_url(lee)).content.decode()
    assert "Groups kept for Fall 2026-2027" in html
    assert _placement(html) == {lee.maria.pk: 0, lee.ana.pk: 0, lee.ben.pk: 1}
    assert AccessLog.objects.filter(object_type="small_groups", action="create").count() == 3


def test_keeping_refuses_a_student_left_out_or_a_group_too_large(lee):
    client = _client(lee.world.teacher)
    names = ["High risk", "Rest"]
    response = _keep(client, lee, {lee.maria: 0, lee.ana: 1}, names)  # Ben in no group
    assert response.status_code == 400
    assert "1 student(s) of the class are in no group." in response.content.decode()
    response = _keep(client, lee, {lee.maria: 0, lee.ana: 0, lee.ben: 1}, names, size=1)
    assert response.status_code == 400
    assert "High risk has 2 students; groups hold at most 1." in response.content.decode()
    # The teacher's arrangement is shown again as posted, not a fresh proposal.
    assert _placement(response.content.decode()) == {lee.maria.pk: 0, lee.ana.pk: 0, lee.ben.pk: 1}
    response = _keep(client, lee, {lee.maria: 0, lee.ana: 7, lee.ben: 1}, names)
    assert response.status_code == 400
    assert not GroupSet.objects.exists()


def test_only_people_who_see_the_class_reach_its_groups(lee):
    names = ["All"]
    everyone = {lee.maria: 0, lee.ana: 0, lee.ben: 0}
    for user in (lee.world.other_teacher, lee.world.nobody, lee.world.interventionist):
        client = _client(user)
        assert client.get(_url(lee)).status_code == 404
        assert _keep(client, lee, everyone, names).status_code == 404
    assert not GroupSet.objects.exists()
    # The school's team sees every class of the school.
    assert _client(lee.world.team_member).get(_url(lee)).status_code == 200
    assert Client().get(_url(lee)).status_code == 302  # to the sign-in page


def test_a_new_window_offers_a_new_proposal_and_keeps_the_old_groups(lee):
    client = _client(lee.world.teacher)
    names = ["High risk", "Some risk", "At or above benchmark"]
    assert _keep(client, lee, {lee.maria: 0, lee.ana: 1, lee.ben: 2}, names).status_code == 302
    lee.winter.is_open = True
    lee.winter.save()
    lee.score(lee.maria, 70, lee.winter)  # winter cuts 86 / 68: some risk
    lee.score(lee.ana, 90, lee.winter)  # at or above; Ben not screened yet
    html = client.get(_url(lee)).content.decode()
    assert "Groups kept from the Fall 2026-2027 window" in html
    assert "The Winter 2026-2027 window's scores are in" in html
    assert "Proposed groups from Winter 2026-2027" in html
    assert _names(html) == ["Some risk", "At or above benchmark", "Not screened yet", "Group 4"]
    # Keeping the fall arrangement now is refused: the window changed under the form.
    response = _keep(client, lee, {lee.maria: 0, lee.ana: 1, lee.ben: 2}, names)
    assert response.status_code == 302
    assert GroupSet.objects.count() == 1
    names = ["Some risk", "At or above benchmark", "Not screened yet"]
    placement = {lee.maria: 0, lee.ana: 1, lee.ben: 2}
    assert _keep(client, lee, placement, names, window=lee.winter).status_code == 302
    fall, winter = GroupSet.objects.order_by("window__start_date")
    assert (fall.window, winter.window) == (lee.fall, lee.winter)
    assert [g.name for g in fall.groups.all()] == [
        "High risk",
        "Some risk",
        "At or above benchmark",
    ]


def _resource(district, admin, **values):
    defaults = {
        "title": "Phrase-reading practice",
        "skill": "fluency",
        "kind": "online",
        "url": "https://example.org/phrases",
        "description": "",
        "lowest_grade": 2,
        "highest_grade": 4,
        "active": True,
    }
    return resource_create(district=district, actor=admin, **{**defaults, **values})


def test_a_kept_group_links_the_districts_resources_for_its_skill(lee):
    admin = lee.world.district_admin
    fluency = _resource(lee.world.district, admin)
    _resource(lee.world.district, admin, title="Number talks", skill="computation")
    _resource(lee.world.district, admin, title="Grade 8 only", lowest_grade=8, highest_grade=8)
    client = _client(lee.world.teacher)
    _keep(client, lee, {lee.maria: 0, lee.ana: 0, lee.ben: 0}, ["Fluency group"])
    group = GroupSet.objects.get().groups.get()
    html = client.get(_url(lee)).content.decode()
    assert "Phrase-reading practice" in html
    assert "Number talks" not in html  # another skill
    assert "Grade 8 only" not in html  # another grade band
    response = client.post(_url(lee, f"{group.pk}/resources/"), {"resource": [fluency.pk]})
    assert response.status_code == 302
    assert list(group.resources.all()) == [fluency]
    # Another district's resource is refused; another teacher cannot reach the group.
    elsewhere = SkillResource.objects.create(
        district=DistrictFactory(name="Elsewhere"),
        title="Not ours",
        skill="fluency",
        kind="offline",
        description="Cards",
        lowest_grade=1,
        highest_grade=5,
    )
    client.post(_url(lee, f"{group.pk}/resources/"), {"resource": [elsewhere.pk]})
    assert list(group.resources.all()) == [fluency]
    other = _client(lee.world.other_teacher)
    assert other.post(_url(lee, f"{group.pk}/resources/"), {"resource": []}).status_code == 404
    assert list(group.resources.all()) == [fluency]
    # Keeping the groups again in the same window keeps the group's links.
    _keep(client, lee, {lee.maria: 0, lee.ana: 0, lee.ben: 0}, ["Fluency group"])
    assert list(GroupSet.objects.get().groups.get().resources.all()) == [fluency]


def test_kept_groups_follow_the_class_list(lee):
    client = _client(lee.world.teacher)
    _keep(client, lee, {lee.maria: 0, lee.ana: 0, lee.ben: 1}, ["Reading", "Others"])
    # Ben leaves the class, Zoe joins it: Ben's name is no longer shown, Zoe is placed.
    lee.ben.enrollments.update(active=False)
    zoe = StudentFactory(school=lee.world.school, first_name="Zoe", last_name="Abel")
    EnrollmentFactory(student=zoe, section=lee.world.section)
    html = client.get(_url(lee)).content.decode()
    assert "Ben Cole" not in html
    assert _names(html) == ["Reading", "Others", "New to the class", "Group 4"]
    assert _placement(html) == {lee.maria.pk: 0, lee.ana.pk: 0, zoe.pk: 2}


def test_grouping_by_skill_need_across_two_measures(lee):
    lee.orf.skill = "fluency"
    lee.orf.save()
    math = Measure.objects.create(
        district=lee.world.district,
        code="zq-math",
        name="Math computation",
        domain="math",
        skill="computation",
        min_score=Decimal("0"),
        max_score=Decimal("80"),
        lowest_grade=1,
        highest_grade=6,
    )
    cuts = CutScoreSet.objects.create(
        district=lee.world.district, measure=math, name="Math cuts", version=1
    )
    CutScore.objects.create(
        cut_score_set=cuts, grade=3, season="fall", benchmark=20, high_risk_cut=12
    )
    screening_services.scores_bulk_record(
        rows=[
            ScoreInput(student=s, measure=math, window=lee.fall, value=v)
            for s, v in ((lee.maria, 25), (lee.ana, 10), (lee.ben, 15))
        ],
        entered_by=None,
    )
    client = _client(lee.world.teacher)
    html = client.get(_url(lee)).content.decode()
    assert "Skill need across all measures" in html
    html = client.get(_url(lee) + "?basis=skill&size=4").content.decode()
    # Maria: high risk in fluency (math at or above) -> fluency. Ana: some risk in fluency,
    # high risk in math -> computation. Ben: some risk in math only -> computation. The
    # larger need first; within it high risk somewhere (Ana) before some risk (Ben).
    assert _names(html) == ["Math computation", "Reading fluency", "Group 3"]
    assert _placement(html) == {lee.ana.pk: 0, lee.ben.pk: 0, lee.maria.pk: 1}
    assert "High risk on Math computation; Some risk on Oral reading fluency" in html
    assert "zq-math" not in html
