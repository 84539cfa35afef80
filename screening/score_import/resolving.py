"""A file's student IDs, measure texts and window texts resolved against the district.

Everything is loaded once per file (`_Context`); what a user is told about an ID that matches
nobody follows the rules in `checking`'s docstring.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext

from screening.models.measures import Measure
from screening.models.values import Season
from screening.models.windows import ScreeningWindow
from screening.score_import.mapping import IdKind, Mapping, YearRef, parse_window_label, parse_year
from screening.services.access import is_district_admin, may_enter_in_closed_window
from students.imports import ImportRefused
from students.models import District, SchoolYear, Student, User, grade_label
from students.selectors import students_visible_to


@dataclass(slots=True)
class _Student:
    pk: int
    school_id: int
    grade: int
    label: str


class _Context:
    """The district's measures, windows and years, and the uploader's students, loaded once."""

    def __init__(
        self, *, district: District, user: User | None, mapping: Mapping, ids: set[str]
    ) -> None:
        self.district = district
        self.user = user
        self.mapping = mapping
        self.sees_district = user is None or is_district_admin(user, district.pk)
        key = "sourced_id" if mapping.id_kind == IdKind.SOURCED else "local_id"
        students = Student.objects.filter(district=district, **{f"{key}__in": ids})
        if user is not None:
            students = students_visible_to(user, queryset=students)
        self.students: dict[str, _Student] = {}
        for pk, ident, school_id, grade, first, preferred, last in students.values_list(
            "pk", key, "school_id", "grade", "first_name", "preferred_name", "last_name"
        ):
            self.students[ident] = _Student(
                pk=pk,
                school_id=school_id,
                grade=grade,
                label=gettext("%(last)s, %(first)s (grade %(label)s)")
                % {"last": last, "first": preferred or first, "label": grade_label(grade)},
            )
        self.measures = list(
            Measure.objects.filter(Q(district__isnull=True) | Q(district=district)).order_by(
                "district_id", "code"
            )
        )
        self.measure_by_text: dict[str, Measure] = {}
        # Reference measures first, then the district's own, which win on a shared code.
        for m in sorted(self.measures, key=lambda m: m.district_id is not None):
            self.measure_by_text[m.code.lower()] = m
            self.measure_by_text.setdefault(m.name.strip().lower(), m)
        for m in self.measures:
            if m.district_id is not None:
                self.measure_by_text[m.name.strip().lower()] = m
        self.windows = list(
            ScreeningWindow.objects.filter(school_year__district=district).select_related(
                "school_year"
            )
        )
        self.years = list(SchoolYear.objects.filter(district=district))
        self._closed_ok: dict[int, bool] = {}
        self._measure_cache: dict[str, tuple[Measure | None, str]] = {}
        self._window_cache: dict[tuple[str, str], tuple[ScreeningWindow | None, str]] = {}
        self.fixed_measure: Measure | None = None
        self.fixed_window: ScreeningWindow | None = None
        if mapping.measure_id and not mapping.measure_column:
            self.fixed_measure = next(
                (m for m in self.measures if m.pk == mapping.measure_id), None
            )
            if self.fixed_measure is None:
                raise ImportRefused("The chosen measure is not one of this district's measures.")
            problem = self._measure_problem(self.fixed_measure)
            if problem:
                raise ImportRefused(problem)
        if mapping.window_id and not mapping.window_column:
            self.fixed_window = next((w for w in self.windows if w.pk == mapping.window_id), None)
            if self.fixed_window is None:
                raise ImportRefused("The chosen window is not one of this district's windows.")
        self.default_year = self._default_year()

    def _default_year(self) -> SchoolYear | None:
        if self.mapping.school_year_id:
            year = next((y for y in self.years if y.pk == self.mapping.school_year_id), None)
            if year is None:
                raise ImportRefused("The chosen school year is not one of this district's.")
            return year
        return next((y for y in self.years if y.is_current), None)

    # -- students -----------------------------------------------------------------------------

    def student_problem(self, text: str) -> str:
        shown = text if len(text) <= 40 else text[:40] + "..."
        if not text:
            return "The student ID is blank."
        hint = ""
        if text.isdigit():
            hint = " (a spreadsheet may have dropped leading zeros)"
        if self.sees_district:
            return f"There is no student with ID '{shown}' in {self.district.name}{hint}."
        return f"Student ID '{shown}' is not one of the students you can see{hint}."

    def may_use_closed(self, school_id: int) -> bool:
        if school_id not in self._closed_ok:
            self._closed_ok[school_id] = may_enter_in_closed_window(self.user, school_id)
        return self._closed_ok[school_id]

    # -- measures -----------------------------------------------------------------------------

    def _measure_problem(self, measure: Measure) -> str:
        if not measure.active:
            return f"{measure.name} is no longer in use in this district."
        if measure.purpose == Measure.Purpose.PROGRESS:
            return (
                f"{measure.name} is a progress-monitoring measure; screening scores need a "
                "screening measure."
            )
        return ""

    def measure_for(self, text: str) -> tuple[Measure | None, str]:
        if self.fixed_measure is not None:
            return self.fixed_measure, ""
        key = text.strip().lower()
        if key not in self._measure_cache:
            measure = self.measure_by_text.get(key)
            if not key:
                result: tuple[Measure | None, str] = (None, "The measure is blank.")
            elif measure is None:
                known = sorted({m.code for m in self.measures if m.active})
                listed = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
                result = (None, f"'{text.strip()}' is not a measure code here (codes: {listed}).")
            else:
                problem = self._measure_problem(measure)
                result = (None, problem) if problem else (measure, "")
            self._measure_cache[key] = result
        return self._measure_cache[key]

    # -- windows ------------------------------------------------------------------------------

    def _year_for(self, ref: YearRef, season: str) -> SchoolYear | None:
        for y in self.years:
            if ref.start is not None and (y.start_date.year, y.end_date.year) == (
                ref.start,
                ref.end,
            ):
                return y
            if ref.calendar is not None:
                # Fall is in the calendar year the school year starts; winter and spring in
                # the year it ends ("Winter 2027" is 2026-2027).
                year_of = y.start_date.year if season == Season.FALL else y.end_date.year
                if year_of == ref.calendar:
                    return y
        return None

    def window_for(self, window_text: str, year_text: str) -> tuple[ScreeningWindow | None, str]:
        if self.fixed_window is not None:
            return self.fixed_window, ""
        key = (window_text.strip(), year_text.strip())
        if key not in self._window_cache:
            self._window_cache[key] = self._resolve_window(*key)
        return self._window_cache[key]

    def _resolve_window(
        self, window_text: str, year_text: str
    ) -> tuple[ScreeningWindow | None, str]:
        if not window_text:
            return None, "The window (season) is blank."
        season, ref = parse_window_label(window_text)
        if season is None:
            return None, (
                f"'{window_text}' is not a season: use Fall, Winter or Spring (or BOY, MOY, EOY)."
            )
        if ref is None and year_text:
            ref = parse_year(year_text)
            if ref is None:
                return None, f"'{year_text}' is not a school year (write it like 2026-2027)."
        if ref is not None:
            year = self._year_for(ref, season)
            if year is None:
                written = f"{ref.start}-{ref.end}" if ref.start else str(ref.calendar)
                return None, f"{self.district.name} has no school year {written}."
        else:
            year = self.default_year
            if year is None:
                return None, "Say which school year (no current school year is set)."
        matches = [w for w in self.windows if w.school_year_id == year.pk and w.season == season]
        if len(matches) > 1:
            # A fourth or fifth window shares a season with another: the season alone does
            # not say which one.
            names = ", ".join(w.name for w in matches)
            return None, (
                f"{year.name} has {len(matches)} windows using the {Season(season).label.lower()} "
                f"cut scores ({names}): choose the window for the whole file instead."
            )
        window = matches[0] if matches else None
        if window is None:
            return None, (
                f"There is no {Season(season).label} screening window in {year.name}; a "
                "district administrator sets the windows up."
            )
        return window, ""
