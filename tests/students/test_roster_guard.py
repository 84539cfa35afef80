"""The roster import may not empty a district by accident: the mass-deactivation guard,
another district's set refused whole, one district per drop folder, and imports that
import nothing leaving nothing behind."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse

from students.imports import import_job_create, job_run
from students.models import AccessLog, District, Membership, Role, Section, Student
from students.models_imports import DistrictImportSettings, ImportJob
from students.oneroster.dropfolder import drop_folder_sweep, report_email_send
from students.oneroster.guard import exceeds
from students.oneroster.importer import import_oneroster
from tests.factories import PASSWORD, DistrictFactory, UserFactory
from tests.fixtures.oneroster.builder import riverside

pytestmark = pytest.mark.django_db

SAMPLES = Path("/work/shared/data/oneroster")
TODAY = dt.date(2026, 9, 15)


def run(path, district, **kw):
    return import_oneroster(path=path, district=district, today=TODAY, **kw)


def roster_state(district) -> tuple:
    return (
        sorted(Student.objects.filter(district=district).values_list("sourced_id", "active")),
        sorted(
            Section.objects.filter(school__district=district).values_list("sourced_id", "active")
        ),
        Membership.objects.filter(district=district).count(),
    )


def other_district(size: int = 30):
    """A generated bulk set of another district: its own district org, school and students."""
    roster = riverside("1.2")
    for r in roster.rows["orgs.csv"]:
        if r["sourcedId"] == "dst-1":
            r["sourcedId"], r["name"] = "dst-hill", "Hillcrest County Schools"
        elif r.get("parentSourcedId") == "dst-1":
            r["parentSourcedId"] = "dst-hill"
    for n in range(size):
        roster.add(
            "users.csv",
            sourcedId=f"hill-stu-{n}",
            enabledUser="true",
            username=f"hill{n}",
            givenName=f"Hill{n}",
            familyName="Student",
            identifier=f"H{n:04d}",
            grades="03",
            primaryOrgSourcedId="sch-maple",
        )
        roster.add(
            "roles.csv",
            sourcedId=f"hill-role-{n}",
            userSourcedId=f"hill-stu-{n}",
            roleType="primary",
            role="student",
            orgSourcedId="sch-maple",
        )
    return roster


@pytest.fixture
def district(db, tmp_path) -> District:
    district = DistrictFactory(name="Riverside Unified")
    report = run(riverside("1.2").zip(tmp_path / "first.zip"), district)
    assert report.committed, report.rejected
    return district


def test_share_rule():
    assert not exceeds(1, 10, 0.10)  # exactly 10% passes
    assert exceeds(2, 10, 0.10)
    assert not exceeds(0, 0, 0.10)


@pytest.mark.parametrize(
    "sample", ["Test_full_data_set.zip", "Test_minimal_data_set.zip", "oneroster_test_data.zip"]
)
def test_shared_samples_with_keep_valid_rows_never_empty_a_district(district, sample):
    """The third-party samples are tiny bulk sets: imported over a real district with
    "import the rows that are fine" ticked, they would deactivate everyone they leave out."""
    before = roster_state(district)

    report = run(SAMPLES / sample, district, all_or_nothing=False)

    if sample == "oneroster_test_data.zip":
        # A delta set changes only what it names: its one student is added, nobody goes.
        assert report.committed and report.total("deactivated") == 0
        assert "guard" not in report.meta
        return
    assert roster_state(district) == before
    assert not report.committed
    guard = report.meta["guard"]
    students = next(k for k in guard["kinds"] if k["kind"] == "students")
    assert (students["active"], students["deactivated"], students["over"]) == (6, 6, True)
    assert "Ada" in " ".join(students["sample"]) or students["sample"]
    assert report.summary().startswith("Nothing was changed: this import would deactivate 6 of 6")


def test_a_generated_other_district_set_is_refused_whole_even_with_keep_valid_rows(
    district, tmp_path
):
    before = roster_state(district)

    report = run(other_district().zip(tmp_path / "hill.zip"), district, all_or_nothing=False)

    assert not report.committed
    assert "refused as a whole" in report.refused
    assert "Hillcrest County Schools" in report.refused
    assert roster_state(district) == before
    assert not Student.objects.filter(sourced_id__startswith="hill-").exists()


def test_a_confirmed_import_may_deactivate_past_the_guard(district, tmp_path):
    smaller = riverside("1.2")
    for sid in ("stu-5", "stu-6"):
        smaller.remove("users.csv", sid)
        smaller.rows["roles.csv"] = [
            r for r in smaller.rows["roles.csv"] if r["userSourcedId"] != sid
        ]
        smaller.rows["enrollments.csv"] = [
            r for r in smaller.rows["enrollments.csv"] if r["userSourcedId"] != sid
        ]
        smaller.rows["demographics.csv"] = [
            r for r in smaller.rows["demographics.csv"] if r["sourcedId"] != sid
        ]
    path = smaller.zip(tmp_path / "smaller.zip")

    held = run(path, district)
    assert not held.committed and held.meta["guard"]["over"]
    assert Student.objects.filter(district=district, active=True).count() == 6

    done = run(path, district, deactivation_confirmed=True)
    assert done.committed
    assert Student.objects.filter(district=district, active=True).count() == 4


@pytest.fixture
def admin(district):
    user = UserFactory(username="khan", email="khan@riverside.example")
    Membership.objects.create(user=user, role=Role.DISTRICT_ADMIN, district=district)
    return user


def held_job(district, tmp_path, admin, source=ImportJob.Source.UPLOAD) -> ImportJob:
    job = import_job_create(
        district=district,
        kind=ImportJob.Kind.ONEROSTER,
        file_path=SAMPLES / "Test_full_data_set.zip",
        all_or_nothing=False,
        created_by=admin,
        source=source,
    )
    return job_run(job_id=job.pk)


def test_the_report_page_shows_the_preview_and_asks_for_password_and_reason(
    client, district, admin, tmp_path, django_capture_on_commit_callbacks
):
    job = held_job(district, tmp_path, admin)
    assert job.status == ImportJob.Status.FAILED
    client.force_login(admin)

    page = client.get(reverse("import_report", args=[job.pk])).content.decode()
    assert "Nothing was changed: this import is waiting for a confirmation." in page
    assert "What it would deactivate" in page
    assert "Import and deactivate these records" in page
    assert "ticked" not in page

    wrong = client.post(
        reverse("import_confirm", args=[job.pk]), {"password": "nope", "reason": "new year"}
    )
    assert wrong.status_code == 302
    assert ImportJob.objects.count() == 1
    no_reason = client.post(reverse("import_confirm", args=[job.pk]), {"password": PASSWORD})
    assert no_reason.status_code == 302 and ImportJob.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=False):
        ok = client.post(
            reverse("import_confirm", args=[job.pk]),
            {"password": PASSWORD, "reason": "Switching to the new SIS"},
        )
        again = client.post(
            reverse("import_confirm", args=[job.pk]),
            {"password": PASSWORD, "reason": "Switching to the new SIS"},
        )
    confirmed = ImportJob.objects.exclude(pk=job.pk).get()  # the double submit made one job
    assert ok["Location"] == reverse("import_detail", args=[confirmed.pk])
    assert again.status_code == 302
    assert confirmed.options["confirmation_reason"] == "Switching to the new SIS"
    log = AccessLog.objects.get(object_type="roster_deactivation_confirmed")
    assert (log.user, log.purpose) == (admin, "Switching to the new SIS")

    confirmed = job_run(job_id=confirmed.pk)
    assert confirmed.status == ImportJob.Status.SUCCEEDED, confirmed.error
    assert not Student.objects.filter(district=district, sourced_id__startswith="stu-", active=True)


def test_only_the_districts_administrators_may_confirm(client, district, admin, tmp_path):
    job = held_job(district, tmp_path, admin)
    teacher = UserFactory()
    Membership.objects.create(
        user=teacher, role=Role.TEACHER, district=district, school=district.schools.first()
    )
    client.force_login(teacher)
    response = client.post(
        reverse("import_confirm", args=[job.pk]), {"password": PASSWORD, "reason": "x"}
    )
    assert response.status_code in (403, 404)
    assert ImportJob.objects.count() == 1


def test_the_drop_folder_reports_and_waits(district, admin, settings, tmp_path):
    settings.IMPORT_DROP_ROOT = tmp_path / "drop"
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = settings.IMPORT_DROP_ROOT / "riverside"
    folder.mkdir(parents=True)
    DistrictImportSettings.objects.create(
        district=district, drop_folder="riverside", enabled=True, keep_valid_rows=True
    )
    path = folder / "nightly.zip"
    path.write_bytes((SAMPLES / "Test_full_data_set.zip").read_bytes())
    os.utime(path, (time.time() - 600, time.time() - 600))
    before = roster_state(district)

    (job,) = drop_folder_sweep()
    job = job_run(job_id=job.pk)
    report_email_send(job)

    assert job.status == ImportJob.Status.FAILED
    assert roster_state(district) == before
    assert "waits for a district administrator to confirm it" in mail.outbox[-1].body
    assert drop_folder_sweep() == []  # the same set is not tried again every night


def test_a_drop_folder_belongs_to_one_district(client, district, admin, settings, tmp_path):
    settings.IMPORT_DROP_ROOT = tmp_path
    other = DistrictFactory(name="Hillcrest")
    DistrictImportSettings.objects.create(district=other, drop_folder="nightly", enabled=True)
    client.force_login(admin)

    for name in ("nightly", "./nightly", "nightly/"):
        page = client.post(
            reverse("import_settings"), {"enabled": "on", "drop_folder": name}
        ).content.decode()
        assert "That folder belongs to another district." in page
        assert "Hillcrest" not in page
    assert not DistrictImportSettings.objects.filter(district=district).exists()

    with pytest.raises(IntegrityError):
        DistrictImportSettings.objects.create(district=district, drop_folder="nightly")


def test_the_sweep_skips_a_folder_two_districts_name(district, settings, tmp_path):
    settings.IMPORT_DROP_ROOT = tmp_path / "drop"
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.IMPORT_DROP_ROOT / "shared").mkdir(parents=True)
    path = riverside("1.2").zip(settings.IMPORT_DROP_ROOT / "shared" / "set.zip")
    os.utime(path, (time.time() - 600, time.time() - 600))
    other = DistrictFactory(name="Hillcrest")
    DistrictImportSettings.objects.create(district=district, drop_folder="shared", enabled=True)
    # Saved before the rule (or through a path the constraint cannot compare).
    DistrictImportSettings.objects.create(district=other, drop_folder="./shared", enabled=True)

    assert drop_folder_sweep() == []


def test_a_rolled_back_summary_says_nothing_changed(district, tmp_path):
    broken = riverside("1.2")
    broken.add(
        "enrollments.csv",
        sourcedId="enr-bad",
        classSourcedId="cls-nowhere",
        schoolSourcedId="sch-maple",
        userSourcedId="stu-1",
        role="student",
    )
    report = run(broken.zip(tmp_path / "broken.zip"), district)

    assert not report.committed
    assert report.summary().startswith("Nothing imported, nothing changed (1 rows have problems)")


def test_an_import_that_imports_nothing_creates_no_district(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_oneroster", str(SAMPLES / "Test_minimal_data_set.zip"), "--quiet")
    assert not District.objects.exists()
    assert not ImportJob.objects.exists()
