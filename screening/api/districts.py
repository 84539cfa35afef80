"""Which district a district administrator's request acts on."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from screening.services.access import NOT_A_DISTRICT_ADMIN
from students import access
from students.models import District


def _admin_district(user: Any, requested: int | None) -> District:
    """The district a district administrator acts on: the one asked for, or their only one."""
    if user.is_superuser:
        if requested is None:
            raise serializers.ValidationError({"district": [_("Say which district.")]})
        return get_object_or_404(District, pk=requested)
    ids = sorted(access.administered_district_ids(user))
    if not ids:
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
    if requested is None:
        if len(ids) > 1:
            raise serializers.ValidationError({"district": [_("Say which district.")]})
        requested = ids[0]
    if requested not in ids:
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
    return District.objects.get(pk=requested)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
