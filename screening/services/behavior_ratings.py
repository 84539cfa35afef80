"""SRSS-IE behavior ratings: items checked, and the two subscale totals recorded as scores."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from screening import reference_data
from screening.models.measures import Measure
from screening.models.scores import BehaviorRating, ScreeningScore
from screening.models.windows import ScreeningWindow
from screening.services.scores import ScoreInput, scores_bulk_record
from students.audit import AuditContext
from students.models import School, Student, User

RATING_OBJECT = "behavior_rating"

SRSS_E_KEYS = tuple(k for k, _ in reference_data.SRSS_EXTERNALIZING_ITEMS)
SRSS_I_KEYS = tuple(k for k, _ in reference_data.SRSS_INTERNALIZING_ITEMS)
SRSS_ALL_KEYS = SRSS_E_KEYS + SRSS_I_KEYS


def srss_totals(items: dict[str, int], school_level: str) -> tuple[int, int]:
    """(externalizing E7 total, internalizing I5 or I6 total) of validated items."""
    external = sum(items[k] for k in SRSS_E_KEYS)
    internal = sum(items[k] for k in SRSS_I_KEYS)
    if school_level == BehaviorRating.SchoolLevel.SECONDARY:
        internal += items[reference_data.SRSS_SECONDARY_EXTRA_INTERNALIZING]
    return external, internal


def srss_validate_items(items: Any) -> dict[str, int]:
    if not isinstance(items, dict):
        raise ValidationError(
            {"items": [gettext("Rate every item from 0 (never) to 3 (frequently).")]}
        )
    problems = []
    clean: dict[str, int] = {}
    labels = dict(reference_data.SRSS_EXTERNALIZING_ITEMS + reference_data.SRSS_INTERNALIZING_ITEMS)
    for key in SRSS_ALL_KEYS:
        value = items.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | str)
            or str(value).strip()
            not in (
                "0",
                "1",
                "2",
                "3",
            )
        ):
            problems.append(f"{labels[key]}: choose 0, 1, 2 or 3.")
            continue
        clean[key] = int(str(value).strip())
    unknown = sorted(set(items) - set(SRSS_ALL_KEYS))
    if unknown:
        problems.append(f"Unknown items: {', '.join(unknown)}.")
    if problems:
        raise ValidationError({"items": problems})
    return clean


def school_level_for(school: School) -> str:
    if school.level == School.Level.ELEMENTARY:
        return BehaviorRating.SchoolLevel.ELEMENTARY
    return BehaviorRating.SchoolLevel.SECONDARY


def srss_measures(district_id: int) -> dict[str, Measure]:
    """The SRSS measures by code: the district's own with that code, else the reference one."""
    codes = (
        reference_data.SRSS_E7_CODE,
        reference_data.SRSS_I5_CODE,
        reference_data.SRSS_I6_CODE,
    )
    found: dict[str, Measure] = {}
    for m in Measure.objects.filter(code__in=codes).filter(
        Q(district_id=district_id) | Q(district__isnull=True)
    ):
        if m.district_id is not None or m.code not in found:
            found[m.code] = m
    return found


@transaction.atomic
def behavior_rating_record(
    *,
    student: Student,
    window: ScreeningWindow,
    items: dict[str, Any],
    rater: User | None,
    school_level: str | None = None,
    instrument_version: str = reference_data.SRSS_INSTRUMENT,
    audit: AuditContext | None = None,
) -> BehaviorRating:
    """Record (or re-record) a student's SRSS-IE rating and its two screening scores.

    The externalizing total becomes an SRSS-E7 score and the internalizing total an SRSS-I5
    (elementary) or SRSS-I6 (secondary) score, through `scores_bulk_record`, so they are
    classified, versioned and audited like every other screening score.
    """
    clean = srss_validate_items(items)
    level = school_level or school_level_for(student.school)
    if level not in BehaviorRating.SchoolLevel.values:
        raise ValidationError({"school_level": [gettext("Choose elementary or secondary.")]})
    external, internal = srss_totals(clean, level)
    measures = srss_measures(student.district_id)
    internal_code = (
        reference_data.SRSS_I5_CODE
        if level == BehaviorRating.SchoolLevel.ELEMENTARY
        else reference_data.SRSS_I6_CODE
    )
    rating, _ = BehaviorRating.objects.update_or_create(
        student=student,
        window=window,
        defaults={
            "rater": rater,
            "instrument_version": instrument_version,
            "school_level": level,
            "items": clean,
            "externalizing_total": external,
            "internalizing_total": internal,
        },
    )
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=student,
                measure=measures[reference_data.SRSS_E7_CODE],
                window=window,
                value=external,
                behavior_rating_id=rating.pk,
            ),
            ScoreInput(
                student=student,
                measure=measures[internal_code],
                window=window,
                value=internal,
                behavior_rating_id=rating.pk,
            ),
        ],
        entered_by=rater,
        source=ScreeningScore.Source.RATING,
        audit=audit,
    )
    return rating
