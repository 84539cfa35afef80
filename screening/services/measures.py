"""A district's own measures: create and change them (shipped reference measures are
read-only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mtss.errors import ApplicationError
from screening.models.measures import Measure
from screening.services.access import _require_district_admin
from students.audit import AuditContext, audit_record
from students.models import AccessLog, District, User

MEASURE_OBJECT = "measure"
REFERENCE_MEASURE_READ_ONLY = _(
    "Shipped measures are read-only. Add your own measure to change grades, unit or tolerance."
)

MEASURE_FIELDS = (
    "code",
    "name",
    "domain",
    "area",
    "skill",
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
# Once scores exist, changing these would change what the stored scores mean.
FIXED_ONCE_SCORED = ("code", "domain", "higher_is_better")


def _check(measure: Measure, district: District) -> None:
    errors: dict[str, list[str]] = {}
    if (
        measure.min_score is not None
        and measure.max_score is not None
        and measure.min_score >= measure.max_score
    ):
        errors["max_score"] = [gettext("The highest score must be above the lowest score.")]
    if (
        measure.lowest_grade is not None
        and measure.highest_grade is not None
        and measure.lowest_grade > measure.highest_grade
    ):
        errors["highest_grade"] = [gettext("The highest grade must not be below the lowest grade.")]
    clash = Measure.objects.filter(district=district, code=measure.code).exclude(pk=measure.pk)
    if measure.code and clash.exists():
        errors["code"] = [
            gettext("Your district already has a measure with the code %(code)s.")
            % {"code": repr(measure.code)}
        ]
    if errors:
        raise ValidationError(errors)
    measure.full_clean(exclude=["district"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def measure_create(
    *, district: District, actor: User | None, audit: AuditContext | None = None, **values: Any
) -> Measure:
    """A district's own measure (manual measures are first-class, domain.md section 1)."""
    _require_district_admin(actor, district.pk)
    unknown = set(values) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    measure = Measure(district=district, **values)
    _check(measure, district)
    measure.save()
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=MEASURE_OBJECT,
        object_id=measure.pk,
        audit=audit,
        detail={"code": measure.code},
    )
    return measure


@transaction.atomic
def measure_update(
    *, measure: Measure, actor: User | None, audit: AuditContext | None = None, **values: Any
) -> Measure:
    """Change a district's own measure. Its code, domain and direction stay as they are once
    scores exist: the stored scores and their risk levels were read that way."""
    if measure.is_reference:
        raise ApplicationError(REFERENCE_MEASURE_READ_ONLY)
    _require_district_admin(actor, measure.district_id)
    unknown = set(values) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    changes = {k: v for k, v in values.items() if getattr(measure, k) != v}
    if not changes:
        return measure
    if measure.scores.exists():
        fixed = sorted(set(changes) & set(FIXED_ONCE_SCORED))
        if fixed:
            raise ValidationError(
                {
                    name: ["Scores have been entered on this measure, so this stays as it is."]
                    for name in fixed
                }
            )
    for name, value in changes.items():
        setattr(measure, name, value)
    _check(measure, measure.district)
    measure.save(update_fields=sorted(changes))
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=MEASURE_OBJECT,
        object_id=measure.pk,
        audit=audit,
        detail={"changes": {k: str(v) for k, v in changes.items()}},
    )
    return measure
