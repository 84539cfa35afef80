"""Reads of the decisions app, with the access check built in.

A student's flag is visible to whoever sees the student (`students_visible_to`). A classwide
flag (no student) is visible to the teachers of its section and to whoever reads its school
(team members, school and district administrators). The flag list page is for team members
and administrators (`may_use_flag_list`); teachers meet their students' flags on the profile.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from decisions.models import LIVE_STATUSES, Flag, RuleRun, RuleSet
from decisions.served import NOT_RESPONDING_KINDS
from mtss.in_array import InArray
from students import access
from students.models import School, Section, Student, User
from students.selectors import schools_visible_to, students_visible_to

FLAG_RELATED = (
    "student",
    "student__school",
    "section",
    "section__school",
    "school",
    "measure",
    "window",
    "window__school_year",
    "rule_set",
    "decided_by",
    "context_plan",
    "context_plan__intervention",
)

# What the flag list page shows of each flag (templates/decisions/flag_list.html): every
# further join costs the 50-row page query planning time, the largest part of it.
FLAG_LIST_RELATED = ("student", "section", "school", "context_plan", "context_plan__intervention")


def may_use_flag_list(user: User) -> bool:
    """Team members, school administrators, district administrators (and superusers)."""
    return access.may_view_dashboards(user)


def flags_visible_to(user: User) -> QuerySet[Flag]:
    if not user.is_authenticated or not user.is_active:
        return Flag.objects.none()
    if user.is_superuser:
        return Flag.objects.all()
    section_schools = access.team_school_ids(user)
    # Subqueries, not joins: no duplicate rows, so no DISTINCT over a district's flags. As
    # arrays (mtss.in_array): a team member's few hundred students are looked up through the
    # flag's student index instead of a scan of the district's flags (50,000 students: the
    # flag list's three reads took 150-250 ms each, 5-30 ms so).
    my_sections = Section.objects.filter(teachers=user).values("pk")
    classwide_sections = Section.objects.filter(
        Q(school__in=section_schools) | Q(pk__in=my_sections)
    ).values("pk")
    return Flag.objects.filter(
        Q(InArray("student_id", students_visible_to(user).order_by().values("pk")))
        | Q(InArray("section_id", classwide_sections), student__isnull=True)
    )


def flag_get_for_user(*, user: User, pk: int) -> Flag:
    """The flag if the user may see it, else 404."""
    return get_object_or_404(flags_visible_to(user).select_related(*FLAG_RELATED), pk=pk)


def flag_schools_for(user: User) -> QuerySet[School]:
    """Schools offered in the flag list's school filter."""
    return schools_visible_to(user).order_by("name")


# Student groups offered by the flag list's filter: value -> (label, filter on Student).
STUDENT_GROUPS: dict[str, tuple[str, Q]] = {
    "english_learner": ("English learners", Q(english_learner=True)),
    "iep": ("Students with an IEP", Q(iep=True)),
    "section_504": ("Students with a 504 plan", Q(section_504=True)),
    "economically_disadvantaged": (
        "Economically disadvantaged",
        Q(economically_disadvantaged=True),
    ),
}


def _race_groups() -> dict[str, tuple[str, Q]]:
    from students.models import RaceEthnicity

    return {
        f"race:{value}": (label, Q(race_ethnicity=value))
        for value, label in RaceEthnicity.choices
        if value != RaceEthnicity.UNKNOWN
    }


def student_group_choices() -> list[tuple[str, str]]:
    groups = {**STUDENT_GROUPS, **_race_groups()}
    return [(key, label) for key, (label, _) in groups.items()]


SERVED_CHOICES = (
    ("not_served", "Not yet served"),
    ("served", "Already served by a plan"),
)


def with_escalation(flags: QuerySet[Flag]) -> QuerySet[Flag]:
    """Annotate `escalates`: the flag is context on a plan that is not responding (a live
    "change the intervention" or dual-discrepancy flag on that plan), so it escalates it."""
    return flags.annotate(
        escalates=Exists(
            Flag.objects.filter(
                plan_id=OuterRef("context_plan_id"),
                kind__in=NOT_RESPONDING_KINDS,
                status__in=LIVE_STATUSES,
            )
        )
    )


def new_flags_queue(flags: QuerySet[Flag]) -> QuerySet[Flag]:
    """The flags a team still has to act on as new referrals or escalations: those no
    active plan serves, and those whose serving plan is not responding."""
    return with_escalation(flags).filter(Q(context_plan__isnull=True) | Q(escalates=True))


def served_counts(flags: QuerySet[Flag]) -> dict[str, int]:
    """How many of `flags` are not yet served and already served (one query)."""
    from django.db.models import Count

    counts = flags.aggregate(
        served=Count("pk", filter=Q(context_plan__isnull=False)),
        total=Count("pk"),
    )
    return {"served": counts["served"], "not_served": counts["total"] - counts["served"]}


def flags_filter(
    flags: QuerySet[Flag],
    *,
    school: int | None = None,
    grade: int | None = None,
    domain: str = "",
    kind: str = "",
    status: str = "",
    group: str = "",
    served: str = "",
) -> QuerySet[Flag]:
    """The list page's and the API's filters. `status` "live" (the default of the page)
    means open or on an agenda; "" means every status. `served` "not_served": flags no
    active plan at the recommended tier covers; "served": flags that are context on such a
    plan; "" both."""
    if school:
        flags = flags.filter(school_id=school)
    if grade is not None:
        flags = flags.filter(
            Q(student__grade=grade) | Q(student__isnull=True, section__grade=grade)
        )
    if domain:
        flags = flags.filter(domain=domain)
    if kind:
        flags = flags.filter(kind=kind)
    if status == "live":
        flags = flags.filter(status__in=LIVE_STATUSES)
    elif status:
        flags = flags.filter(status=status)
    if served == "not_served":
        flags = flags.filter(context_plan__isnull=True)
    elif served == "served":
        flags = flags.filter(context_plan__isnull=False)
    if group:
        groups = {**STUDENT_GROUPS, **_race_groups()}
        if group in groups:
            flags = flags.filter(student__in=Student.objects.filter(groups[group][1]).values("pk"))
    return flags


def flags_for_list(
    user: User, *, related: tuple[str, ...] = FLAG_RELATED, **filters: Any
) -> QuerySet[Flag]:
    """Flags for the list page and API list: most intensive first, then newest."""
    return (
        flags_filter(flags_visible_to(user), **filters)
        .select_related(*related)
        .order_by("-recommended_tier", "-created_at", "-id")
    )


def student_flags(*, user: User, student: Student) -> dict[str, list[Flag]]:
    """The student's live flags and the last closed ones, for the profile card (2 queries).

    The caller has already checked that the user sees the student."""
    flags = list(
        Flag.objects.filter(student=student)
        .select_related(
            "measure",
            "window",
            "rule_set",
            "decided_by",
            "section",
            "context_plan",
            "context_plan__intervention",
        )
        .order_by("-created_at", "-id")[:50]
    )
    live = [f for f in flags if f.status in LIVE_STATUSES]
    live.sort(key=lambda f: (-f.recommended_tier, f.domain))
    closed = [f for f in flags if f.status not in LIVE_STATUSES][:5]
    return {"live": live, "closed": closed}


def rule_runs_visible_to(user: User) -> QuerySet[RuleRun]:
    """District administrators see their districts' runs; team members and school
    administrators the runs of their schools and of their whole district."""
    if not user.is_authenticated or not user.is_active:
        return RuleRun.objects.none()
    if user.is_superuser:
        return RuleRun.objects.all()
    condition = Q(pk__in=[])
    for district_id in access.administered_district_ids(user):
        condition |= Q(district_id=district_id)
    for school_id, district_id in access.team_places(user):
        condition |= Q(school_id=school_id) | Q(district_id=district_id, school__isnull=True)
    return RuleRun.objects.filter(condition)


def rule_sets_visible_to(user: User) -> QuerySet[RuleSet]:
    """Every staff member of a district may read its rules (they explain the flags)."""
    if not user.is_authenticated or not user.is_active:
        return RuleSet.objects.none()
    if user.is_superuser:
        return RuleSet.objects.all()
    return RuleSet.objects.filter(district_id__in=access.district_ids_of(user))


def current_plans(flags: list[Flag]) -> dict[tuple[int, str], Any]:
    """The active intervention plan of each flagged student in the flag's domain, keyed by
    (student id, domain), in one query: a team deciding on a screening or referral flag
    needs to know the student is already receiving support there. The caller has already
    checked the user sees these students (a plan is visible exactly when its student is)."""
    from interventions.models import InterventionPlan

    wanted = {(f.student_id, f.domain) for f in flags if f.student_id and not f.plan_id}
    if not wanted:
        return {}
    plans = (
        InterventionPlan.objects.filter(
            student_id__in={s for s, _ in wanted},
            domain__in={d for _, d in wanted},
            status=InterventionPlan.Status.ACTIVE,
        )
        .select_related("intervention")
        .order_by("student_id", "domain", "-tier", "start_date", "id")
    )
    found: dict[tuple[int, str], Any] = {}
    for plan in plans:
        key = (plan.student_id, plan.domain)
        if key in wanted:
            found.setdefault(key, plan)  # the most intensive, then the oldest
    return found
