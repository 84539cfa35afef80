"""Writes of small groups and of the district's resource list, each with its audit row (the
record of access names the students whose grouping changed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from screening.models import ScreeningWindow
from smallgroups.models import GroupMember, GroupSet, SkillResource, SmallGroup
from smallgroups.proposals import DraftGroup, check_groups
from smallgroups.selectors import sections_visible_to
from students import access
from students.audit import AuditContext, audit_record, audit_record_many
from students.models import AccessLog, District, Section, User

GROUPS_OBJECT = "small_groups"
RESOURCE_OBJECT = "skill_resource"
MAX_GROUP_SIZE = 15
NOT_A_DISTRICT_ADMIN = "Only a district administrator can change the district's resource list."


def _require_class(actor: User, section: Section) -> None:
    if not sections_visible_to(actor).filter(pk=section.pk).exists():
        raise PermissionDenied(_("You can keep groups only for a class you teach or support."))


@transaction.atomic
def groups_keep(
    *,
    actor: User,
    section: Section,
    window: ScreeningWindow,
    basis: str,
    max_size: int,
    groups: Sequence[DraftGroup],
    class_ids: Sequence[int],
    audit: AuditContext | None = None,
) -> GroupSet:
    """Keep the teacher's groups for the class and window, replacing those kept earlier in the
    same window (a resource linked to a group of the same name stays linked); groups kept in
    an earlier window are left as they were. Empty groups are dropped."""
    _require_class(actor, section)
    if not 1 <= max_size <= MAX_GROUP_SIZE:
        raise ValidationError(
            {
                "max_size": _("Choose a group size from 1 to %(largest)s.")
                % {"largest": MAX_GROUP_SIZE}
            }
        )
    if window.school_year_id != section.school_year_id:
        raise ValidationError(_("The window is not one of this class's school year."))
    groups = [g for g in groups if g.student_ids]
    errors = check_groups(groups, class_ids=class_ids, max_size=max_size)
    if errors:
        raise ValidationError(errors)
    old = GroupSet.objects.filter(section=section, window=window).first()
    linked: dict[str, list[int]] = {}
    if old is not None:
        for g in old.groups.prefetch_related("resources"):
            linked[g.name] = [r.pk for r in g.resources.all()]
        old.delete()
    kept = GroupSet.objects.create(
        section=section, window=window, basis=basis, max_size=max_size, kept_by=actor
    )
    members = []
    for position, draft in enumerate(groups, start=1):
        group = SmallGroup.objects.create(
            group_set=kept, position=position, name=draft.name.strip()[:100], skill=draft.skill
        )
        if linked.get(group.name):
            group.resources.set(linked[group.name])
        members += [
            GroupMember(group_set=kept, group=group, student_id=i) for i in draft.student_ids
        ]
    GroupMember.objects.bulk_create(members)
    audit_record_many(
        user=actor,
        action=AccessLog.Action.UPDATE if old else AccessLog.Action.CREATE,
        object_type=GROUPS_OBJECT,
        student_ids=sorted(m.student_id for m in members),
        audit=audit,
        detail={"section": section.pk, "window": window.pk, "groups": len(groups)},
    )
    return kept


@transaction.atomic
def group_resources_set(
    *,
    actor: User,
    group: SmallGroup,
    resource_ids: Sequence[int],
    audit: AuditContext | None = None,
) -> SmallGroup:
    """Link the group to these resources of its district's list (replacing its links)."""
    section = group.group_set.section
    _require_class(actor, section)
    ids = set(resource_ids)
    found = set(
        SkillResource.objects.filter(
            pk__in=ids, district_id=section.school.district_id, active=True
        ).values_list("pk", flat=True)
    )
    if found != ids:
        raise ValidationError(_("A chosen resource is not on your district's list."))
    group.resources.set(sorted(ids))
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=GROUPS_OBJECT,
        object_id=group.group_set_id,
        audit=audit,
        detail={"group": group.pk, "resources": sorted(ids)},
    )
    return group


# -- the district's resource list ----------------------------------------------------------

RESOURCE_FIELDS = (
    "title",
    "skill",
    "kind",
    "url",
    "description",
    "lowest_grade",
    "highest_grade",
    "active",
)


def _require_district_admin(actor: User | None, district_id: int) -> None:
    if not access.is_district_admin_of(actor, district_id):
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)


def _save(resource: SkillResource, actor: User, audit: AuditContext | None, action: str) -> None:
    if resource.kind == SkillResource.Kind.ONLINE and not resource.url:
        raise ValidationError({"url": _("An online resource needs its link.")})
    if resource.kind == SkillResource.Kind.OFFLINE and not resource.description.strip():
        raise ValidationError({"description": _("Say what the offline activity is and needs.")})
    if resource.lowest_grade > resource.highest_grade:
        raise ValidationError({"highest_grade": _("The highest grade comes after the lowest.")})
    resource.full_clean()
    resource.save()
    audit_record(
        user=actor,
        action=action,
        object_type=RESOURCE_OBJECT,
        object_id=resource.pk,
        audit=audit,
        detail={"title": resource.title, "skill": resource.skill},
    )


@transaction.atomic
def resource_create(
    *, district: District, actor: User, audit: AuditContext | None = None, **values: Any
) -> SkillResource:
    _require_district_admin(actor, district.pk)
    unknown = set(values) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    resource = SkillResource(district=district, **values)
    _save(resource, actor, audit, AccessLog.Action.CREATE)
    return resource


@transaction.atomic
def resource_update(
    *, resource: SkillResource, actor: User, audit: AuditContext | None = None, **values: Any
) -> SkillResource:
    _require_district_admin(actor, resource.district_id)
    unknown = set(values) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(resource, name, value)
    _save(resource, actor, audit, AccessLog.Action.UPDATE)
    return resource


@transaction.atomic
def resource_delete(
    *, resource: SkillResource, actor: User, audit: AuditContext | None = None
) -> None:
    """Remove it from the list and from the groups it was linked to."""
    _require_district_admin(actor, resource.district_id)
    pk, title = resource.pk, resource.title
    resource.delete()
    audit_record(
        user=actor,
        action=AccessLog.Action.DELETE,
        object_type=RESOURCE_OBJECT,
        object_id=pk,
        audit=audit,
        detail={"title": title},
    )
