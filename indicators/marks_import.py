"""The course-marks importer (ImportJob kind `course_marks`).

CSV: `student_id`, `course_code`, `grading_period` (Q1, S1 ...), `period_end` (YYYY-MM-DD,
the period's last day: it places the mark in a school year and orders the periods), `mark`
(a percent 0-100 or a letter); optional `course_name`, `subject`, `core` (yes/no; blank: by
the district's core subjects) and `section` (the class's OneRoster sourcedId). Whether a mark
passes follows the district's passing rule (indicators.models.MarkRule) at import. Checked
row by row, written in one upsert, all or nothing like the other imports.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction

from indicators import lookups
from indicators.frames import Rejects, days_to_dates, duplicate_positions, parse_dates, read_chunks
from indicators.marks import PassingRule, core, passing, split_marks
from indicators.models import MarkRule
from indicators.writes import analyze, copy_frame, execute, scalar_rows, temp_table
from students.imports import ImportReport, Progress
from students.models import Section
from students.models_imports import ImportJob

ENTITY = "course marks"
_COLUMNS = (
    "student_id",
    "school_id",
    "school_year_id",
    "section_id",
    "course_code",
    "course_name",
    "subject",
    "core",
    "grading_period",
    "period_end",
    "letter",
    "percent",
    "passing",
)
_COUNTS = """
SELECT count(*) FILTER (WHERE m.id IS NULL),
       count(*) FILTER (WHERE m.id IS NOT NULL AND (m.letter, m.percent, m.passing, m.core,
             m.period_end, m.course_name, m.subject, m.section_id)
             IS DISTINCT FROM (t.letter, t.percent, t.passing, t.core, t.period_end,
             t.course_name, t.subject, t.section_id)),
       count(*) FILTER (WHERE m.id IS NOT NULL AND (m.letter, m.percent, m.passing, m.core,
             m.period_end, m.course_name, m.subject, m.section_id)
             IS NOT DISTINCT FROM (t.letter, t.percent, t.passing, t.core, t.period_end,
             t.course_name, t.subject, t.section_id))
FROM tmp_marks t
LEFT JOIN indicators_coursemark m
  ON m.student_id = t.student_id AND m.school_year_id = t.school_year_id
 AND m.course_code = t.course_code AND m.grading_period = t.grading_period
"""
_UPSERT = f"""
INSERT INTO indicators_coursemark ({", ".join(_COLUMNS)})
SELECT {", ".join(_COLUMNS)} FROM tmp_marks
ON CONFLICT (student_id, school_year_id, course_code, grading_period) DO UPDATE
SET school_id = EXCLUDED.school_id, section_id = EXCLUDED.section_id,
    course_name = EXCLUDED.course_name, subject = EXCLUDED.subject, core = EXCLUDED.core,
    period_end = EXCLUDED.period_end, letter = EXCLUDED.letter, percent = EXCLUDED.percent,
    passing = EXCLUDED.passing
"""


def passing_rule(district_id: int) -> PassingRule:
    stored = MarkRule.objects.filter(district_id=district_id).first()
    if stored is None:
        return PassingRule()
    return PassingRule.from_text(
        passing_percent=stored.passing_percent,
        failing_letters=stored.failing_letters,
        core_subjects=stored.core_subjects,
    )


def _sections(district_id: int) -> dict[str, int]:
    rows = Section.objects.filter(school__district_id=district_id).exclude(sourced_id="")
    return {s.lower(): pk for s, pk in rows.values_list("sourced_id", "id")}


def _check(chunk: pd.DataFrame, *, district_id: int, students, sections, rule) -> tuple:
    rejects = Rejects(len(chunk))
    local = chunk["student_id"].str.strip()
    where = students.index.get_indexer(local)
    rejects.add(where < 0, lambda p: f"no student with ID '{local.iat[p]}' in this district")
    code = chunk["course_code"].str.strip()
    rejects.add((code == "").to_numpy(), "course_code is blank")
    period = chunk["grading_period"].str.strip()
    rejects.add((period == "").to_numpy(), "grading_period is blank")
    days = parse_dates(chunk["period_end"])
    rejects.add(
        days < 0, lambda p: f"period_end '{chunk['period_end'].iat[p]}' is not a date (YYYY-MM-DD)"
    )
    years = lookups.year_of_days(district_id, days)
    rejects.add(
        years == 0,
        lambda p: f"period_end {chunk['period_end'].iat[p]} is in no school year of the district",
    )
    percent, letter, valid_mark = split_marks(chunk["mark"])
    rejects.add(
        ~valid_mark,
        lambda p: (
            f"mark '{chunk['mark'].iat[p]}' is neither a percent from 0 to 100 nor a "
            "letter such as A, B+, F or NP"
        ),
    )
    section_key = chunk["section"].str.strip().str.lower()
    section_ids = section_key.map(sections)
    rejects.add(
        ((section_key != "") & section_ids.isna()).to_numpy(),
        lambda p: f"no class with sourcedId '{chunk['section'].iat[p]}' in this district",
    )
    good = rejects.good
    ids = np.where(where >= 0, students["id"].to_numpy()[where], 0)
    schools = np.where(where >= 0, students["school_id"].to_numpy()[where], 0)
    valid = pd.DataFrame(
        {
            "row": chunk["row"].to_numpy()[good],
            "student_id": ids[good],
            "school_id": schools[good],
            "school_year_id": years[good],
            "section_id": section_ids.to_numpy()[good],
            "course_code": code.str.slice(0, 64).to_numpy()[good],
            "course_name": chunk["course_name"].str.strip().str.slice(0, 200).to_numpy()[good],
            "subject": chunk["subject"].str.strip().str.slice(0, 100).to_numpy()[good],
            "core": np.where(core(chunk["subject"], chunk["core"], rule), "t", "f")[good],
            "grading_period": period.str.slice(0, 64).to_numpy()[good],
            "period_end": days_to_dates(days[good]).astype(str),
            "letter": letter[good],
            "percent": percent[good],
            "passing": np.where(passing(percent, letter, rule), "t", "f")[good],
        }
    )
    valid["section_id"] = valid["section_id"].astype("Int64")
    return rejects, valid


def marks_import_run(job: ImportJob, progress: Progress) -> ImportReport:
    path = Path(job.file_path)
    name = job.original_name or path.name
    started = time.monotonic()
    report = ImportReport(all_or_nothing=job.all_or_nothing)
    district_id = job.district_id
    students = lookups.students_by_local_id(district_id)
    sections = _sections(district_id)
    rule = passing_rule(district_id)
    frames = []
    for chunk in read_chunks(
        path,
        file=name,
        required={
            "student_id": ("student", "local_id", "sis_id"),
            "course_code": ("course", "course_id"),
            "grading_period": ("period", "term", "marking_period"),
            "period_end": ("end_date", "period_end_date"),
            "mark": ("grade", "score", "letter_grade"),
        },
        optional={
            "course_name": ("course_title", "title"),
            "subject": ("department",),
            "core": ("is_core",),
            "section": ("class", "section_id", "class_sourced_id"),
        },
    ):
        rejects, valid = _check(
            chunk, district_id=district_id, students=students, sections=sections, rule=rule
        )
        rejects.report(report, file=name, rows=chunk["row"].to_numpy(), entity=ENTITY)
        frames.append(valid)
    valid = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(valid):
        key = (
            valid["student_id"].astype(str)
            + "|"
            + valid["school_year_id"].astype(str)
            + "|"
            + valid["course_code"]
            + "|"
            + valid["grading_period"]
        )
        repeats = duplicate_positions(pd.factorize(key)[0].astype("int64"))
        for p in repeats.tolist():
            report.reject(
                name,
                int(valid["row"].iat[p]),
                "this student, course and grading period are listed twice in the file",
                entity=ENTITY,
            )
        valid = valid.drop(index=repeats).reset_index(drop=True)
    report.meta["rows"] = int(len(valid)) + report.rejected_total
    report.meta["passing_rule"] = {
        "passing_percent": rule.passing_percent,
        "failing_letters": sorted(rule.failing_letters),
    }
    if report.has_rejects and job.all_or_nothing:
        return report
    progress(name, 0, len(valid))
    with transaction.atomic():
        temp_table(
            "tmp_marks",
            "row integer, student_id bigint, school_id bigint, school_year_id bigint, "
            "section_id bigint, course_code varchar(64), course_name varchar(200), "
            "subject varchar(100), core boolean, grading_period varchar(64), period_end date, "
            "letter varchar(4), percent numeric(5,2), passing boolean",
        )
        copy_frame("tmp_marks", valid, ("row", *_COLUMNS))
        analyze("tmp_marks")
        counts = scalar_rows(_COUNTS)
        execute(_UPSERT)
        progress(name, len(valid), len(valid))
    created, updated, unchanged = (int(n or 0) for n in counts)
    report.count(ENTITY, "created", created)
    report.count(ENTITY, "updated", updated)
    report.count(ENTITY, "unchanged", unchanged)
    report.meta.setdefault("seconds", {})["total"] = round(time.monotonic() - started, 2)
    report.committed = True
    return report
