"""Which catalog entries, plans and groups a user may see: a plan when its student is."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from interventions.models import Intervention, InterventionGroup, InterventionPlan
from students import access
from students.models import User
from students.selectors import students_visible_to


def district_ids_of(user: User) -> set[int]:
    return access.district_ids_of(user)


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    """The shared catalog plus the user's districts' own entries."""
    qs = Intervention.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(Q(district__isnull=True) | Q(district_id__in=district_ids_of(user)))


def plans_visible_to(user: User) -> QuerySet[InterventionPlan]:
    """Plans of the students the user may see."""
    return InterventionPlan.objects.filter(student__in=students_visible_to(user))


PLAN_RELATED = (
    "student",
    "student__school",
    "intervention",
    "measure",
    "interventionist",
    "group",
)


def plan_get_for_user(*, user: User, pk: int) -> InterventionPlan:
    """The plan if the user may see its student, else 404."""
    return get_object_or_404(plans_visible_to(user).select_related(*PLAN_RELATED), pk=pk)


def groups_of(user: User) -> QuerySet[InterventionGroup]:
    return InterventionGroup.objects.filter(interventionist=user, active=True).select_related(
        "school"
    )


def group_get_for_user(*, user: User, pk: int) -> InterventionGroup:
    """A group the user teaches, or one at a school whose plans they manage; else 404."""
    group = get_object_or_404(
        InterventionGroup.objects.select_related("school", "interventionist"), pk=pk
    )
    # students.access directly (what services.permissions.may_manage_plans asks), so the
    # selectors never import the services, which read plans through them.
    if group.interventionist_id == user.pk or access.may_write_plans(
        user, school_id=group.school_id, district_id=group.school.district_id
    ):
        return group
    from django.http import Http404

    raise Http404("No such group among yours.")


def group_plans(*, user: User, group: InterventionGroup) -> list[InterventionPlan]:
    """The group's active plans whose students the user may see, by student name."""
    return list(
        plans_visible_to(user)
        .filter(group=group, status=InterventionPlan.Status.ACTIVE)
        .select_related(*PLAN_RELATED)
        .order_by("student__last_name", "student__first_name", "pk")
    )
