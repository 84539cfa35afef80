"""The object an id in the request names, among those the caller may use; 400 on that field
when there is none."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers


def lookup(qs: QuerySet, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise serializers.ValidationError({field: [_("Not found.")]})
    return obj
