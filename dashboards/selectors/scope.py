"""Who may read the dashboards, and the schools, years, windows and measures they choose from."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Q

from screening.models import Measure, ScreeningScore, ScreeningWindow
from students import access
from students.models import School, SchoolYear, User

DASHBOARD_ROLES = access.TEAM_AND_DISTRICT_ROLES


# -- who may read ------------------------------------------------------------------------------


def may_view_dashboards(user: User) -> bool:
    """School team members, school and district administrators (and superusers)."""
    return access.may_view_dashboards(user)


def dashboard_school_ids(user: User) -> set[int]:
    """Schools whose aggregates the user reads: a school-wide role there, or the district."""
    if not may_view_dashboards(user):
        return set()
    return access.team_school_ids(user)


def district_school_ids(district_id: int) -> tuple[int, ...]:
    """Every school of the district: the comparison of the alternate risk ratio."""
    return tuple(
        School.objects.filter(district_id=district_id).order_by("pk").values_list("pk", flat=True)
    )


def dashboard_schools(ids: Iterable[int]) -> list[School]:
    return list(School.objects.filter(pk__in=list(ids)).order_by("name", "pk"))


def school_years_for(district_ids: Iterable[int]) -> list[SchoolYear]:
    return list(
        SchoolYear.objects.filter(district_id__in=list(district_ids)).order_by("-start_date")
    )


def years_with_windows(
    district_ids: Iterable[int],
) -> tuple[list[SchoolYear], dict[int, list[ScreeningWindow]]]:
    """The districts' school years (latest first) and each year's screening windows (as
    `windows_for` orders them, each with its year attached), in one query: every dashboard
    page reads them, with the window before the chosen one (`previous_window`)."""
    year_fields = [f.attname for f in SchoolYear._meta.concrete_fields]
    window_fields = [f.attname for f in ScreeningWindow._meta.concrete_fields]
    window_fields.remove("school_year_id")
    rows = (
        SchoolYear.objects.filter(district_id__in=list(district_ids))
        .order_by("-start_date", "pk", "screening_windows__start_date", "screening_windows__id")
        .values(*year_fields, *(f"screening_windows__{name}" for name in window_fields))
    )
    years: dict[int, SchoolYear] = {}
    windows: dict[int, list[ScreeningWindow]] = {}
    for row in rows:
        year = years.get(row["id"])
        if year is None:
            year = years[row["id"]] = SchoolYear(**{name: row[name] for name in year_fields})
            windows[year.pk] = []
        if row["screening_windows__id"] is not None:
            window = ScreeningWindow(
                school_year=year,
                **{name: row[f"screening_windows__{name}"] for name in window_fields},
            )
            windows[year.pk].append(window)
    return list(years.values()), windows


def previous_window(
    windows: dict[int, list[ScreeningWindow]], window: ScreeningWindow
) -> ScreeningWindow | None:
    """`window_before` among the windows `years_with_windows` read (every year of the
    window's district)."""
    earlier = [
        w
        for ws in windows.values()
        for w in ws
        if w.school_year.district_id == window.school_year.district_id
        and w.start_date < window.start_date
    ]
    return max(earlier, key=lambda w: (w.start_date, w.pk), default=None)


def windows_for(year: SchoolYear) -> list[ScreeningWindow]:
    return list(
        ScreeningWindow.objects.filter(school_year=year)
        .select_related("school_year")
        .order_by("start_date", "pk")
    )


def window_before(window: ScreeningWindow) -> ScreeningWindow | None:
    """The district's screening window just before this one (last year's spring for fall)."""
    return (
        ScreeningWindow.objects.filter(
            school_year__district_id=window.school_year.district_id,
            start_date__lt=window.start_date,
        )
        .select_related("school_year")
        .order_by("-start_date", "-pk")
        .first()
    )


def measures_for(*, district_id: int, year: SchoolYear) -> list[Measure]:
    """Screening measures the district uses: its own, and reference measures with scores this
    year (an unused reference measure would only add empty rows)."""
    used = ScreeningScore.objects.filter(measure_id=OuterRef("pk"), window__school_year=year)
    return list(
        Measure.objects.filter(
            active=True, purpose__in=[Measure.Purpose.SCREENING, Measure.Purpose.BOTH]
        )
        .filter(
            Q(district_id=district_id) | Q(district__isnull=True, pk__in=used.values("measure_id"))
        )
        .order_by("domain", "name", "pk")
    )
