"""The record of access: every page that shows students' names writes a row for each student
it shows; the log page pages through every row with filters; rows keep who it was after the
account is deleted; API list reads and the platform's own rows read right."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from meetings import services as meeting_services
from meetings.models import AgendaItem
from meetings.services.concerns import concern_submit
from students.audit import AuditContext, audit_record, audit_record_many
from students.models import AccessLog
from tests.factories import UserFactory
from tests.meetings.conftest import kit, screening  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _rows_for(student, object_type: str) -> int:
    return AccessLog.objects.filter(student=student, object_type=object_type, action="view").count()


def _pages(kit):  # noqa: F811
    w = kit.world
    kit.flag(w.student, tier=3)
    meeting_services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    concern_submit(student=w.classmate, note="Often absent.", actor=w.team_member)
    m = kit.meeting.pk
    return [
        # (persona, url, object type, the student it must name)
        ("teacher", reverse("student_list"), "student_list", w.student),
        ("team_member", reverse("decisions:flag_list"), "flag_list", w.student),
        ("team_member", reverse("meetings:detail", args=[m]), "meeting_agenda", w.student),
        ("team_member", reverse("meetings:minutes", args=[m]), "meeting_minutes", None),
        ("team_member", reverse("meetings:concern_list"), "concern_list", w.classmate),
        (
            "teacher",
            reverse("meetings:concern_new", args=[w.student.pk]),
            "concern_form",
            w.student,
        ),
        ("teacher", reverse("screening:referral_new"), "referral_form", w.student),
        (
            "teacher",
            reverse("screening:completion_missing")
            + f"?window={kit.screening.fall.pk}&measure={kit.orf.pk}",
            "completion_missing",
            w.student,
        ),
    ]


def test_every_page_that_names_students_writes_the_access_log(client, kit):  # noqa: F811
    w = kit.world
    for persona, url, object_type, student in _pages(kit):
        client.force_login(w.persona(persona))
        response = client.get(url)
        assert response.status_code == 200, url
        if student is None:
            continue
        assert student.last_name in response.content.decode(), url
        assert _rows_for(student, object_type) == 1, url
        row = AccessLog.objects.get(student=student, object_type=object_type)
        assert row.user == w.persona(persona) and row.detail["list"] is True


def test_the_minutes_page_logs_the_students_it_names(client, kit):  # noqa: F811
    w = kit.world
    kit.flag(w.student, tier=3)
    meeting_services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    item = AgendaItem.objects.get(meeting=kit.meeting, student=w.student)
    meeting_services.meeting_record_decision(
        meeting=kit.meeting, item=item, type="dismiss_flag", rationale="Fine.", actor=w.team_member
    )
    client.force_login(w.team_member)
    assert client.get(reverse("meetings:minutes", args=[kit.meeting.pk])).status_code == 200
    assert _rows_for(w.student, "meeting_minutes") == 1


def _log(client, world, **params):
    client.force_login(world.principal)
    return client.get(reverse("student_access_log", args=[world.student.pk]), params)


def test_the_log_page_pages_through_every_row_with_filters(client, world):
    for _ in range(70):
        audit_record(
            user=world.teacher, action="view", object_type="student", student=world.student
        )
    old = audit_record(
        user=world.team_member, action="update", object_type="student", student=world.student
    )
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))

    first = _log(client, world)
    assert first.status_code == 200
    # 71 rows, two pages of 50; reading the log writes a row of its own after the read.
    assert first.context["page"].paginator.count == 71
    assert "page=2" in first.content.decode()
    second = _log(client, world, page=2)
    assert len(second.context["entries"]) == 22
    assert second.context["entries"][-1].pk == old.pk

    changed = _log(client, world, action="update")
    assert [e.pk for e in changed.context["entries"]] == [old.pk]
    by_person = _log(client, world, who="ortiz")  # the team member's last name
    assert [e.pk for e in by_person.context["entries"]] == [old.pk]
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    recent = _log(client, world, since=since, who="teacher")
    assert recent.context["page"].paginator.count == 70
    backwards = _log(client, world, since="2026-02-01", until="2026-01-01")
    assert "The start date is after the end date." in backwards.content.decode()


def test_deleting_a_staff_account_keeps_its_name_on_past_rows(client, world):
    leaver = UserFactory(username="jdoe", first_name="Jane", last_name="Doe")
    audit_record(user=leaver, action="view", object_type="student", student=world.student)
    leaver.delete()
    row = AccessLog.objects.get(student=world.student, object_type="student")
    assert row.user is None and row.user_name == "Jane Doe (jdoe)"
    html = _log(client, world).content.decode()
    assert "Jane Doe (jdoe), account since deleted" in html
    assert "Unknown or deleted account" not in html


def test_api_list_reads_and_platform_rows_say_what_they_are(client, world):
    audit_record_many(
        user=world.teacher,
        action="view",
        object_type="student",
        student_ids=[world.student.pk],
        detail={"via": "api", "list": True},
    )
    audit_record(
        user=world.teacher,
        action="view",
        object_type="screening_score",
        student=world.student,
        detail={"via": "api"},
    )
    audit_record_many(
        user=world.teacher,
        action="view",
        object_type="student_list",
        student_ids=[world.student.pk],
        detail={"list": True},
    )
    audit_record(user=None, action="update", object_type="flag", student=world.student)
    audit_record(
        user=None,
        action="create",
        object_type="flag",
        student=world.student,
        audit=AuditContext.system(via="nightly decision sweep"),
    )
    legacy = audit_record(user=None, action="view", object_type="flag", student=world.student)
    AccessLog.objects.filter(pk=legacy.pk).update(ip="10.0.0.9")
    html = _log(client, world).content.decode()
    assert "Read through the API, in a list of students" in html
    assert "Read through the API: screening score" in html
    assert "Viewed the student in a list on the student list" in html
    assert "The platform (automatic)" in html
    assert "The platform (nightly decision sweep)" in html
    assert "A deleted account (its name was not recorded)" in html
    assert "Viewed the student&#x27;s profile" not in html
    assert "Unknown or deleted account" not in html


def test_an_api_list_of_flags_is_logged_as_an_api_list(client, kit):  # noqa: F811
    w = kit.world
    kit.flag(w.student, tier=3)
    api = APIClient()
    api.force_authenticate(w.team_member)
    assert api.get("/api/v1/flags/").status_code == 200
    row = AccessLog.objects.get(student=w.student, object_type="flag", action="view")
    assert row.detail == {"via": "api", "list": True}
    assert "Read through the API, in a list of flags" in _log(client, w).content.decode()


def test_the_migration_backfills_names_of_existing_accounts(world):
    from importlib import import_module

    from django.apps import apps

    audit_record(user=world.teacher, action="view", object_type="student", student=world.student)
    AccessLog.objects.update(user_name="")
    import_module("students.migrations.0010_accesslog_user_name").keep_names(apps, None)
    assert AccessLog.objects.get().user_name.endswith("Lee (teacher)")


def test_the_home_pages_caseload_logs_the_students_it_names(client, world):
    from tests.students.test_views import place_on_caseload

    place_on_caseload(world, world.classmate)
    client.force_login(world.interventionist)
    assert "Liam Smith" in client.get(reverse("home")).content.decode()
    assert _rows_for(world.classmate, "home_caseload") == 1
