"""Screening windows: create, change dates, open, close (closing settles the percentile
ranks), and a school's own dates for a window."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening import events
from screening.models.scores import ScreeningScore
from screening.models.values import Season
from screening.models.windows import SchoolWindowDates, ScreeningWindow
from screening.services.access import _require_district_admin
from screening.services.norms import _refresh_groups, lock_norm_groups
from screening.services.window_schedule import Slot, schedule_problems
from students import access
from students.audit import AuditContext, audit_record
from students.models import AccessLog, School, SchoolYear, User

WINDOW_OBJECT = "screening_window"
NOT_THE_SCHOOLS_ADMIN = _(
    "Only the school's administrators and district administrators can set a school's own "
    "screening dates."
)


def _audit(
    actor: User | None, window: ScreeningWindow, audit: AuditContext | None, detail: dict
) -> None:
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=WINDOW_OBJECT,
        object_id=window.pk,
        audit=audit,
        detail=detail,
    )


def _check_dates(
    school_year: SchoolYear, start_date: dt.date, end_date: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if start_date > end_date:
        errors["end_date"] = [gettext("The window must end on or after its first day.")]
    if not (school_year.start_date <= start_date and end_date <= school_year.end_date):
        errors.setdefault("start_date", []).append(
            gettext(
                "The window must fall within the school year %(school_year)s (%(start_date)s to %(end_date)s)."
            )
            % {
                "school_year": school_year.name,
                "start_date": format(school_year.start_date, "%b %-d, %Y"),
                "end_date": format(school_year.end_date, "%b %-d, %Y"),
            }
        )
    return errors


def _slots_of(school_year: SchoolYear) -> list[Slot]:
    # Locked: two administrators adding a window at once must not both squeeze in a sixth.
    rows = (
        ScreeningWindow.objects.select_for_update()
        .filter(school_year=school_year)
        .values_list("pk", "name", "season", "start_date", "end_date")
    )
    return [Slot(*row) for row in rows]


@transaction.atomic
def window_create(
    *,
    school_year: SchoolYear,
    season: str,
    start_date: dt.date,
    end_date: dt.date,
    is_open: bool = False,
    name: str = "",
    actor: User | None,
    audit: AuditContext | None = None,
) -> ScreeningWindow:
    """Add a window (at most five a year; see window_schedule). `name` defaults to the
    season's name ("Fall")."""
    _require_district_admin(actor, school_year.district_id)
    if season not in Season.values:
        raise ValidationError(
            {"season": [gettext("Choose whose cut scores apply: fall, winter or spring.")]}
        )
    name = (name or "").strip() or Season(season).label
    errors = _check_dates(school_year, start_date, end_date)
    candidate = Slot(None, name, season, start_date, end_date)
    for field, messages in schedule_problems(
        candidate, _slots_of(school_year), school_year.name
    ).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    window = ScreeningWindow.objects.create(
        school_year=school_year,
        name=name,
        season=season,
        start_date=start_date,
        end_date=end_date,
        is_open=is_open,
    )
    _audit(
        actor,
        window,
        audit,
        {
            "created": name,
            "season": season,
            "start_date": str(start_date),
            "end_date": str(end_date),
        },
    )
    return window


@transaction.atomic
def window_update_dates(
    *,
    window: ScreeningWindow,
    start_date: dt.date,
    end_date: dt.date,
    actor: User | None,
    audit: AuditContext | None = None,
) -> ScreeningWindow:
    """Move a window's first and last day (within its school year, clear of its other
    windows and in season order)."""
    year = window.school_year
    _require_district_admin(actor, year.district_id)
    errors = _check_dates(year, start_date, end_date)
    if not errors:
        candidate = Slot(window.pk, window.name, window.season, start_date, end_date)
        errors = schedule_problems(candidate, _slots_of(year), year.name)
    if errors:
        raise ValidationError(errors)
    old = {"start_date": str(window.start_date), "end_date": str(window.end_date)}
    window.start_date, window.end_date = start_date, end_date
    window.save(update_fields=["start_date", "end_date"])
    _audit(
        actor,
        window,
        audit,
        {"from": old, "to": {"start_date": str(start_date), "end_date": str(end_date)}},
    )
    return window


@transaction.atomic
def window_open(
    *, window: ScreeningWindow, actor: User | None, audit: AuditContext | None = None
) -> ScreeningWindow:
    _require_district_admin(actor, window.school_year.district_id)
    if not window.is_open:
        window.is_open = True
        window.save(update_fields=["is_open"])
        _audit(actor, window, audit, {"is_open": True})
    return window


@transaction.atomic
def window_close(
    *, window: ScreeningWindow, actor: User | None, audit: AuditContext | None = None
) -> ScreeningWindow:
    """Close the window to teachers and settle every norm group's percentile ranks."""
    _require_district_admin(actor, window.school_year.district_id)
    if window.is_open:
        window.is_open = False
        window.save(update_fields=["is_open"])
        _audit(actor, window, audit, {"is_open": False})
    groups = set(
        ScreeningScore.objects.filter(window=window)
        .values_list("measure_id", "window_id", "grade")
        .distinct()
    )
    lock_norm_groups(groups)
    _refresh_groups(groups)
    # Announced, not called: decisions subscribes and sweeps the district after commit.
    events.window_closed(window_id=window.pk, district_id=window.school_year.district_id)
    return window


def may_set_school_dates(user: User | None, school: School) -> bool:
    """The school's administrators, and the district's (a school keeps its own schedule)."""
    if user is None:
        return True
    return access.is_school_admin_of(user, school_id=school.pk, district_id=school.district_id)


@transaction.atomic
def window_school_dates_set(
    *,
    window: ScreeningWindow,
    school: School,
    start_date: dt.date | None,
    end_date: dt.date | None,
    actor: User | None,
    audit: AuditContext | None = None,
) -> SchoolWindowDates | None:
    """A school's own first and last day for the district's window; both None removes them
    (the school screens on the district's dates again)."""
    if school.district_id != window.school_year.district_id:
        raise ValidationError({"school": [gettext("This school belongs to another district.")]})
    if actor is not None and not may_set_school_dates(actor, school):
        raise PermissionDenied(NOT_THE_SCHOOLS_ADMIN)
    if start_date is None and end_date is None:
        SchoolWindowDates.objects.filter(window=window, school=school).delete()
        _audit(actor, window, audit, {"school": school.pk, "school_dates": None})
        return None
    if start_date is None or end_date is None:
        raise ValidationError({"end_date": [gettext("Give both the first and the last day.")]})
    errors = _check_dates(window.school_year, start_date, end_date)
    if errors:
        raise ValidationError(errors)
    dates, _ = SchoolWindowDates.objects.update_or_create(
        window=window, school=school, defaults={"start_date": start_date, "end_date": end_date}
    )
    _audit(
        actor,
        window,
        audit,
        {
            "school": school.pk,
            "school_dates": {"start_date": str(start_date), "end_date": str(end_date)},
        },
    )
    return dates
