"""students.access: the role questions, answered the way a principal would expect."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from students import access
from students.audit import AuditContext
from tests.factories import DistrictFactory, MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _at(world, school) -> dict:
    return {"school_id": school.pk, "district_id": world.district.pk}


@pytest.mark.parametrize(
    ("persona", "here", "elsewhere"),
    [
        ("team_member", True, False),
        ("principal", True, False),
        ("district_admin", True, True),
        ("teacher", False, False),
        ("interventionist", False, False),
        ("nobody", False, False),
    ],
)
def test_the_schools_team_writes_plans_there_and_nowhere_else(world, persona, here, elsewhere):
    user = world.persona(persona)
    assert access.may_write_plans(user, **_at(world, world.school)) is here
    assert access.may_write_plans(user, **_at(world, world.other_school)) is elsewhere


def test_a_district_administrator_does_not_administer_another_district(world):
    other = DistrictFactory(name="Hillcrest")
    assert access.is_district_admin_of(world.district_admin, world.district.pk)
    assert not access.is_district_admin_of(world.district_admin, other.pk)
    assert not access.is_district_admin_of(world.principal, world.district.pk)


def test_only_administrators_read_the_record_of_access(world):
    where = _at(world, world.school)
    assert access.may_read_access_log(world.principal, **where)
    assert access.may_read_access_log(world.district_admin, **where)
    assert not access.may_read_access_log(world.team_member, **where)
    assert not access.may_read_access_log(world.principal, **_at(world, world.other_school))


def test_late_scores_are_for_administrators_not_teachers(world):
    assert access.may_enter_late_scores(world.principal, world.school.pk)
    assert not access.may_enter_late_scores(world.principal, world.other_school.pk)
    assert not access.may_enter_late_scores(world.teacher, world.school.pk)


def test_team_schools_of_a_district_administrator_are_every_school_of_the_district(world):
    SchoolFactory(district=DistrictFactory(name="Hillcrest"))  # not theirs
    assert access.team_school_ids(world.district_admin) == {
        world.school.pk,
        world.other_school.pk,
    }
    assert access.team_school_ids(world.team_member) == {world.school.pk}
    assert access.team_school_ids(world.teacher) == set()


def test_a_user_with_two_roles_gets_both(world):
    MembershipFactory(
        user=world.teacher,
        role="interventionist",
        school=world.other_school,
        district=world.district,
    )
    assert access.roles_of(world.teacher) == {"teacher", "interventionist"}
    assert access.is_interventionist_at(world.teacher, world.other_school.pk)
    assert not access.is_interventionist_at(world.teacher, world.school.pk)


def test_the_memberships_are_read_once_per_user_object(world):
    user = world.principal
    with CaptureQueriesContext(connection) as queries:
        access.may_write_plans(user, **_at(world, world.school))
        access.may_view_dashboards(user)
        access.may_import_scores(user)
        access.capabilities(user)
        access.district_ids_of(user)
    assert len(queries) == 1


def test_signed_out_visitors_may_do_nothing_and_cost_no_query(world):
    anonymous = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert access.roles_of(anonymous) == set()
        assert access.capabilities(anonymous) == access.Capabilities()
        assert not access.may_view_dashboards(anonymous)
    assert len(queries) == 0


def test_navigation_capabilities_follow_the_roles(world):
    assert access.capabilities(world.teacher) == access.Capabilities(import_scores=True)
    assert access.capabilities(world.interventionist) == access.Capabilities(keep_caseload=True)
    district = access.capabilities(world.district_admin)
    assert district.administer_district and district.run_meetings and district.use_flags


def test_the_audit_context_carries_the_client_address_and_the_way_in(world):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    request.user = world.principal
    audit = AuditContext.from_request(request, via="api")
    assert (audit.user, audit.ip, audit.via) == (world.principal, "203.0.113.9", "api")
    assert AuditContext.system(via="nightly job") == AuditContext(None, None, "nightly job")
