"""A district's own measures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from screening.models.measures import Measure
from screening.services.access import _require_district_admin
from students.models import District, User

MEASURE_FIELDS = (
    "code",
    "name",
    "domain",
    "area",
    "purpose",
    "unit",
    "min_score",
    "max_score",
    "higher_is_better",
    "lowest_grade",
    "highest_grade",
    "slope_tolerance",
    "instrument",
    "description",
    "active",
)


@transaction.atomic
def measure_create(*, district: District, actor: User | None, **values: Any) -> Measure:
    """A district's own measure (manual measures are first-class, domain.md section 1)."""
    _require_district_admin(actor, district.pk)
    unknown = set(values) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    measure = Measure(district=district, **values)
    errors: dict[str, list[str]] = {}
    if (
        measure.min_score is not None
        and measure.max_score is not None
        and measure.min_score >= measure.max_score
    ):
        errors["max_score"] = ["The highest score must be above the lowest score."]
    if (
        measure.lowest_grade is not None
        and measure.highest_grade is not None
        and measure.lowest_grade > measure.highest_grade
    ):
        errors["highest_grade"] = ["The highest grade must not be below the lowest grade."]
    if measure.code and Measure.objects.filter(district=district, code=measure.code).exists():
        errors["code"] = [f"Your district already has a measure with the code {measure.code!r}."]
    if errors:
        raise ValidationError(errors)
    measure.full_clean(exclude=["district"], validate_unique=False, validate_constraints=False)
    measure.save()
    return measure
