"""`manage.py import_scores`: the same import, run synchronously, with a progress line."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from screening.models import ScreeningScore
from students.models_imports import ImportJob
from tests.fixtures.scores.corpus import csv_bytes

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_scores", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def vendor_file(tmp_path, world):
    path = tmp_path / "winter.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Student", "Pupil Number", "WCPM", "Accuracy"],
                ["Garcia", world.student.local_id, "88", "97%"],
                ["Smith", world.classmate.local_id, "61", "90%"],
            ]
        )
    )
    return path


def test_it_imports_with_a_mapping_a_measure_and_a_season(vendor_file, world, screening):
    out, err = run(
        str(vendor_file),
        "--measure",
        "district-orf",
        "--season",
        "winter",
        "--year",
        "2026-27",
        "--mapping",
        "student=Pupil Number,score=WCPM",
    )
    job = ImportJob.objects.get()
    assert out.splitlines()[0] == (
        f"Import job #{job.pk}: winter.csv into Riverside Unified (as the platform), all or nothing"
    )
    assert "Checking rows: 2 / 2" in out
    assert "Saving scores: 2 / 2" in out
    assert "Imported: 2 new, 0 changed, 0 unchanged; 0 rows without a score skipped; 0 rows " in out
    assert err == ""
    assert job.source == ImportJob.Source.COMMAND
    assert sorted(ScreeningScore.objects.values_list("student_id", "window_id", "score")) == sorted(
        [
            (world.student.pk, screening.winter.pk, Decimal("88.00")),
            (world.classmate.pk, screening.winter.pk, Decimal("61.00")),
        ]
    )


def test_it_lists_the_bad_rows_and_fails_when_all_or_nothing(vendor_file, world, screening):
    with pytest.raises(CommandError) as exc:
        run(
            str(vendor_file),
            "--measure",
            "district-orf",
            "--window",
            str(screening.winter.pk),
            "--mapping",
            "student=Pupil Number,score=Accuracy",
        )
    job = ImportJob.objects.get()
    assert str(exc.value) == (
        "Nothing imported, nothing changed (2 rows have problems); had it been imported: 0 created, 0 updated, 0 deactivated, "
        "0 unchanged, 2 rejected"
    )
    assert job.status == ImportJob.Status.FAILED
    assert ScreeningScore.objects.count() == 0


def test_it_writes_the_rejects_to_stderr_and_keeps_the_valid_rows(tmp_path, world, screening):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        csv_bytes([["Student ID", "Score"], [world.student.local_id, "70"], ["NOPE-9", "12"]])
    )
    out, err = run(
        str(path),
        "--measure",
        "district-orf",
        "--season",
        "fall",
        "--keep-valid",
        "--user",
        world.district_admin.username,
    )
    assert err == "Row 3: There is no student with ID 'NOPE-9' in Riverside Unified.\n"
    assert (
        "Imported: 1 new, 0 changed, 0 unchanged; 0 rows without a score skipped; 1 rows rejected."
        in out
    )
    assert ScreeningScore.objects.get().entered_by_id == world.district_admin.pk


def test_it_acts_as_the_user_it_is_given(tmp_path, world, screening):
    path = tmp_path / "t.csv"
    path.write_bytes(csv_bytes([["Student ID", "Score"], [world.other_student.local_id, "70"]]))
    with pytest.raises(CommandError):
        run(str(path), "--measure", "district-orf", "--season", "fall", "--user", "teacher")
    assert ScreeningScore.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--measure", "nope", "--season", "fall"],
            "Riverside Unified has no active screening measure with code 'nope'.",
        ),
        (
            ["--measure", "district-orf", "--season", "fall", "--year", "1999-2000"],
            "Riverside Unified has no school year '1999-2000'.",
        ),
        (
            ["--measure", "district-orf", "--window", "999999"],
            "Riverside Unified has no screening window 999999.",
        ),
        (
            ["--measure", "district-orf", "--season", "fall", "--mapping", "pupil=Student"],
            "--mapping: Unknown role 'pupil'. Use: date, id, measure, score, season, student, "
            "window, year.",
        ),
        (
            [
                "--measure",
                "district-orf",
                "--season",
                "fall",
                "--mapping",
                "student=Pupil Number,score=Marks",
            ],
            "The file has no column named 'Marks' (for the score). Its columns are: 'Student', "
            "'Pupil Number', 'WCPM', 'Accuracy'.",
        ),
        (
            ["--season", "fall"],
            "Choose the column that holds the student ID. Choose the measure column, or one "
            "measure for the whole file.",
        ),
        (
            ["--measure", "district-orf", "--season", "fall", "--user", "interventionist"],
            "interventionist may not import screening scores.",
        ),
    ],
)
def test_it_explains_what_is_wrong_with_the_command(vendor_file, world, screening, args, message):
    with pytest.raises(CommandError) as exc:
        run(str(vendor_file), *args)
    assert str(exc.value) == message
    assert ScreeningScore.objects.count() == 0


def test_it_refuses_an_unreadable_file_by_name(tmp_path, world, screening):
    path = tmp_path / "book.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError) as exc:
        run(str(path), "--measure", "district-orf", "--season", "fall")
    assert str(exc.value) == (
        "book.csv: The file is empty (0 bytes). Export the scores again and upload."
    )
