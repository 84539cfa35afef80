"""CSV import of screening scores: the bad-input corpus, the two modes, who may import what.

Every file goes through the job path (`students.imports.job_run` -> the score importer), the
one the Celery task and `manage.py import_scores` use. Each bad file asserts the exact message
a user reads (row number + reason) and what the database holds afterwards.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from screening.models import Measure, ScoreChange, ScreeningScore
from screening.score_import import jobs  # noqa: F401  (registers the importer)
from screening.score_import.mapping import DateUse, IdKind, Mapping
from students.imports import job_run, no_progress
from students.models import AccessLog
from students.models_imports import ImportJob
from tests.factories import StudentFactory
from tests.fixtures.scores.corpus import XLSX_HEAD, csv_bytes, sample

pytestmark = pytest.mark.django_db

HEADER = ["Student ID", "Score"]
SAVE_AS = "In Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)' and upload that."


def run(
    tmp_path: Path,
    data: bytes,
    *,
    district,
    user,
    mapping: Mapping,
    keep_valid: bool = False,
) -> ImportJob:
    path = tmp_path / "scores.csv"
    path.write_bytes(data)
    job = ImportJob.objects.create(
        district=district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        source=ImportJob.Source.COMMAND,
        file_path=str(path),
        original_name="scores.csv",
        options={
            "mapping": mapping.to_json(),
            "all_or_nothing": not keep_valid,
            "as_user": user is not None,
        },
        created_by=user,
    )
    return job_run(job_id=job.pk, progress=no_progress)


def rejects(job: ImportJob) -> list[tuple[int | None, str]]:
    return [(r["row"], r["reason"]) for r in job.report["rejected"]]


@pytest.fixture
def fall_orf(screening) -> Mapping:
    """Student ID + Score columns; ORF in the fall window for the whole file."""
    return Mapping(
        student="Student ID",
        score="Score",
        measure_id=screening.orf.pk,
        window_id=screening.fall.pk,
    )


@pytest.fixture
def imp(tmp_path, world, fall_orf):
    """Import as the district administrator (sees every student) with the fall ORF mapping."""

    def _run(data: bytes, *, user=None, mapping=None, keep_valid=False) -> ImportJob:
        return run(
            tmp_path,
            data,
            district=world.district,
            user=user or world.district_admin,
            mapping=mapping or fall_orf,
            keep_valid=keep_valid,
        )

    return _run


def refused(job: ImportJob) -> str:
    assert job.status == ImportJob.Status.FAILED
    assert job.report["committed"] is False
    return job.report["refused"]


# -- the happy path, so the corpus below has something to differ from ---------------------------


def test_it_imports_a_clean_file_with_risk_levels_and_an_audit_row_each(imp, world, screening):
    data = csv_bytes([HEADER, [world.student.local_id, "72"], [world.classmate.local_id, "54"]])
    job = imp(data)
    assert job.status == ImportJob.Status.SUCCEEDED, (job.error, job.report)
    scores = {s.student_id: s for s in ScreeningScore.objects.all()}
    # Grade 3 fall cuts: benchmark 70, high-risk below 55.
    assert scores[world.student.pk].risk_level == "at_or_above"
    assert scores[world.classmate.pk].risk_level == "high_risk"
    assert {s.source for s in scores.values()} == {"imported"}
    assert {s.entered_by_id for s in scores.values()} == {world.district_admin.pk}
    assert job.report["totals"]["created"] == 2
    assert job.report["rejected_total"] == 0
    assert AccessLog.objects.filter(object_type="screening_score", action="create").count() == 2


def test_it_updates_a_score_already_there_and_records_the_change(imp, world, screening):
    imp(csv_bytes([HEADER, [world.student.local_id, "60"]]))
    job = imp(csv_bytes([HEADER, [world.student.local_id, "75"]]))
    assert job.report["totals"]["updated"] == 1
    score = ScreeningScore.objects.get()
    assert score.score == Decimal("75.00")
    change = ScoreChange.objects.get()
    assert (change.old_value, change.new_value) == (Decimal("60.00"), Decimal("75.00"))


def test_it_skips_rows_without_a_score_as_not_tested(imp, world):
    job = imp(csv_bytes([HEADER, [world.student.local_id, "72"], [world.classmate.local_id, ""]]))
    assert job.status == ImportJob.Status.SUCCEEDED, (job.error, job.report)
    assert job.report["totals"]["skipped"] == 1
    assert ScreeningScore.objects.count() == 1


# -- the bad-input corpus: files refused as a whole ----------------------------------------------


def test_it_refuses_an_empty_file(imp):
    job = imp(b"")
    assert refused(job) == "The file is empty (0 bytes). Export the scores again and upload."
    assert ScreeningScore.objects.count() == 0


def test_it_refuses_a_file_with_only_a_header(imp):
    job = imp(b"Student ID,Score\r\n")
    assert refused(job) == "The file has a header row but no scores under it."
    assert ScreeningScore.objects.count() == 0


def test_it_refuses_a_file_of_blank_lines(imp):
    assert refused(imp(b"\r\n  \r\n")) == (
        "The file holds only blank space: it needs a header row and scores."
    )


def test_it_refuses_a_mapping_that_names_a_column_the_file_lacks(imp, screening, world):
    mapping = Mapping(
        student="Student ID", score="WCPM", measure_id=screening.orf.pk, window_id=screening.fall.pk
    )
    job = imp(csv_bytes([HEADER, [world.student.local_id, "72"]]), mapping=mapping)
    assert refused(job) == (
        "The file has no column named 'WCPM' (for the score). "
        "Its columns are: 'Student ID', 'Score'."
    )
    assert ScreeningScore.objects.count() == 0


def test_it_refuses_a_file_whose_header_is_missing(imp, world):
    # The first row is data: one "column name" is a student ID, the other a number.
    job = imp(f"{world.student.local_id}\r\n72\r\n".encode())
    assert refused(job) == (
        "The first row should name the columns (for example Student ID, Score), but it has 1 "
        "named column. Is the header row missing, or is the file not a CSV?"
    )


def test_it_refuses_bytes_that_are_neither_utf8_nor_windows_1252(imp):
    # 0xff is not UTF-8; 0x81 is undefined in Windows-1252.
    data = b"Student ID,Score\r\nS1,72\r\nS\xff2,7\x81\r\n"
    assert refused(imp(data)) == (
        "The file is not UTF-8 text (byte 0xff on line 3) and not Windows-1252 either "
        f"(byte 0x81 on line 3). {SAVE_AS}"
    )


def test_it_reads_a_windows_1252_file_and_says_so(imp, world):
    # Excel's plain "CSV" on Windows: the é of Zoé is byte 0xe9.
    data = csv_bytes(
        [["Student ID", "Name", "Score"], [world.student.local_id, "Zoé", "72"]],
        encoding="cp1252",
    )
    job = imp(data)
    assert job.status == ImportJob.Status.SUCCEEDED, (job.error, job.report)
    assert [w["message"] for w in job.report["warnings"]] == [
        "The file is not UTF-8, so it was read as Windows-1252 (what Excel's plain 'CSV' "
        "writes; first non-UTF-8 byte on line 2). IDs, numbers and season names read the same "
        "either way; save as 'CSV UTF-8' to be sure."
    ]
    assert ScreeningScore.objects.count() == 1


def test_it_reads_utf8_with_a_byte_order_mark_and_utf16(imp, world):
    bom = csv_bytes([HEADER, [world.student.local_id, "72"]], bom=True)
    assert imp(bom).status == ImportJob.Status.SUCCEEDED
    utf16 = csv_bytes([HEADER, [world.classmate.local_id, "40"]], delimiter="\t", encoding="utf-16")
    job = imp(utf16)
    assert job.status == ImportJob.Status.SUCCEEDED, (job.error, job.report)
    assert ScreeningScore.objects.count() == 2


def test_it_refuses_a_quote_that_is_never_closed(imp, world):
    data = (
        f'Student ID,Score\r\n{world.student.local_id},72\r\n"{world.classmate.local_id},40\r\n'
        f"{world.other_student.local_id},50\r\n"
    ).encode()
    assert refused(imp(data)) == (
        'Row 3: a quoted value is never closed (a double quote " is missing), so the rest of '
        "the file cannot be read."
    )
    assert ScreeningScore.objects.count() == 0


def test_it_refuses_a_stray_quote_inside_a_value(imp, world):
    data = f'Student ID,Score\r\n"{world.student.local_id}"x,72\r\n'.encode()
    assert refused(imp(data)) == (
        'Row 2: a double quote (") sits inside a value. Put the whole value in quotes and '
        'double the quote inside it ("").'
    )


def test_it_refuses_a_huge_line(imp):
    data = b"Student ID,Score\r\n" + b"S" * 200_000 + b",72\r\n"
    assert refused(imp(data)) == (
        "Row 2: a value is longer than 131,072 characters. This is not a score export, or a "
        'double quote (") is missing.'
    )


def test_it_refuses_an_xlsx_renamed_csv(imp):
    assert refused(imp(XLSX_HEAD)) == (
        f"This is an Excel workbook (.xlsx) or another zip file, not a CSV file. {SAVE_AS}"
    )


def test_it_refuses_a_binary_file_with_nul_bytes(imp):
    assert refused(imp(b"Student ID,Score\r\nS1,\x00\x00\r\n")) == (
        f"This is not a text file (it holds a NUL byte on line 2). {SAVE_AS}"
    )


def test_it_refuses_a_file_over_the_size_limit(imp, world, settings):
    settings.SCORE_IMPORT_MAX_BYTES = 1024 * 1024
    data = b"Student ID,Score\r\n" + b"S1,72\r\n" * 225_000  # 1,575,018 bytes
    assert refused(imp(data)) == (
        "The file is 1.5 MB; the limit is 1 MB. Split it, for example by school."
    )


def test_it_reads_semicolon_separated_files_and_says_so(imp, world):
    data = csv_bytes(
        [HEADER, [world.student.local_id, "72"], [world.classmate.local_id, "40"]], delimiter=";"
    )
    job = imp(data)
    assert job.status == ImportJob.Status.SUCCEEDED, (job.error, job.report)
    assert [w["message"] for w in job.report["warnings"]] == [
        "Columns are separated by a semicolon, not a comma."
    ]
    assert ScreeningScore.objects.count() == 2


# -- the bad-input corpus: rows rejected ----------------------------------------------------------


def test_it_rejects_a_score_that_is_not_a_number(imp, world):
    job = imp(
        csv_bytes([HEADER, [world.student.local_id, "72"], [world.classmate.local_id, "abc"]])
    )
    assert rejects(job) == [(3, "'abc' is not a number. Enter a number, like 42.")]
    assert job.status == ImportJob.Status.FAILED
    assert job.error == (
        "Nothing imported, nothing changed (1 rows have problems); had it been imported: 0 created, 0 updated, 0 deactivated, "
        "0 unchanged, 1 rejected"
    )
    assert ScreeningScore.objects.count() == 0


def test_it_rejects_a_score_outside_the_measures_range(imp, world):
    job = imp(csv_bytes([HEADER, [world.student.local_id, "300"]]))
    assert rejects(job) == [
        (2, "Oral reading fluency scores go from 0 to 250; 300 is outside that range.")
    ]
    assert ScreeningScore.objects.count() == 0


def test_it_rejects_a_score_with_too_many_decimal_places(imp, world):
    job = imp(csv_bytes([HEADER, [world.student.local_id, "72.125"]]))
    assert rejects(job) == [(2, "Use at most 2 decimal places.")]


def test_it_rejects_an_unknown_student_id(imp, world):
    job = imp(csv_bytes([HEADER, ["NOPE-1", "72"], ["00123", "72"]]))
    assert rejects(job) == [
        (2, "There is no student with ID 'NOPE-1' in Riverside Unified."),
        (
            3,
            "There is no student with ID '00123' in Riverside Unified (a spreadsheet may have "
            "dropped leading zeros).",
        ),
    ]
    assert ScreeningScore.objects.count() == 0


def test_it_rejects_both_rows_of_a_duplicate_and_names_them(imp, world):
    sid = world.student.local_id
    data = csv_bytes([HEADER, [sid, "72"], [world.classmate.local_id, "60"], [sid, "75"]])
    job = imp(data, keep_valid=True)
    message = (
        "The same student has more than one Oral reading fluency score for Fall 2026-2027 in "
        "this file (rows 2 and 4); keep one of them."
    )
    assert rejects(job) == [(2, message), (4, message)]
    # Keep-valid: only the classmate's row is written.
    assert list(ScreeningScore.objects.values_list("student_id", "score")) == [
        (world.classmate.pk, Decimal("60.00"))
    ]


def test_it_rejects_a_row_with_more_values_than_the_header(imp, world):
    # A comma inside an unquoted value shifts every column after it.
    data = f"Student ID,Score\r\n{world.student.local_id},7,2\r\n".encode()
    job = imp(data)
    assert rejects(job) == [
        (
            2,
            "This row has 3 values but the header has 2 columns (a separator inside a value "
            "needs quotes around the value).",
        )
    ]


def test_it_rejects_a_closed_window_for_a_teacher(imp, world, screening):
    mapping = Mapping(
        student="Student ID",
        score="Score",
        measure_id=screening.orf.pk,
        window_id=screening.winter.pk,
    )
    job = imp(
        csv_bytes([HEADER, [world.student.local_id, "90"]]), user=world.teacher, mapping=mapping
    )
    assert rejects(job) == [
        (
            2,
            "The Winter 2026-2027 screening window is closed. Ask a school administrator to "
            "enter late scores.",
        )
    ]
    assert ScreeningScore.objects.count() == 0


def test_it_lets_a_school_administrator_import_into_a_closed_window(imp, world, screening):
    mapping = Mapping(
        student="Student ID",
        score="Score",
        measure_id=screening.orf.pk,
        window_id=screening.winter.pk,
    )
    job = imp(
        csv_bytes([HEADER, [world.student.local_id, "90"]]), user=world.principal, mapping=mapping
    )
    assert job.status == ImportJob.Status.SUCCEEDED, (job.error, job.report)
    assert ScreeningScore.objects.get().window_id == screening.winter.pk


def test_it_rejects_seasons_and_years_that_name_no_window(imp, world, screening):
    mapping = Mapping(
        student="Student ID", score="Score", measure_id=screening.orf.pk, window_column="Period"
    )
    data = csv_bytes(
        [
            ["Student ID", "Score", "Period"],
            [world.student.local_id, "72", "Q3"],
            [world.classmate.local_id, "72", "Fall 2019-2020"],
            [world.other_student.local_id, "72", "BOY"],
        ]
    )
    job = imp(data, mapping=mapping, keep_valid=True)
    assert rejects(job) == [
        (2, "'Q3' is not a season: use Fall, Winter or Spring (or BOY, MOY, EOY)."),
        (3, "Riverside Unified has no school year 2019-2020."),
    ]
    # BOY is the fall window of the current year.
    assert list(ScreeningScore.objects.values_list("student_id", "window_id")) == [
        (world.other_student.pk, screening.fall.pk)
    ]


def test_it_rejects_a_season_with_no_window_set_up(imp, world, screening):
    screening.spring.scores.all().delete()
    screening.spring.delete()
    mapping = Mapping(
        student="Student ID", score="Score", measure_id=screening.orf.pk, window_column="Season"
    )
    data = csv_bytes([["Student ID", "Score", "Season"], [world.student.local_id, "72", "Spring"]])
    assert rejects(imp(data, mapping=mapping)) == [
        (
            2,
            "There is no Spring screening window in 2026-2027; a district administrator sets "
            "the windows up.",
        )
    ]


def test_it_rejects_a_measure_not_for_the_students_grade(imp, world, screening):
    Measure.objects.create(
        district=world.district,
        code="lnf",
        name="Letter naming fluency",
        domain="reading",
        min_score=0,
        max_score=100,
        lowest_grade=0,
        highest_grade=1,
    )
    mapping = Mapping(
        student="Student ID", score="Score", measure_column="Measure", window_id=screening.fall.pk
    )
    data = csv_bytes(
        [
            ["Student ID", "Measure", "Score"],
            [world.student.local_id, "LNF", "40"],
            [world.classmate.local_id, "maze", "12"],
            [world.other_student.local_id, "district-orf", "80"],
        ]
    )
    job = imp(data, mapping=mapping)
    assert rejects(job)[0] == (
        2,
        "Letter naming fluency is for grades K to 1; this student is in grade 3.",
    )
    assert rejects(job)[1][0] == 3
    assert rejects(job)[1][1].startswith("'maze' is not a measure code here (codes: ")
    assert ScreeningScore.objects.count() == 0  # all or nothing


def test_it_never_tells_a_teacher_whether_another_schools_id_exists(imp, world):
    data = csv_bytes(
        [
            HEADER,
            [world.student.local_id, "72"],
            [world.other_student.local_id, "60"],  # Oak Elementary: not the teacher's
            ["NOPE-1", "60"],  # nobody
        ]
    )
    job = imp(data, user=world.teacher, keep_valid=True)
    assert rejects(job) == [
        (3, f"Student ID '{world.other_student.local_id}' is not one of the students you can see."),
        (4, "Student ID 'NOPE-1' is not one of the students you can see."),
    ]
    assert list(ScreeningScore.objects.values_list("student_id", flat=True)) == [world.student.pk]


def test_it_limits_a_teacher_to_the_students_of_their_sections(imp, world):
    # The classmate is at the teacher's school but in another teacher's section.
    data = csv_bytes([HEADER, [world.student.local_id, "72"], [world.classmate.local_id, "60"]])
    job = imp(data, user=world.teacher)
    assert rejects(job) == [
        (3, f"Student ID '{world.classmate.local_id}' is not one of the students you can see.")
    ]
    assert ScreeningScore.objects.count() == 0


def test_it_lets_a_team_member_import_for_their_whole_school_only(imp, world):
    data = csv_bytes(
        [
            HEADER,
            [world.student.local_id, "72"],
            [world.classmate.local_id, "60"],
            [world.other_student.local_id, "50"],
        ]
    )
    job = imp(data, user=world.team_member, keep_valid=True)
    assert [r for r, _ in rejects(job)] == [4]
    assert ScreeningScore.objects.count() == 2


def test_it_rejects_a_date_outside_its_window_when_asked_to_check(imp, world, screening):
    mapping = Mapping(
        student="Student ID",
        score="Score",
        measure_id=screening.orf.pk,
        window_id=screening.fall.pk,
        date_column="Date",
        date_use=DateUse.CHECK,
    )
    data = csv_bytes(
        [
            ["Student ID", "Score", "Date"],
            [world.student.local_id, "72", "9/15/2026"],
            [world.classmate.local_id, "60", "2026-10-15"],
            [world.other_student.local_id, "60", "15/45/2026"],
        ]
    )
    job = imp(data, mapping=mapping, keep_valid=True)
    assert rejects(job) == [
        (
            3,
            "The test date 2026-10-15 is outside the Fall 2026-2027 window (2026-09-01 to "
            "2026-09-30, the district's dates).",
        ),
        (4, "'15/45/2026' is not a date (write it like 2026-09-15 or 9/15/2026)."),
    ]
    assert ScreeningScore.objects.count() == 1


def test_it_lists_every_problem_of_a_row_together(imp, world):
    job = imp(csv_bytes([HEADER, ["NOPE-1", "abc"]]))
    assert rejects(job) == [
        (
            2,
            "There is no student with ID 'NOPE-1' in Riverside Unified. 'abc' is not a number. "
            "Enter a number, like 42.",
        )
    ]


# -- the two modes ---------------------------------------------------------------------------------


def test_it_writes_nothing_in_all_or_nothing_mode_when_one_row_is_bad(imp, world):
    rows = [HEADER, [world.student.local_id, "72"], [world.classmate.local_id, "999"]]
    job = imp(csv_bytes(rows))
    assert job.status == ImportJob.Status.FAILED
    assert job.report["committed"] is False
    assert ScreeningScore.objects.count() == 0
    assert AccessLog.objects.filter(object_type="screening_score").count() == 0


def test_it_writes_exactly_the_valid_rows_in_keep_valid_mode(imp, world):
    extra = StudentFactory(school=world.school, local_id="KV-3")
    rows = [
        HEADER,
        [world.student.local_id, "72"],
        [world.classmate.local_id, "999"],
        ["KV-3", "61.5"],
        ["NOPE-1", "50"],
    ]
    job = imp(csv_bytes(rows), keep_valid=True)
    assert job.status == ImportJob.Status.SUCCEEDED, (job.error, job.report)
    assert [r for r, _ in rejects(job)] == [3, 5]
    assert sorted(ScreeningScore.objects.values_list("student_id", "score")) == sorted(
        [(world.student.pk, Decimal("72.00")), (extra.pk, Decimal("61.50"))]
    )
    assert job.report["totals"] == {
        "created": 2,
        "updated": 0,
        "deactivated": 0,
        "unchanged": 0,
        "skipped": 0,
        "rejected": 2,
    }


# -- columns by name, vendor-shaped files ------------------------------------------------------------


def test_it_reads_a_fastbridge_shaped_export_with_measure_season_and_year_columns(
    tmp_path, world, screening
):
    cbm = Measure.objects.create(
        district=world.district,
        code="cbmreading",
        name="CBMreading",
        domain="reading",
        min_score=0,
        max_score=300,
        lowest_grade=1,
        highest_grade=6,
    )
    StudentFactory(school=world.school, local_id="FB0001")
    StudentFactory(school=world.school, local_id="FB0002")
    mapping = Mapping(
        student="Student ID",
        score="CBMreading WCPM",
        measure_column="Assessment",
        window_column="Screening Period",
        year_column="School Year",
        date_column="Date",
        date_use=DateUse.CHECK,
    )
    job = run(
        tmp_path,
        sample("fastbridge_like.csv"),
        district=world.district,
        user=world.district_admin,
        mapping=mapping,
    )
    assert job.status == ImportJob.Status.SUCCEEDED, job.report
    assert sorted(
        ScreeningScore.objects.values_list("student__local_id", "measure_id", "window_id", "score")
    ) == [
        ("FB0001", cbm.pk, screening.fall.pk, Decimal("72.00")),
        ("FB0002", cbm.pk, screening.fall.pk, Decimal("51.00")),
    ]


def test_it_matches_oneroster_sourced_ids(tmp_path, world, screening):
    world.student.sourced_id = "f3b1c9e2-0001"
    world.student.save()
    mapping = Mapping(
        student="sourcedId",
        id_kind=IdKind.SOURCED,
        score="Score",
        measure_id=screening.orf.pk,
        window_id=screening.fall.pk,
    )
    data = csv_bytes(
        [["sourcedId", "Score"], ["f3b1c9e2-0001", "72"], [world.student.local_id, "72"]]
    )
    job = run(
        tmp_path,
        data,
        district=world.district,
        user=world.district_admin,
        mapping=mapping,
        keep_valid=True,
    )
    assert rejects(job) == [
        (3, f"There is no student with ID '{world.student.local_id}' in Riverside Unified.")
    ]
    assert ScreeningScore.objects.get().student_id == world.student.pk


def test_it_refuses_a_job_whose_uploader_account_is_gone(imp, world, tmp_path, fall_orf):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([HEADER, [world.student.local_id, "72"]]))
    job = ImportJob.objects.create(
        district=world.district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        file_path=str(path),
        options={"mapping": fall_orf.to_json(), "as_user": True},
        created_by=None,
    )
    job = job_run(job_id=job.pk, progress=no_progress)
    assert refused(job) == "The account that uploaded this file no longer exists."
    assert ScreeningScore.objects.count() == 0


def test_it_marks_a_job_failed_when_its_file_has_vanished(imp, world, fall_orf):
    job = ImportJob.objects.create(
        district=world.district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        file_path="/nonexistent/scores.csv",
        options={"mapping": fall_orf.to_json()},
        created_by=world.district_admin,
    )
    job = job_run(job_id=job.pk, progress=no_progress)
    assert refused(job) == "The uploaded file is no longer on the server. Upload it again."


def test_it_names_a_few_rows_of_a_row_repeated_a_thousand_times(imp, world):
    data = csv_bytes([HEADER] + [[world.student.local_id, "72"]] * 1000)
    job = imp(data)
    message = (
        "The same student has more than one Oral reading fluency score for Fall 2026-2027 in "
        "this file (rows 2, 3, 4, 5, 6 and 995 more); keep one of them."
    )
    assert job.report["rejected_total"] == 1000
    assert rejects(job)[0] == (2, message)
    assert rejects(job)[-1] == (1001, message)
    assert ScreeningScore.objects.count() == 0


def test_it_checks_a_file_in_the_same_number_of_queries_whatever_its_length(
    world, screening, fall_orf
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from screening.score_import.checking import check_rows
    from screening.score_import.reading import read_score_file

    for i in range(300):
        StudentFactory(school=world.school, local_id=f"N{i:03d}")

    def queries(n: int) -> int:
        rows = [HEADER] + [[f"N{i:03d}", "50"] for i in range(n)]
        score_file = read_score_file(csv_bytes(rows))
        with CaptureQueriesContext(connection) as ctx:
            checked = check_rows(
                score_file=score_file, mapping=fall_orf, district=world.district, user=world.teacher
            )
        assert checked.total == n
        return len(ctx.captured_queries)

    queries(1)  # the teacher's memberships are read once per user object
    # students, measures, windows, school years, the schools' own window dates
    assert queries(3) == queries(300) == 5
