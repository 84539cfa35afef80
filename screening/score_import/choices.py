"""What an uploader may pick: districts, measures, windows and years, and who may import.

Used by the pages (the choices of the mapping form) and by `manage.py import_scores` (to turn
`--measure orf --season fall --year 2026-2027` into ids).

Who may import (docs/score-import.md): district administrators, school administrators and
school team members, for the students they can see; teachers, for the students of their own
sections (the scoping function decides row by row, and a closed window refuses them like the
score-entry page does). Interventionists alone may not: screening is a classroom and school
activity, and their caseload is reached through progress monitoring.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from screening.models.measures import Measure
from screening.models.values import Season
from screening.models.windows import ScreeningWindow
from screening.score_import.mapping import parse_year
from students import access
from students.models import District, SchoolYear, User

IMPORT_ROLES = access.SCORE_IMPORT_ROLES


def may_import_scores(user: User) -> bool:
    return access.may_import_scores(user)


def import_districts(user: User) -> list[District]:
    """Districts the user may import into (superusers: every district)."""
    if user.is_superuser:
        return list(District.objects.order_by("name"))
    return access.districts_where(user, IMPORT_ROLES)


def screening_measures(district: District) -> QuerySet[Measure]:
    """Active screening measures of the district and the shipped reference ones."""
    return (
        Measure.objects.filter(Q(district__isnull=True) | Q(district=district), active=True)
        .exclude(purpose=Measure.Purpose.PROGRESS)
        .order_by("name", "id")
    )


def district_windows(district: District) -> QuerySet[ScreeningWindow]:
    return (
        ScreeningWindow.objects.filter(school_year__district=district)
        .select_related("school_year")
        .order_by("-school_year__start_date", "start_date")
    )


def district_years(district: District) -> QuerySet[SchoolYear]:
    return SchoolYear.objects.filter(district=district).order_by("-start_date")


def measure_by_code(district: District, code: str) -> Measure | None:
    """The district's measure with this code, else the reference one (case does not matter)."""
    found = [m for m in screening_measures(district) if m.code.lower() == code.strip().lower()]
    found.sort(key=lambda m: m.district_id is None)  # the district's own first
    return found[0] if found else None


def year_by_text(district: District, text: str) -> SchoolYear | None:
    """'2026-2027', '2026-27' or the year's exact name; None for blank or unknown."""
    years = list(district_years(district))
    for y in years:
        if y.name.strip().lower() == text.strip().lower():
            return y
    ref = parse_year(text)
    if ref is None or ref.start is None:
        return None
    return next(
        (y for y in years if (y.start_date.year, y.end_date.year) == (ref.start, ref.end)), None
    )


def window_by_season(
    district: District, season: str, year: SchoolYear | None
) -> ScreeningWindow | None:
    """The season's window in `year` (None: the district's current year); None too when two
    windows of the year use that season (the caller asks for the window itself)."""
    if season not in Season.values:
        return None
    qs = district_windows(district).filter(season=season)
    where = {"school_year__is_current": True} if year is None else {"school_year": year}
    found = list(qs.filter(**where)[:2])
    return found[0] if len(found) == 1 else None
