"""Who may do what, and where: every question a page, the API or a service asks about a
user's roles is answered here, from the user's memberships loaded once per request.

A person's roles (students.models.Role) are held per school, except the district
administrator's, which covers the whole district:

- a teacher works with the students of their own classes;
- an interventionist delivers intervention plans at a school;
- a school team member (counselor, psychologist, coach) and a school administrator
  (principal) look after every student of their school: they are "the school's team";
- a district administrator looks after every school of their district and sets it up
  (screening measures and windows, rosters, rules).
Platform superusers are operators, not staff: each question says what it answers for them.

`students.selectors.students_visible_to` stays THE function for which students a user sees;
it reads the memberships from here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from students.models import SCHOOL_WIDE_ROLES, District, Membership, Role, School, User

# Staff who may bring screening scores in from a file (their own students' scores).
SCORE_IMPORT_ROLES = (Role.TEACHER, Role.TEAM_MEMBER, Role.SCHOOL_ADMIN, Role.DISTRICT_ADMIN)
# Staff who may read the school and district dashboards and the flag list.
TEAM_AND_DISTRICT_ROLES = (*SCHOOL_WIDE_ROLES, Role.DISTRICT_ADMIN)
# Staff who may change an intervention plan somewhere (where exactly: may_write_plans).
PLAN_WRITER_ROLES = (*SCHOOL_WIDE_ROLES, Role.DISTRICT_ADMIN, Role.INTERVENTIONIST)


# -- enrollments that still count -------------------------------------------------------------


def current_enrollment_condition(*, prefix: str = "", today: dt.date | None = None) -> Q:
    """Enrollments that link a teacher to a student today: active, with no end date or an end
    date that has not passed. The end date is the enrollment's last day (inclusive): a
    student whose enrollment ends today is still in the class today and gone tomorrow
    (docs/decisions.md, "Ended enrollments"). `prefix` is the path to the enrollment
    ("enrollments__" from a student)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}active": True}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


# -- the memberships, once per request ---------------------------------------------------------


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships, fetched once per user object (so once per request)."""
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        if not user.is_authenticated:
            return []
        cached = list(Membership.objects.filter(user_id=user.pk).select_related("district"))
        user._memberships_cache = cached
    return cached


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def roles_of(user: User) -> set[str]:
    """Every role the user holds, wherever they hold it."""
    if not user.is_authenticated:
        return set()
    return {m.role for m in memberships_of(user)}


def holds_any_role(user: User, roles: tuple[str, ...]) -> bool:
    """Whether the user holds one of `roles` at any school or district."""
    return any(m.role in roles for m in memberships_of(user))


def district_ids_of(user: User) -> set[int]:
    """Districts where the user holds any role: the ones whose setup (measures, windows,
    rules, the catalog) they read."""
    if not user.is_authenticated:
        return set()
    return {m.district_id for m in memberships_of(user)}


def administered_district_ids(user: User) -> set[int]:
    """Districts the user administers (superusers are not counted: ask is_district_admin_of)."""
    return {m.district_id for m in memberships_of(user) if m.role == Role.DISTRICT_ADMIN}


def districts_where(user: User, roles: tuple[str, ...]) -> list[District]:
    """Districts where the user holds one of `roles`, by name."""
    seen: dict[int, District] = {}
    for m in memberships_of(user):
        if m.role in roles:
            seen.setdefault(m.district_id, m.district)
    return sorted(seen.values(), key=lambda d: d.name)


def settings_district(
    user: User,
    *,
    roles: tuple[str, ...] = (Role.DISTRICT_ADMIN,),
    refusal: str,
    chosen: int | None = None,
) -> District:
    """The district whose settings the user keeps: `chosen` when they may keep it, else the
    first they hold one of `roles` in (a superuser: any district, the first by name unless
    chosen). Anyone else is refused with `refusal`, the settings page's own words for who may
    use it."""
    districts = settings_districts(user, roles)
    if not districts:
        raise PermissionDenied(refusal)
    return next((d for d in districts if d.pk == chosen), districts[0])


def settings_districts(
    user: User, roles: tuple[str, ...] = (Role.DISTRICT_ADMIN,)
) -> list[District]:
    """Every district whose settings the user may keep, by name (a superuser: all)."""
    if user.is_superuser:
        return list(District.objects.order_by("name", "pk"))
    return districts_where(user, roles)


def school_ids_with_role(user: User, roles: tuple[str, ...]) -> set[int]:
    """Schools where the user holds one of `roles`; a district administrator holds every role
    at every school of their district; a superuser at every school."""
    if user.is_superuser:
        return set(School.objects.values_list("pk", flat=True))
    ids: set[int] = set()
    district_ids = set()
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN:
            district_ids.add(m.district_id)
        elif m.role in roles and m.school_id:
            ids.add(m.school_id)
    if district_ids:
        ids |= set(School.objects.filter(district_id__in=district_ids).values_list("pk", flat=True))
    return ids


def team_school_ids(user: User) -> set[int]:
    """Schools whose team the user is on: team member or administrator there, or district
    administrator of the school's district."""
    return school_ids_with_role(user, SCHOOL_WIDE_ROLES)


def team_places(user: User) -> list[tuple[int, int]]:
    """(school, district) of each school where the user is on the team by a school role
    (district administrators are not listed: see administered_district_ids)."""
    return [
        (m.school_id, m.district_id)
        for m in memberships_of(user)
        if m.role in SCHOOL_WIDE_ROLES and m.school_id
    ]


def interventionist_school_ids(user: User) -> list[int]:
    """Schools where the user delivers interventions."""
    return [m.school_id for m in memberships_of(user) if m.role == Role.INTERVENTIONIST]


def school_wide_condition(
    user: User, school_field: str = "school_id", district_field: str = "school__district_id"
) -> Q:
    """Rows of schools whose team the user is on (district administrators: every school of
    their district), as a filter on `school_field` / `district_field`."""
    condition = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN:
            condition |= Q(**{district_field: m.district_id})
        elif m.role in SCHOOL_WIDE_ROLES and m.school_id:
            condition |= Q(**{school_field: m.school_id})
    return condition


def whole_school_student_condition(user: User) -> Q:
    """Students a user sees by a school-wide role: the district administrator's whole
    district; the team's and school administrators' schools; a teacher's whole school only
    when the district turned `teachers_see_whole_school` on. (Empty Q: none this way.)"""
    broad = Q()
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN:
            broad |= Q(district_id=m.district_id)
        elif (
            m.role in SCHOOL_WIDE_ROLES
            or m.role == Role.TEACHER
            and m.district.teachers_see_whole_school
        ):
            broad |= Q(school_id=m.school_id)
    return broad


def any_role_school_condition(user: User) -> Q:
    """Schools where the user holds any role (district administrators: their district's)."""
    condition = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN:
            condition |= Q(district_id=m.district_id)
        elif m.school_id:
            condition |= Q(pk=m.school_id)
    return condition


def works_at_condition(*, school_id: int, district_id: int, prefix: str = "") -> Q:
    """Memberships of the people who work at a school: any role there, or administrator of
    its district (`prefix` reaches the membership from another model, e.g. "memberships__")."""
    return Q(**{f"{prefix}school_id": school_id}) | Q(
        **{f"{prefix}role": Role.DISTRICT_ADMIN, f"{prefix}district_id": district_id}
    )


# -- the questions pages ask -------------------------------------------------------------------


def is_district_admin_of(user: User | None, district_id: int | None) -> bool:
    """May the user set up this district (screening measures and windows, rules, rosters)?
    Its district administrators may, and platform superusers."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return district_id is not None and district_id in administered_district_ids(user)


def is_district_admin(user: User) -> bool:
    """Does the user administer any district at all (not counting superusers)?"""
    return holds_any_role(user, (Role.DISTRICT_ADMIN,))


def is_on_team_of(user: User | None, *, school_id: int, district_id: int) -> bool:
    """Is the user on this school's team? Its team members and school administrators are,
    and the district's administrators; platform superusers act as if they were."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN and m.district_id == district_id:
            return True
        if m.role in SCHOOL_WIDE_ROLES and m.school_id == school_id:
            return True
    return False


def may_write_plans(user: User | None, *, school_id: int, district_id: int) -> bool:
    """May the user start, close and reassign any intervention plan at this school? The
    school's team may (they decide who gets which support); a plan's own interventionist
    records its data but manages only their own caseload (interventions' permissions)."""
    return is_on_team_of(user, school_id=school_id, district_id=district_id)


def may_act_on_flags(user: User | None, *, school_id: int, district_id: int) -> bool:
    """May the user act on this school's flags (start a plan, dismiss, refer to the team)?
    The school's team may: acting on a flag is a team decision."""
    return is_on_team_of(user, school_id=school_id, district_id=district_id)


def may_run_team_meetings(user: User) -> bool:
    """May the user see and run problem-solving team meetings anywhere? Those on a school's
    team may (meetings are where the team decides)."""
    return _signed_in(user) and bool(team_school_ids(user))


def is_interventionist_at(user: User | None, school_id: int) -> bool:
    """Does the user deliver interventions at this school?"""
    return user is not None and school_id in interventionist_school_ids(user)


def may_enter_late_scores(user: User | None, school_id: int) -> bool:
    """May the user enter or correct screening scores after the window closed? The school's
    administrators may (make-up screening happens after the window), and district
    administrators; teachers may not."""
    if user is None or user.is_superuser:
        return True
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN:
            return True
        if m.role == Role.SCHOOL_ADMIN and m.school_id == school_id:
            return True
    return False


def may_import_scores(user: User) -> bool:
    """May the user import screening scores from a file? Teachers (for their classes), the
    school's team and district administrators may; interventionists record progress on
    plans instead."""
    if not _signed_in(user):
        return False
    return user.is_superuser or holds_any_role(user, SCORE_IMPORT_ROLES)


def may_view_dashboards(user: User) -> bool:
    """May the user read the dashboards and the flag list? The school's team and district
    administrators may: these show whole schools, not one class."""
    if not _signed_in(user):
        return False
    return user.is_superuser or holds_any_role(user, TEAM_AND_DISTRICT_ROLES)


def may_ever_write_plans(user: User) -> bool:
    """Could the user change some intervention plan somewhere (team, administrators,
    interventionists)? Which plan exactly is asked per plan."""
    return user.is_superuser or holds_any_role(user, PLAN_WRITER_ROLES)


def may_read_access_log(user: User, *, school_id: int, district_id: int) -> bool:
    """May the user read a student's record of access? Only administrators: the district's
    administrators and the administrators of the student's school."""
    if user.is_superuser:
        return True
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN and m.district_id == district_id:
            return True
        if m.role == Role.SCHOOL_ADMIN and m.school_id == school_id:
            return True
    return False


def is_school_admin_of(user: User | None, *, school_id: int, district_id: int) -> bool:
    """Does the user administer this school? Its school administrators do, and the district's
    administrators (and platform superusers): the settings a school keeps for itself, such as
    its own screening dates, are theirs."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN and m.district_id == district_id:
            return True
        if m.role == Role.SCHOOL_ADMIN and m.school_id == school_id:
            return True
    return False


def may_write_roster_school_ids(user: User) -> set[int]:
    """Schools whose students the user may add or change: those they administer (district
    administrators: every school of their district)."""
    if not _signed_in(user):
        return set()
    return school_ids_with_role(user, (Role.SCHOOL_ADMIN,))


# -- for the navigation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Capabilities:
    """What the signed-in user may reach, for the navigation and the home page."""

    import_scores: bool = False
    administer_district: bool = False
    use_flags: bool = False
    keep_caseload: bool = False
    view_dashboards: bool = False
    run_meetings: bool = False


def capabilities(user: User) -> Capabilities:
    if not user.is_authenticated:
        return Capabilities()
    roles = roles_of(user)
    superuser = user.is_superuser
    team_or_district = superuser or bool(roles & set(TEAM_AND_DISTRICT_ROLES))
    return Capabilities(
        import_scores=superuser or bool(roles & set(SCORE_IMPORT_ROLES)),
        administer_district=superuser or Role.DISTRICT_ADMIN in roles,
        use_flags=team_or_district,
        keep_caseload=Role.INTERVENTIONIST in roles,
        view_dashboards=team_or_district,
        run_meetings=team_or_district,
    )
