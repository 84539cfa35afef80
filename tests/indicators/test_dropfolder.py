"""The drop folder hands attendance, calendar and marks files to their importers, once each."""

from __future__ import annotations

import time

import pytest

from students.models_imports import DistrictImportSettings, ImportJob
from students.oneroster.dropfolder import drop_folder_sweep
from tests.indicators.helpers import calendar_csv

pytestmark = pytest.mark.django_db


def test_single_csv_files_are_queued_by_name(world, tmp_path, settings):
    settings.IMPORT_DROP_ROOT = str(tmp_path / "drop")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    folder = tmp_path / "drop" / "riverside"
    folder.mkdir(parents=True)
    (folder / "Attendance_2026-09-30.csv").write_bytes(b"student_id,date,status\n")
    (folder / "calendar.csv").write_bytes(calendar_csv("Maple Elementary"))
    (folder / "notes.txt").write_text("not for us")
    DistrictImportSettings.objects.create(
        district=world.district, drop_folder="riverside", enabled=True
    )
    later = time.time() + 3600
    jobs = drop_folder_sweep(now=later)
    assert sorted(j.kind for j in jobs) == ["attendance", "school_calendar"]
    assert all(j.source == ImportJob.Source.DROP_FOLDER for j in jobs)
    # The same files again: nothing new to import.
    assert drop_folder_sweep(now=later) == []
