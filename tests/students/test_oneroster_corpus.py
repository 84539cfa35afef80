"""The bad-input corpus: each broken upload gives its message and leaves the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from students.models import Student
from students.oneroster.importer import import_oneroster
from tests.factories import DistrictFactory
from tests.fixtures.oneroster.builder import riverside
from tests.fixtures.oneroster.corpus import CASES, Case, roster_counts


@pytest.fixture
def imported(db, tmp_path):
    """A district that already holds the Riverside roster."""
    district = DistrictFactory(name="Riverside Unified")
    first = import_oneroster(
        path=riverside("1.2").zip(tmp_path / "first.zip"),
        district=district,
        today=dt.date(2026, 9, 15),
    )
    assert first.committed
    return district


def test_it_has_at_least_fifteen_broken_inputs():
    assert len(CASES) >= 15
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("all_or_nothing", [True, False], ids=["all-or-nothing", "keep-valid"])
def test_it_reports_the_problem_and_changes_nothing(imported, tmp_path, case: Case, all_or_nothing):
    work = tmp_path / "work"
    work.mkdir()
    path = case.build(work)
    before = roster_counts()

    report = import_oneroster(
        path=path, district=imported, all_or_nothing=all_or_nothing, today=dt.date(2026, 9, 15)
    )

    messages = [report.refused] + [p["reason"] for p in report.rejected]
    assert any(case.message in m for m in messages), messages
    if case.where is not None:
        assert any(
            (p["file"], p["row"]) == case.where and case.message in p["reason"]
            for p in report.rejected
        ), report.rejected
    if all_or_nothing or report.refused:
        assert not report.committed
        assert roster_counts() == before
        assert not Student.objects.filter(sourced_id="stu-9").exists()


def test_it_never_writes_a_zip_slip_member_to_disk(imported, tmp_path):
    case = next(c for c in CASES if c.name == "zip slip")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)

    import_oneroster(path=case.build(work), district=imported)

    assert not (tmp_path / "escaped.csv").exists()
    assert not (tmp_path / "a" / "escaped.csv").exists()


def test_it_refuses_an_archive_that_unpacks_too_large(imported, tmp_path, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1000
    before = roster_counts()

    report = import_oneroster(path=riverside("1.2").zip(tmp_path / "big.zip"), district=imported)

    assert "would unpack to" in report.refused and "more than the 1,000 allowed" in report.refused
    assert roster_counts() == before


def test_it_lists_every_problem_of_a_set_not_only_the_first(imported, tmp_path):
    s = riverside("1.2")
    s.find("users.csv", "stu-1")["grades"] = "13"
    s.find("demographics.csv", "stu-2")["birthDate"] = "yesterday"
    s.find("enrollments.csv", "enr-cls-math7-stu-4")["classSourcedId"] = "cls-gone"

    report = import_oneroster(path=s.zip(tmp_path / "s.zip"), district=imported)

    files = sorted({p["file"] for p in report.rejected})
    assert files == ["demographics.csv", "enrollments.csv", "users.csv"]
    assert report.rejected_total >= 3
