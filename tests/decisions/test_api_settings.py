"""The settings API makes drafts, and switches a draft on only naming the what-if preview its
administrator ran and read of that very draft (issue 17), as the settings pages do.

Worked example (the sweep world, grade 3 fall ORF v1 70/55, revised to 75/40): Maria 38 high
-> high; Ana 60 some -> some; Ben 72 at -> some (gains a flag); Liam 80 at -> at; Noah 50
high -> some (his level moves, he keeps a flag). So 2 students change level, 1 gains a flag,
none loses one; Noah is the other school's.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from decisions.models import RuleRun, RuleSet, SettingsPreview
from decisions.services import rule_set_ensure
from screening.models import CutScoreSet, Measure, ScreeningScore
from screening.services import ScoreInput, scores_bulk_record
from students.models import AccessLog, Membership, Role
from tests.factories import DistrictFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

REVISION = {"rows": [{"grade": 3, "season": "fall", "benchmark": "75", "high_risk_cut": "40"}]}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _revise(client: APIClient, cut_set: CutScoreSet) -> dict:
    response = client.post(
        f"/api/v1/cut-score-sets/{cut_set.pk}/revise/",
        {**REVISION, "reason": "Local cut study"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _preview(client: APIClient, **draft: int):
    return client.post("/api/v1/settings-previews/", draft, format="json")


def test_a_cut_score_revision_is_a_draft_that_goes_live_only_with_its_preview(sweep_world):
    sw = sweep_world
    admin = client_for(sw.world.district_admin)
    draft = _revise(admin, sw.orf_set)
    assert (draft["version"], draft["is_active"]) == (2, False)
    assert CutScoreSet.objects.get(pk=sw.orf_set.pk).is_active  # v1 stays in use

    activate = f"/api/v1/cut-score-sets/{draft['id']}/activate/"
    missing = admin.post(activate, {}, format="json")
    assert missing.status_code == 400
    assert "Name the what-if preview you read" in missing.json()["preview"][0]
    assert f'"cut_score_set": {draft["id"]}' in missing.json()["preview"][0]
    assert not CutScoreSet.objects.get(pk=draft["id"]).is_active

    preview = _preview(admin, cut_score_set=draft["id"])
    assert preview.status_code == 201, preview.json()
    body = preview.json()
    totals = body["summary"]
    assert (totals["risk_changed"], totals["gained"], totals["lost"]) == (2, 1, 0)
    schools = {r["group"]: r for r in body["rows"]["school"]}
    maple, oak = schools[sw.world.school.name], schools[sw.world.other_school.name]
    # Under 10 students per school here: the rows carry no counts, as on the page.
    assert maple["small"] and maple["risk_changed"] is None and oak["n"] is None
    assert totals["students"] == 5 and body["rows"]["all"][0]["small"]
    stored = SettingsPreview.objects.get(pk=body["id"])
    assert stored.viewed_by == sw.world.district_admin
    read_again = admin.get(f"/api/v1/settings-previews/{body['id']}/").json()
    assert (read_again["summary"], read_again["cut_score_set"]) == (totals, draft["id"])

    switched = admin.post(activate, {"preview": body["id"]}, format="json")
    assert switched.status_code == 200, switched.json()
    assert switched.json()["is_active"] is True
    assert not CutScoreSet.objects.get(pk=sw.orf_set.pk).is_active
    ben = ScreeningScore.objects.get(student=sw.ben, window=sw.fall)
    assert (ben.risk_level, ben.cut_score_set_id) == ("some_risk", draft["id"])
    stored.refresh_from_db()
    assert stored.activated_by == sw.world.district_admin
    log = AccessLog.objects.get(
        object_type="cut_score_set", object_id=str(draft["id"]), detail__has_key="preview"
    )
    assert (log.detail["preview"], log.detail["preview_summary"]["gained"]) == (body["id"], 1)

    again = admin.post(activate, {"preview": body["id"]}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "Version 2 is already in use: there is nothing to switch on."


def test_it_names_what_is_wrong_with_the_preview(sweep_world):
    sw = sweep_world
    admin = client_for(sw.world.district_admin)
    first = _revise(admin, sw.orf_set)
    second = _revise(admin, sw.orf_set)  # another draft of the same set
    preview = _preview(admin, cut_score_set=first["id"]).json()

    other = admin.post(
        f"/api/v1/cut-score-sets/{second['id']}/activate/",
        {"preview": preview["id"]},
        format="json",
    )
    assert other.status_code == 400
    assert other.json()["preview"] == [
        f"Preview {preview['id']} is not a preview of this draft (version 3). Run one for it: "
        f'POST /api/v1/settings-previews/ {{"cut_score_set": {second["id"]}}}.'
    ]

    colleague = UserFactory()
    Membership.objects.create(user=colleague, role="district_admin", district=sw.world.district)
    theirs = client_for(colleague).post(
        f"/api/v1/cut-score-sets/{first['id']}/activate/", {"preview": preview["id"]}, format="json"
    )
    assert theirs.status_code == 400
    assert "was not read by you" in theirs.json()["preview"][0]
    assert not CutScoreSet.objects.filter(pk__in=[first["id"], second["id"]], is_active=True)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("principal", 403),
        ("team_member", 403),
        ("teacher", 403),
        ("other_teacher", 403),
        ("interventionist", 403),
        ("nobody", 404),  # no role in the district: its sets are not even visible
        ("anonymous", 401),
    ],
)
def test_only_district_administrators_preview_and_switch_on(sweep_world, persona, expected):
    sw = sweep_world
    draft = _revise(client_for(sw.world.district_admin), sw.orf_set)
    rules = RuleSet.objects.create(
        district=sw.world.district,
        version=rule_set_ensure(district_id=sw.world.district.pk).version + 1,
        thresholds={
            **rule_set_ensure(district_id=sw.world.district.pk).thresholds,
            "odr_tier2_at": 3,
        },
        is_active=False,
    )
    someone = APIClient()
    if persona != "anonymous":
        someone.force_authenticate(sw.world.persona(persona))
    answers = [
        _preview(someone, cut_score_set=draft["id"]).status_code,
        _preview(someone, rule_set=rules.pk).status_code,
        someone.post(f"/api/v1/cut-score-sets/{draft['id']}/activate/", {"preview": 1}).status_code,
        someone.post(f"/api/v1/rule-sets/{rules.pk}/activate/", {"preview": 1}).status_code,
    ]
    # A rule set is readable by every staff member of the district, so "nobody" gets 404 only
    # for what they cannot see at all.
    rule_expected = 404 if persona == "nobody" else expected
    assert answers == [expected, rule_expected, expected, rule_expected]
    if persona != "anonymous":
        assert someone.get("/api/v1/settings-previews/").json()["count"] == 0
    assert not SettingsPreview.objects.exists()
    assert not CutScoreSet.objects.get(pk=draft["id"]).is_active
    rules.refresh_from_db()
    assert not rules.is_active


def test_a_first_cut_score_set_is_a_draft_whose_preview_counts_every_new_level(sweep_world):
    """A measure with no set yet: its scores have no level. The first set gives each of them
    one, and the preview says so before it is switched on."""
    sw = sweep_world
    maze = Measure.objects.create(
        district=sw.world.district,
        code="maze",
        name="Maze",
        domain="reading",
        min_score=Decimal("0"),
        max_score=Decimal("60"),
        lowest_grade=1,
        highest_grade=6,
    )
    scores_bulk_record(
        rows=[
            ScoreInput(student=s, measure=maze, window=sw.fall, value=v)
            for s, v in ((sw.ana, 20), (sw.ben, 4), (sw.liam, 25))
        ],
        entered_by=None,
    )
    assert set(
        ScreeningScore.objects.filter(measure=maze).values_list("risk_level", flat=True)
    ) == {None}
    admin = client_for(sw.world.district_admin)
    created = admin.post(
        "/api/v1/cut-score-sets/",
        {
            "measure": maze.pk,
            "name": "District maze cuts",
            "rows": [{"grade": 3, "season": "fall", "benchmark": "15", "high_risk_cut": "8"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["version"], created.json()["is_active"]) == (1, False)

    body = _preview(admin, cut_score_set=created.json()["id"]).json()
    # Ana 20 and Liam 25 get "at or above", Ben 4 "high risk": three new levels; only Ben
    # gains a flag (his ORF score was at benchmark).
    assert (body["summary"]["risk_changed"], body["summary"]["gained"]) == (3, 1)
    switched = admin.post(
        f"/api/v1/cut-score-sets/{created.json()['id']}/activate/",
        {"preview": body["id"]},
        format="json",
    )
    assert switched.status_code == 200
    levels = dict(
        ScreeningScore.objects.filter(measure=maze).values_list("student_id", "risk_level")
    )
    assert levels == {sw.ana.pk: "at_or_above", sw.ben.pk: "high_risk", sw.liam.pk: "at_or_above"}


def test_a_copy_through_the_api_is_a_draft(world):
    reference = CutScoreSet.objects.get(district=None, measure__code="srss-e7")
    copy = client_for(world.district_admin).post(
        f"/api/v1/cut-score-sets/{reference.pk}/copy/", {}, format="json"
    )
    assert copy.status_code == 201
    assert (copy.json()["is_active"], copy.json()["based_on"]) == (False, reference.pk)
    assert (
        reference.measure.cut_score_sets.filter(district=world.district, is_active=True).count()
        == 0
    )


def test_a_rule_set_revision_is_a_draft_switched_on_with_its_preview(sweep_world):
    sw = sweep_world
    v1 = rule_set_ensure(district_id=sw.world.district.pk)
    admin = client_for(sw.world.district_admin)
    draft = admin.post(
        f"/api/v1/rule-sets/{v1.pk}/revise/",
        {"thresholds": {"odr_tier2_at": 3}, "notes": "Our practice"},
        format="json",
    ).json()
    assert (draft["version"], draft["is_active"]) == (2, False)
    activate = f"/api/v1/rule-sets/{draft['id']}/activate/"
    assert admin.post(activate, {}, format="json").status_code == 400
    preview = _preview(admin, rule_set=draft["id"])
    assert preview.status_code == 201
    # Liam has 2 referrals: under "Tier 2 from 3" his behavior flag goes.
    assert preview.json()["summary"]["lost"] == 1
    switched = admin.post(activate, {"preview": preview.json()["id"]}, format="json")
    assert switched.status_code == 200 and switched.json()["is_active"] is True
    assert RuleSet.objects.get(pk=v1.pk).is_active is False
    assert RuleRun.objects.filter(district=sw.world.district, triggered_by="settings").exists()
    assert admin.post(activate, {"preview": preview.json()["id"]}).status_code == 409
    in_use = _preview(admin, rule_set=draft["id"])
    assert in_use.status_code == 409
    # Going back to version 1 is the same two steps; Liam's flag would come back.
    back = _preview(admin, rule_set=v1.pk)
    assert (back.status_code, back.json()["summary"]["gained"]) == (201, 1)
    rolled = admin.post(
        f"/api/v1/rule-sets/{v1.pk}/activate/", {"preview": back.json()["id"]}, format="json"
    )
    assert rolled.status_code == 200
    assert RuleSet.objects.get(district=sw.world.district, is_active=True).pk == v1.pk


def test_a_preview_names_exactly_one_draft(sweep_world):
    admin = client_for(sweep_world.world.district_admin)
    assert _preview(admin).status_code == 400
    both = _preview(admin, cut_score_set=sweep_world.orf_set.pk, rule_set=1)
    assert both.status_code == 400


def test_a_preview_is_read_again_with_its_rows_by_its_district_admins_only(sweep_world):
    """`GET /settings-previews/{id}/` answers the rows the preview stored, the same numbers
    the POST answered; anyone who does not administer the district gets 404 and no number."""
    sw = sweep_world
    admin = client_for(sw.world.district_admin)
    draft = _revise(admin, sw.orf_set)
    ran = _preview(admin, cut_score_set=draft["id"]).json()
    url = f"/api/v1/settings-previews/{ran['id']}/"

    again = admin.get(url)
    assert again.status_code == 200
    assert again.json()["rows"] == ran["rows"]
    assert again.json()["summary"] == ran["summary"]
    # The worked example's two schools, each under 10 students, so without counts.
    schools = {r["group"]: r for r in again.json()["rows"]["school"]}
    assert set(schools) == {sw.world.school.name, sw.world.other_school.name}
    assert all(r["small"] and r["gained"] is None for r in schools.values())

    elsewhere = MembershipFactory(
        role=Role.DISTRICT_ADMIN, school=None, district=DistrictFactory(name="Aardvark District")
    ).user
    refused = {}
    for name in ("principal", "team_member", "teacher", "interventionist", "nobody"):
        refused[name] = client_for(sw.world.persona(name)).get(url)
    refused["other district's admin"] = client_for(elsewhere).get(url)
    assert {k: r.status_code for k, r in refused.items()} == dict.fromkeys(refused, 404)
    assert not any("summary" in r.json() or "rows" in r.json() for r in refused.values())
    assert APIClient().get(url).status_code == 401


def test_a_preview_still_being_worked_out_has_no_rows_yet(sweep_world):
    sw = sweep_world
    draft = _revise(client_for(sw.world.district_admin), sw.orf_set)
    job = SettingsPreview.objects.create(
        district=sw.world.district,
        subject=SettingsPreview.Subject.CUT_SCORES,
        cut_score_set_id=draft["id"],
        requested_by=sw.world.district_admin,
        status=SettingsPreview.Status.RUNNING,
    )
    body = client_for(sw.world.district_admin).get(f"/api/v1/settings-previews/{job.pk}/").json()
    assert (body["status"], body["rows"]) == ("running", None)
