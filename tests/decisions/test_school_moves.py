"""A student who moves school leaves their live flags closed, with the stated reason, in the
same transaction as the move: by the roster service and by a OneRoster import. The old
school's agenda then no longer proposes them (docs/decisions.md, "School moves")."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from decisions.models import Flag
from decisions.school_moves import moved_reason
from decisions.services import rule_set_ensure
from meetings import services as meeting_services
from meetings.models import AgendaItem
from students.models import AccessLog, School, SchoolYear, Student
from students.oneroster.importer import import_oneroster
from students.services import student_update
from tests.factories import DistrictFactory
from tests.fixtures.oneroster.builder import riverside
from tests.meetings.conftest import Kit, kit  # noqa: F401  (the fixture)
from tests.screening.conftest import screening  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_the_reason_names_the_new_school_and_the_day():
    assert moved_reason("Oak Elementary", dt.date(2026, 12, 3)) == (
        "Moved to Oak Elementary on 3 December 2026"
    )


def test_a_move_closes_the_old_schools_live_flags_and_its_agenda_stops_proposing_them(
    kit: Kit,  # noqa: F811
):
    w = kit.world
    live = kit.flag(w.student, tier=2)
    on_agenda = kit.flag(w.student, kind="odr", tier=3, domain="behavior", status="on_agenda")
    accepted = kit.flag(w.student, domain="math")
    Flag.objects.filter(pk=accepted.pk).update(status="accepted", resolved_at=timezone.now())
    classmate = kit.flag(w.classmate, tier=2)
    meeting_services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    assert AgendaItem.objects.filter(meeting=kit.meeting, student=w.student).exists()

    student_update(actor=w.district_admin, student=w.student, school=w.other_school)

    today = timezone.localdate()
    reason = f"Moved to {w.other_school.name} on {today.day} {today:%B %Y}"
    for flag in (live, on_agenda):
        flag.refresh_from_db()
        assert (flag.status, flag.closed_reason) == ("resolved", reason)
        assert flag.resolved_at is not None
    assert Flag.objects.get(pk=accepted.pk).closed_reason == ""  # decided flags stay as they were
    assert Flag.objects.get(pk=classmate.pk).status == "on_agenda"  # untouched
    assert AccessLog.objects.filter(
        object_type="flag", student=w.student, detail__reason=reason
    ).exists()

    # The prepared agenda lost Maria's item; preparing again does not bring her back.
    def on_agenda() -> set[int]:
        return set(AgendaItem.objects.filter(meeting=kit.meeting).values_list("student", flat=True))

    assert on_agenda() == {w.classmate.pk}
    meeting_services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    assert on_agenda() == {w.classmate.pk}


def test_a_change_that_keeps_the_school_leaves_the_flags_alone(kit: Kit):  # noqa: F811
    w = kit.world
    flag = kit.flag(w.student, tier=2)
    student_update(actor=w.principal, student=w.student, preferred_name="Mari")
    assert Flag.objects.get(pk=flag.pk).status == "open"


def _flag_for(student: Student, year: SchoolYear) -> Flag:
    digest = hashlib.sha256(b"move").hexdigest()
    return Flag.objects.create(
        district=student.district,
        school=student.school,
        school_year=year,
        student=student,
        domain="reading",
        kind="screening_risk",
        recommended_tier=2,
        rule="screening_risk",
        rule_set=rule_set_ensure(district_id=student.district_id),
        evidence={"kind": "screening", "scores": []},
        evidence_hash=digest,
        basis_hash=digest,
    )


def test_a_roster_import_that_moves_a_student_closes_their_flags_in_its_transaction(tmp_path):
    district = DistrictFactory(name="Riverside Unified")
    today = dt.date(2026, 9, 15)
    bulk = riverside("1.2").zip(tmp_path / "bulk.zip")
    assert import_oneroster(
        path=bulk, district=district, today=today, deactivation_confirmed=True
    ).committed
    maria = Student.objects.get(district=district, sourced_id="stu-1")
    flag = _flag_for(maria, SchoolYear.objects.get(district=district, is_current=True))

    delta = riverside("1.2", mode="delta")
    delta.rows = {}
    delta.add(
        "users.csv",
        sourcedId="stu-1",
        enabledUser="true",
        username="mariagarcia",
        givenName="Maria",
        familyName="Garcia",
        identifier="100001",
        grades="06",
        primaryOrgSourcedId="sch-oak",
    )
    report = import_oneroster(
        path=delta.zip(tmp_path / "delta.zip"), district=district, today=today
    )

    assert report.committed, report.rejected
    maria.refresh_from_db()
    oak = School.objects.get(district=district, sourced_id="sch-oak")
    assert maria.school_id == oak.pk
    flag.refresh_from_db()
    assert flag.status == "resolved"
    assert flag.closed_reason == "Moved to Oak Middle School on 15 September 2026"
