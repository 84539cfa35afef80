"""Family contacts: imported from OneRoster 1.1 and 1.2 (users.csv parents, guardians and
relatives, linked through agentSourcedIds from either side, with their preferred language),
edited on the student's page by the school's team, read through the student's scope, and
written to the record of access."""

from __future__ import annotations

import datetime as dt

import pytest

from students.models import AccessLog, Guardian, Student, StudentGuardian
from students.oneroster.codes import CodeError, parse_language
from students.oneroster.importer import import_oneroster
from tests.factories import DistrictFactory
from tests.fixtures.oneroster.builder import riverside
from tests.students.test_oneroster_samples import SAMPLES

TODAY = dt.date(2026, 9, 15)


def _families(district) -> dict[str, set[str]]:
    """student local id -> names of their contacts."""
    out: dict[str, set[str]] = {}
    for local_id, first, last in StudentGuardian.objects.filter(
        student__district=district
    ).values_list("student__local_id", "guardian__first_name", "guardian__last_name"):
        out.setdefault(local_id, set()).add(f"{first} {last}")
    return out


def test_parse_language_reads_codes_and_names():
    assert parse_language("es-MX") == "es"
    assert parse_language("spa") == "es"
    assert parse_language("Spanish") == "es"
    assert parse_language("EN") == "en"
    assert parse_language("") == ""
    with pytest.raises(CodeError):
        parse_language("Klingon!")


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample sets not found")
def test_it_links_the_parent_of_the_11_sample_to_his_child(db):
    district = DistrictFactory(name="Sample District")
    report = import_oneroster(
        path=SAMPLES / "Test_full_data_set.zip",
        district=district,
        all_or_nothing=False,
        today=TODAY,
    )
    assert report.committed
    thomas = Guardian.objects.get(district=district)
    assert (thomas.sourced_id, thomas.full_name, thomas.relationship) == (
        "usr-222-1234561",
        "Thomas Jones",
        "parent",
    )
    assert (thomas.email, thomas.phone, thomas.preferred_language) == (
        "thomas.jones@testemail.com",
        "6039876543",
        "",
    )
    assert _families(district) == {"mary.jones": {"Thomas Jones"}}
    assert report.counts["family links"]["created"] == 1


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample sets not found")
def test_the_12_sample_has_no_family_and_imports_none(db):
    district = DistrictFactory(name="Gotham")
    report = import_oneroster(
        path=SAMPLES / "oneroster_test_data.zip", district=district, today=TODAY
    )
    assert report.committed
    assert not Guardian.objects.filter(district=district).exists()
    assert "family contacts" not in report.counts


def _with_families(version: str):
    s = riverside(version=version)
    s.extra_columns["users.csv"] = [
        "preferredLanguage" if version == "1.1" else "metadata.preferredLanguage"
    ]
    # Rosa (par-1) names Maria as her child; Noah names his grandfather as his agent.
    s.find("users.csv", "par-1").update(agentSourcedIds="stu-1", **_lang(version, "es-MX"))
    role_rows = {"1.1": dict(orgSourcedIds="sch-oak", role="relative"), "1.2": {}}[version]
    s.add(
        "users.csv",
        sourcedId="rel-1",
        enabledUser="true",
        username="tomas.jones",
        givenName="Tomas",
        familyName="Jones",
        email="tomas@example.org",
        phone="555-0101",
        **role_rows,
        **_lang(version, "English"),
    )
    if version == "1.2":
        s.add(
            "roles.csv",
            sourcedId="role-rel-1",
            userSourcedId="rel-1",
            roleType="primary",
            role="relative",
            orgSourcedId="sch-oak",
        )
    s.find("users.csv", "stu-4")["agentSourcedIds"] = "rel-1,tch-park"
    return s


def _lang(version: str, value: str) -> dict[str, str]:
    return {("preferredLanguage" if version == "1.1" else "metadata.preferredLanguage"): value}


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_it_imports_families_from_either_side_with_their_language(db, tmp_path, version):
    district = DistrictFactory(name="Riverside Unified")
    s = _with_families(version)
    report = import_oneroster(path=s.zip(tmp_path / "set.zip"), district=district, today=TODAY)

    assert report.committed, report.rejected
    assert _families(district) == {"100001": {"Rosa Garcia"}, "100004": {"Tomas Jones"}}
    langs = dict(Guardian.objects.values_list("sourced_id", "preferred_language"))
    assert langs == {"par-1": "es", "rel-1": "en"}
    assert Guardian.objects.get(sourced_id="rel-1").relationship == "relative"
    assert report.counts["family contacts"]["created"] == 2
    # Noah's other agent is his teacher: reported once, no link.
    assert any("1 agent(s) of students are not parents" in w["message"] for w in report.warnings)

    # Again, unchanged: nothing new.
    again = import_oneroster(path=s.zip(tmp_path / "set2.zip"), district=district, today=TODAY)
    assert again.counts["family contacts"]["unchanged"] == 2
    assert StudentGuardian.objects.count() == 2


def test_a_bulk_file_without_the_parent_deactivates_her_and_keeps_hand_made_links(db, tmp_path):
    district = DistrictFactory(name="Riverside Unified")
    s = _with_families("1.2")
    import_oneroster(path=s.zip(tmp_path / "a.zip"), district=district, today=TODAY)
    maria = Student.objects.get(local_id="100001")
    aunt = Guardian.objects.create(district=district, first_name="Lucia", last_name="Garcia")
    StudentGuardian.objects.create(student=maria, guardian=aunt)

    s.remove("users.csv", "par-1").remove("roles.csv", "role-par-1")
    report = import_oneroster(path=s.zip(tmp_path / "b.zip"), district=district, today=TODAY)

    assert report.committed
    assert not Guardian.objects.get(sourced_id="par-1").active
    assert report.counts["family contacts"]["deactivated"] == 1
    assert _families(district)["100001"] == {"Lucia Garcia"}  # roster link gone, hers kept


def test_a_12_delta_without_roles_updates_a_known_contact(db, tmp_path):
    district = DistrictFactory(name="Riverside Unified")
    import_oneroster(
        path=_with_families("1.2").zip(tmp_path / "a.zip"), district=district, today=TODAY
    )
    delta = riverside(version="1.2", mode="delta")
    delta.rows = {"users.csv": [dict(delta.find("users.csv", "par-1"), email="rosa@new.example")]}
    report = import_oneroster(path=delta.zip(tmp_path / "b.zip"), district=district, today=TODAY)
    assert report.committed, report.rejected
    rosa = Guardian.objects.get(sourced_id="par-1")
    assert (rosa.email, rosa.preferred_language) == ("rosa@new.example", "es")  # no column: kept
    assert _families(district)["100001"] == {"Rosa Garcia"}  # a delta keeps the links


def test_a_bad_language_is_a_warning_not_a_rejection(db, tmp_path):
    district = DistrictFactory()
    s = _with_families("1.1")
    s.find("users.csv", "par-1")["preferredLanguage"] = "??"
    report = import_oneroster(path=s.zip(tmp_path / "set.zip"), district=district, today=TODAY)
    assert report.committed
    assert Guardian.objects.get(sourced_id="par-1").preferred_language == ""
    assert any("preferred language '??'" in w["message"] for w in report.warnings)


# -- the profile, the page and the API -----------------------------------------------------


@pytest.fixture
def family(world):
    g = Guardian.objects.create(
        district=world.district,
        first_name="Rosa",
        last_name="Garcia",
        email="rosa@example.org",
        preferred_language="es",
    )
    return StudentGuardian.objects.create(student=world.student, guardian=g)


def test_the_profile_shows_the_family_to_the_teacher(client, world, family):
    client.force_login(world.teacher)
    page = client.get(f"/students/{world.student.pk}/").content.decode()
    assert "Rosa Garcia" in page
    assert "Letters in Español" in page
    assert "See family contacts" in page  # a teacher reads, does not edit


def test_a_teacher_from_elsewhere_sees_no_family(client, world, family):
    client.force_login(world.other_teacher)
    assert client.get(f"/students/{world.student.pk}/family/").status_code == 404
    client.force_login(world.other_teacher)
    data = client.get("/api/v1/family-contacts/").json()
    assert data["results"] == []


def test_the_team_edits_a_contact_and_the_change_is_logged(client, world, family):
    client.force_login(world.team_member)
    url = f"/students/{world.student.pk}/family/{family.pk}/"
    prefix = f"c{family.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-first_name": "Rosa",
            f"{prefix}-last_name": "Garcia Ruiz",
            f"{prefix}-relationship": "guardian",
            f"{prefix}-email": "rosa@example.org",
            f"{prefix}-phone": "555-0100",
            f"{prefix}-preferred_language": "es",
            f"{prefix}-receives_letters": "on",
        },
    )
    assert response.status_code == 302
    g = Guardian.objects.get(pk=family.guardian_id)
    assert (g.last_name, g.relationship, g.phone) == ("Garcia Ruiz", "guardian", "555-0100")
    log = AccessLog.objects.get(object_type="family_contact", action="update")
    assert log.student_id == world.student.pk and log.user == world.team_member
    assert set(log.detail["changed"]) == {"last_name", "relationship", "phone"}


def test_the_team_adds_and_removes_a_contact(client, world):
    client.force_login(world.principal)
    url = f"/students/{world.student.pk}/family/"
    response = client.post(
        url,
        {
            "new-first_name": "Ana",
            "new-last_name": "Lopez",
            "new-relationship": "guardian",
            "new-preferred_language": "es",
            "new-receives_letters": "on",
        },
    )
    assert response.status_code == 302
    link = StudentGuardian.objects.get(student=world.student)
    assert link.guardian.preferred_language == "es"
    client.post(f"{url}{link.pk}/remove/")
    assert not StudentGuardian.objects.filter(student=world.student).exists()
    actions = list(
        AccessLog.objects.filter(object_type="family_contact").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete"]


def test_a_teacher_may_not_change_contacts(client, world, family):
    client.force_login(world.teacher)
    response = client.post(
        f"/students/{world.student.pk}/family/",
        {"new-last_name": "X", "new-relationship": "parent"},
    )
    assert response.status_code == 403
    response = client.post(f"/students/{world.student.pk}/family/{family.pk}/remove/")
    assert response.status_code == 403
    assert StudentGuardian.objects.filter(pk=family.pk).exists()


def test_the_api_lists_contacts_in_scope_and_logs_them(client, world, family):
    client.force_login(world.teacher)
    data = client.get(f"/api/v1/family-contacts/?student={world.student.pk}").json()
    assert [(r["first_name"], r["preferred_language"]) for r in data["results"]] == [("Rosa", "es")]
    assert AccessLog.objects.filter(
        object_type="family_contact", student=world.student, user=world.teacher
    ).exists()


def test_viewing_the_family_page_is_logged(client, world, family):
    client.force_login(world.teacher)
    assert client.get(f"/students/{world.student.pk}/family/").status_code == 200
    assert AccessLog.objects.filter(
        object_type="family_contact", action="view", student=world.student
    ).exists()
