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
from django.utils.translation import gettext

from screening.models.windows import ScreeningWindow
from screening.score_import.mapping import DateUse, Mapping, mapping_problems
from screening.score_import.reading import ScoreFile
from screening.score_import.resolving import _Context
from screening.services.access import WINDOW_CLOSED
from screening.services.school_windows import SchoolDays
from screening.services.values import parse_score
from students.imports import ImportRefused, Progress, no_progress
from students.models import District, User, grade_label

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


def _window_label(window: ScreeningWindow) -> str:
    return f"{window.name} {window.school_year.name}"


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
    school_days = SchoolDays(ctx.windows)

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
                errors.append(
                    gettext("%(score_text)s is not a number. Enter a number, like 42.")
                    % {"score_text": repr(score_text)}
                )
        if student is not None and measure is not None and not measure.serves_grade(student.grade):
            errors.append(
                gettext(
                    "%(measure)s is for grades %(lowest_grade)s to %(highest_grade)s; this student is in grade %(grade)s."
                )
                % {
                    "measure": measure.name,
                    "lowest_grade": grade_label(measure.lowest_grade),
                    "highest_grade": grade_label(measure.highest_grade),
                    "grade": grade_label(student.grade),
                }
            )
        if student is not None and window is not None:
            days = school_days.days(window, student.school_id)
            if not school_days.is_open(window, student.school_id) and not ctx.may_use_closed(
                student.school_id
            ):
                errors.append(WINDOW_CLOSED.format(window=window))
            if date_text:
                tested = parse_date(date_text)
                if tested is None:
                    errors.append(
                        gettext(
                            "'%(date_text)s' is not a date (write it like 2026-09-15 or 9/15/2026)."
                        )
                        % {"date_text": date_text}
                    )
                elif not days.start_date <= tested <= days.end_date:
                    whose = "the school's own dates" if days.own else "the district's dates"
                    errors.append(
                        gettext(
                            "The test date %(tested)s is outside the %(window)s window (%(start_date)s to %(end_date)s, %(whose)s)."
                        )
                        % {
                            "tested": format(tested, "%Y-%m-%d"),
                            "window": _window_label(window),
                            "start_date": format(days.start_date, "%Y-%m-%d"),
                            "end_date": format(days.end_date, "%Y-%m-%d"),
                            "whose": whose,
                        }
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
