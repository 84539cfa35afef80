"""Every row of a score file resolved and checked, without writing anything.

Set-based: one query maps all the file's student IDs to students (scoped through
`students_visible_to`), one loads the district's measures, one its windows, one its school
years; the rows are then checked in Python. A 150,000-row file is checked in a few seconds,
so the preview can count valid and invalid rows for the whole file.

The checks are the ones `screening.services.scores_bulk_record` makes (it makes them again
when the rows are written, so a window closed between preview and import is still caught),
using its public pieces (`parse_score`, `may_enter_in_closed_window`, `WINDOW_CLOSED`), plus
what only a file can get wrong: an ID that matches nobody, a measure code or a season that
means nothing, a date outside its window, and the same student, measure and window twice.

Who sees what (domain.md section 7): a district administrator (or the platform, user None)
sees the whole district, so an ID that matches nobody is "no student with ID ... in the
district". Anyone else is told the ID "is not one of the students you can see", whether it
matches nobody or a student they may not see: the import never reveals that an ID exists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from screening.models.measures import Measure
from screening.models.values import Season
from screening.models.windows import ScreeningWindow
from screening.score_import.mapping import (
    DateUse,
    IdKind,
    Mapping,
    YearRef,
    mapping_problems,
    parse_window_label,
    parse_year,
)
from screening.score_import.reading import ScoreFile
from screening.services.access import WINDOW_CLOSED, is_district_admin, may_enter_in_closed_window
from screening.services.values import parse_score
from students.imports import ImportRefused, Progress, no_progress
from students.models import District, SchoolYear, Student, User, grade_label
from students.selectors import students_visible_to

PREVIEW_ROWS = 20
PROGRESS_EVERY = 5000
CHECK_PHASE = "Checking rows"


@dataclass(slots=True)
class CheckedRow:
    """A row that passed every check: ready for `ScoreInput`."""

    row: int
    student_id: int
    measure_id: int
    window_id: int
    grade: int
    value: Decimal


@dataclass
class PreviewRow:
    row: int
    student_text: str
    student_label: str
    measure_label: str
    window_label: str
    score_text: str
    problem: str
    skipped: bool = False


@dataclass
class CheckResult:
    total: int = 0  # data rows read (blank lines not counted)
    valid: list[CheckedRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (row, reason), by row
    skipped: list[int] = field(default_factory=list)  # rows with no score
    preview: list[PreviewRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def invalid_count(self) -> int:
        return len(self.problems)


@dataclass(slots=True)
class _Student:
    pk: int
    school_id: int
    grade: int
    label: str


def _window_label(window: ScreeningWindow) -> str:
    return f"{window.get_season_display()} {window.school_year.name}"


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%m-%d-%Y", "%d.%m.%Y")


def parse_date(text: str) -> dt.date | None:
    """ISO and US forms (2026-09-15, 9/15/2026, 9/15/26); a time after the date is ignored."""
    text = re.split(r"[ T]", text.strip(), maxsplit=1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


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
                label=f"{last}, {preferred or first} (grade {grade_label(grade)})",
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
        window = next(
            (w for w in self.windows if w.school_year_id == year.pk and w.season == season), None
        )
        if window is None:
            return None, (
                f"There is no {Season(season).label} screening window in {year.name}; a "
                "district administrator sets the windows up."
            )
        return window, ""


def _rows_listed(rows: list[int], most: int = 5) -> str:
    """'2 and 4', '2, 3 and 4', '2, 3, 4, 5, 6 and 995 more': short for a file of repeats."""
    if len(rows) > most:
        return ", ".join(str(r) for r in rows[:most]) + f" and {len(rows) - most:,} more"
    return ", ".join(str(r) for r in rows[:-1]) + f" and {rows[-1]}"


def _column_index(header: list[str], name: str) -> int | None:
    return header.index(name) if name else None


def check_rows(
    *,
    score_file: ScoreFile,
    mapping: Mapping,
    district: District,
    user: User | None,
    progress: Progress = no_progress,
    preview_rows: int = PREVIEW_ROWS,
) -> CheckResult:
    """Read and check every row; raise ImportRefused when the file as a whole is unusable."""
    problems = mapping_problems(mapping, score_file.header)
    if problems:
        raise ImportRefused(" ".join(problems))
    header = score_file.header
    width = len(header)
    cols = {
        role: _column_index(header, name)
        for role, name in (
            ("student", mapping.student),
            ("score", mapping.score),
            ("measure", mapping.measure_column),
            ("window", mapping.window_column),
            ("year", mapping.year_column),
            ("date", mapping.date_column if mapping.date_use == DateUse.CHECK else ""),
        )
    }
    result = CheckResult(notes=list(score_file.notes))

    # Pass 1: split the rows, keep only the mapped values (the memory of a 150k-row file).
    raw: list[tuple[int, str, str, str, str, str, str]] = []
    bad_shape: dict[int, str] = {}
    for number, values in score_file.rows():
        if len(values) > width and not any(v.strip() for v in values[width:]):
            values = values[:width]  # trailing separators are harmless
        if len(values) != width:
            bad_shape[number] = (
                f"This row has {len(values)} values but the header has {width} columns "
                "(a separator inside a value needs quotes around the value)."
            )
            raw.append((number, "", "", "", "", "", ""))
            continue
        raw.append(
            (
                number,
                *(
                    values[i].strip() if i is not None else ""
                    for i in (
                        cols["student"],
                        cols["score"],
                        cols["measure"],
                        cols["window"],
                        cols["year"],
                        cols["date"],
                    )
                ),
            )
        )
    result.total = len(raw)
    if not raw:
        raise ImportRefused("The file has a header row but no scores under it.")

    ctx = _Context(
        district=district,
        user=user,
        mapping=mapping,
        ids={r[1] for r in raw if r[1]},
    )

    reasons: dict[int, list[str]] = {}
    keyed: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    candidates: dict[int, CheckedRow] = {}
    labels: dict[int, tuple[str, str, str, str, str]] = {}
    total = len(raw)
    for done, (
        number,
        sid,
        score_text,
        measure_text,
        window_text,
        year_text,
        date_text,
    ) in enumerate(raw, start=1):
        if done % PROGRESS_EVERY == 0 and done < total:
            progress(CHECK_PHASE, done, total)
        if number in bad_shape:
            reasons[number] = [bad_shape[number]]
            if len(labels) < preview_rows:
                labels[number] = ("", "", "", "", "")
            continue
        errors: list[str] = []
        student = ctx.students.get(sid)
        if student is None:
            errors.append(ctx.student_problem(sid))
        measure, measure_problem = ctx.measure_for(measure_text)
        if measure_problem:
            errors.append(measure_problem)
        window, window_problem = ctx.window_for(window_text, year_text)
        if window_problem:
            errors.append(window_problem)
        if len(labels) < preview_rows:
            labels[number] = (
                sid,
                student.label if student else "",
                measure.name if measure else measure_text,
                _window_label(window) if window else window_text,
                score_text,
            )
        if not score_text:
            # Not tested (vendor exports list the whole roster): nothing to import, no error.
            result.skipped.append(number)
            continue
        value = None
        if measure is not None:
            try:
                value = parse_score(score_text, measure)
            except ValidationError as exc:
                errors.extend(exc.messages)
        else:
            try:
                Decimal(score_text)
            except ArithmeticError:
                errors.append(f"{score_text!r} is not a number. Enter a number, like 42.")
        if student is not None and measure is not None and not measure.serves_grade(student.grade):
            errors.append(
                f"{measure.name} is for grades {grade_label(measure.lowest_grade)} to "
                f"{grade_label(measure.highest_grade)}; this student is in grade "
                f"{grade_label(student.grade)}."
            )
        if student is not None and window is not None:
            if not window.is_open and not ctx.may_use_closed(student.school_id):
                errors.append(WINDOW_CLOSED.format(window=window))
            if date_text:
                tested = parse_date(date_text)
                if tested is None:
                    errors.append(
                        f"'{date_text}' is not a date (write it like 2026-09-15 or 9/15/2026)."
                    )
                elif not window.start_date <= tested <= window.end_date:
                    errors.append(
                        f"The test date {tested:%Y-%m-%d} is outside the {_window_label(window)} "
                        f"window ({window.start_date:%Y-%m-%d} to {window.end_date:%Y-%m-%d})."
                    )
        if student is not None and measure is not None and window is not None:
            keyed[(student.pk, measure.pk, window.pk)].append(number)
        if errors:
            reasons[number] = errors
        else:
            candidates[number] = CheckedRow(
                row=number,
                student_id=student.pk,
                measure_id=measure.pk,
                window_id=window.pk,
                grade=student.grade,
                value=value,
            )
    progress(CHECK_PHASE, total, total)

    # The same student, measure and window on two rows: neither is imported, both are named.
    names = {m.pk: m.name for m in ctx.measures}
    windows = {w.pk: _window_label(w) for w in ctx.windows}
    for (_student_pk, measure_pk, window_pk), rows in keyed.items():
        if len(rows) < 2:
            continue
        listed = _rows_listed(rows)
        for r in rows:
            candidates.pop(r, None)
            reasons.setdefault(r, []).append(
                f"The same student has more than one {names[measure_pk]} score for "
                f"{windows[window_pk]} in this file (rows {listed}); keep one of them."
            )

    result.valid = [candidates[n] for n in sorted(candidates)]
    result.problems = [(n, " ".join(reasons[n])) for n in sorted(reasons)]
    skipped = set(result.skipped)
    for number, (sid, student_label, measure_label, window_label, score_text) in labels.items():
        problem = " ".join(reasons.get(number, []))
        result.preview.append(
            PreviewRow(
                row=number,
                student_text=sid,
                student_label=student_label,
                measure_label=measure_label,
                window_label=window_label,
                score_text=score_text,
                problem=problem,
                skipped=number in skipped,
            )
        )
    return result
