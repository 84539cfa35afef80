"""Intervention groups: students an interventionist teaches together."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from interventions.models import InterventionGroup
from interventions.services.permissions import (
    NOT_A_MANAGER,
    _require,
    is_interventionist_at,
    may_manage_plans,
)
from students.models import User


@transaction.atomic
def group_create(
    *,
    school_id: int,
    name: str,
    interventionist: User,
    actor: User | None,
) -> InterventionGroup:
    """A group of an interventionist; they may make their own, the team any of the school's."""
    from students.models import School

    school = School.objects.get(pk=school_id)
    own = (
        actor is not None
        and actor.pk == interventionist.pk
        and is_interventionist_at(actor, school_id)
    )
    _require(
        own or may_manage_plans(actor, school_id=school_id, district_id=school.district_id),
        NOT_A_MANAGER,
    )
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": [gettext('Give the group a name, like "Grade 2 phonics, 9:00".')]}
        )
    if InterventionGroup.objects.filter(
        school_id=school_id, interventionist=interventionist, name=name
    ).exists():
        raise ValidationError(
            {"name": [gettext("You already have a group called %(name)s.") % {"name": name}]}
        )
    return InterventionGroup.objects.create(
        school_id=school_id, name=name, interventionist=interventionist
    )
