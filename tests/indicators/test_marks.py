"""Course marks: the passing rule at its edges, and the importer.

Worked example (default rule: 60% passes; F, E, U, NP, NC fail): 60 passes, 59.99 fails;
"D-" passes, "F+" fails; "NP" fails, "P" passes.
"""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.marks import PassingRule, core, passing, split_marks
from indicators.models import CourseMark, MarkRule
from students.models_imports import ImportJob
from tests.indicators.helpers import rejects, run_import

MARKS = ImportJob.Kind.COURSE_MARKS


def test_passing_rule_edges():
    raw = pd.Series(["60", "59.99", "D-", "F+", "np", "P", "100%", "101", "A++", ""])
    percent, letter, valid = split_marks(raw)
    assert valid.tolist() == [True, True, True, True, True, True, True, False, False, False]
    result = passing(percent[valid], letter[valid], PassingRule())
    assert result.tolist() == [True, False, True, False, False, True, True]


def test_a_district_rule_of_70_percent():
    rule = PassingRule.from_text(passing_percent=70, failing_letters="F, D", core_subjects="Math")
    percent, letter, _ = split_marks(pd.Series(["69.99", "70", "D+", "C-"]))
    assert passing(percent, letter, rule).tolist() == [False, True, False, True]


def test_core_by_column_else_by_subject():
    subjects = pd.Series(["Math", "Art", "Math", "Art"])
    flags = pd.Series(["", "", "no", "yes"])
    assert core(subjects, flags, PassingRule()).tolist() == [True, False, False, True]


@pytest.mark.django_db
def test_import_marks(world, tmp_path):
    world.student.local_id = "S1"
    world.student.save()
    MarkRule.objects.create(district=world.district, passing_percent=65)
    data = (
        b"student_id,course_code,course_name,subject,grading_period,period_end,mark\n"
        b"S1,MATH6,Math 6,Math,Q1,2026-10-30,64.5\n"
        b"S1,ELA6,English 6,ELA,Q1,2026-10-30,B+\n"
        b"S1,ART6,Art,Art,Q1,2026-10-30,F\n"
    )
    job = run_import(tmp_path, MARKS, data, district=world.district)
    assert job.status == ImportJob.Status.SUCCEEDED, job.report
    marks = {m.course_code: m for m in CourseMark.objects.all()}
    assert (marks["MATH6"].passing, marks["MATH6"].core, float(marks["MATH6"].percent)) == (
        False,
        True,
        64.5,
    )
    assert (marks["ELA6"].passing, marks["ELA6"].letter) == (True, "B+")
    assert (marks["ART6"].passing, marks["ART6"].core) == (False, False)
    again = run_import(tmp_path, MARKS, data, district=world.district, name="again.csv")
    assert again.report["totals"]["unchanged"] == 3


@pytest.mark.django_db
def test_bad_mark_rows(world, tmp_path):
    world.student.local_id = "S1"
    world.student.save()
    data = (
        b"student_id,course_code,grading_period,period_end,mark\n"
        b"S1,MATH6,Q1,2026-10-30,120\n"
        b"S1,,Q1,2026-10-30,A\n"
        b"S1,MATH6,Q1,2031-10-30,A\n"
        b"S1,ELA6,Q1,2026-10-30,A\n"
        b"S1,ELA6,Q1,2026-10-30,B\n"
    )
    job = run_import(tmp_path, MARKS, data, district=world.district)
    assert job.status == ImportJob.Status.FAILED
    assert [r for r, _ in rejects(job)] == [2, 3, 4, 6]
    assert "neither a percent" in rejects(job)[0][1]
    assert not CourseMark.objects.exists()
