"""Import jobs end to end: upload page, progress bar, report page, commands, API, the
student-group file, the drop folder with its e-mail, and a real Celery worker."""

from __future__ import annotations

import datetime as dt
import io
import os
import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from students.imports import JobProgress, import_job_create, job_run
from students.models import Student
from students.models_imports import DistrictImportSettings, ImportJob
from students.oneroster.dropfolder import drop_folder_sweep
from students.tasks import drop_folder_sweep as nightly_sweep
from students.tasks import import_job_run
from students.uploads import upload_store
from tests.factories import DistrictFactory, MembershipFactory, UserFactory
from tests.fixtures.oneroster.builder import riverside
from tests.fixtures.oneroster.corpus import roster_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, path, *, kind="oneroster", keep_valid=False):
    data = {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes())}
    if keep_valid:
        data["keep_valid"] = "on"
    return client.post(reverse("import_list"), data)


# -- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("district_admin", 200),
        ("principal", 403),
        ("teacher", 403),
        ("team_member", 403),
        ("nobody", 403),
    ],
)
def test_it_lets_only_district_administrators_import(client, world, persona, status):
    client.force_login(world.persona(persona))
    assert client.get(reverse("import_list")).status_code == status
    assert client.get(reverse("import_settings")).status_code == status


def test_it_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("import_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_uploads_a_roster_then_shows_progress_and_the_report(
    client, world, tmp_path, media, django_capture_on_commit_callbacks
):
    client.force_login(world.district_admin)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(client, riverside("1.2").zip(tmp_path / "roster.zip"))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "import_detail", args=[job.pk]
    )
    assert len(queued) == 1  # the Celery task goes out only after the upload is committed
    assert (job.status, job.kind, job.original_name, job.created_by) == (
        "queued",
        "oneroster",
        "roster.zip",
        world.district_admin,
    )
    assert job.file_path.startswith(str(media))
    page = client.get(response["Location"])
    assert b"Waiting for a worker" in page.content
    assert b'hx-trigger="every 1s"' in page.content

    job_run(job_id=job.pk)  # what the worker does

    fragment = client.get(reverse("import_progress", args=[job.pk]))
    assert b"hx-trigger" not in fragment.content  # finished: polling stops
    assert b"Read the report" in fragment.content
    assert b"users.csv" in fragment.content and b"11 of 11 rows" in fragment.content
    report = client.get(reverse("import_report", args=[job.pk]))
    assert report.status_code == 200
    text = report.content.decode()
    assert "Imported." in text and "Students" in text
    assert Student.objects.filter(sourced_id="stu-1", school=world.school).exists()  # Maple adopted


def test_it_shows_a_progress_bar_per_file_while_running(
    client, world, django_assert_max_num_queries
):
    job = import_job_create(
        district=world.district,
        kind="oneroster",
        file_path="/tmp/x.zip",
        created_by=world.district_admin,
    )
    job.status = "running"
    job.progress = {"orgs.csv": {"done": 3, "total": 3}, "users.csv": {"done": 1200, "total": 5000}}
    job.save()
    client.force_login(world.district_admin)

    with django_assert_max_num_queries(6):
        fragment = client.get(reverse("import_progress", args=[job.pk]))

    text = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in text
    assert 'aria-valuenow="24"' in text and "1200 of 5000 rows" in text  # 1200 / 5000 = 24 %
    assert 'aria-valuenow="100"' in text


def test_it_lists_every_rejected_row_on_the_report_and_in_csv(
    client, world, tmp_path, media, django_capture_on_commit_callbacks
):
    roster = riverside("1.2")
    roster.find("users.csv", "stu-2")["grades"] = "13"
    client.force_login(world.district_admin)
    with django_capture_on_commit_callbacks(execute=False):
        upload(client, roster.zip(tmp_path / "bad.zip"))
    job = job_run(job_id=ImportJob.objects.get().pk)

    assert job.status == "failed"
    text = client.get(reverse("import_report", args=[job.pk])).content.decode()
    assert "Nothing was imported:" in text
    assert "grade &#x27;13&#x27; is outside pre-K to 12" in text
    problems = client.get(reverse("import_problems_csv", args=[job.pk])).content.decode("utf-8-sig")
    assert problems.startswith("file,row,outcome,reason\r\n")
    # stu-2 is on row 7
    assert "users.csv,7,rejected (not imported),\"grade '13' is outside pre-K to 12" in problems


def test_it_lists_rejected_rows_apart_from_warnings(
    client, world, tmp_path, media, django_capture_on_commit_callbacks
):
    roster = riverside("1.2")
    roster.find("users.csv", "stu-2")["grades"] = "13"  # rejected, with the rows naming Liam
    roster.find("users.csv", "stu-4")["grades"] = ""  # imported: grade 7 from Noah's classes
    client.force_login(world.district_admin)
    with django_capture_on_commit_callbacks(execute=False):
        upload(client, roster.zip(tmp_path / "mixed.zip"), keep_valid=True)
    job = job_run(job_id=ImportJob.objects.get().pk)

    assert job.status == "succeeded"
    # Rejected: Liam's users.csv row, his enrollment and his demographics row.
    assert (job.report["rejected_total"], job.report["warnings_total"]) == (3, 1)
    text = client.get(reverse("import_report", args=[job.pk])).content.decode()
    assert "3 rows could not be used and were <strong>not imported</strong>" in text
    assert "1 row was imported with a note to check" in text
    assert "Rejected rows: not imported (3)" in text
    assert "Warnings: imported with a note (1)" in text
    assert "grade 7 was taken from the student&#x27;s classes" in text
    problems = client.get(reverse("import_problems_csv", args=[job.pk])).content.decode("utf-8-sig")
    outcomes = [line.split(",")[2] for line in problems.splitlines()[1:]]
    assert outcomes == ["rejected (not imported)"] * 3 + ["warning (imported with a note)"]


def test_it_imports_a_set_with_warnings_only_in_all_or_nothing_mode(
    world, tmp_path, media, django_capture_on_commit_callbacks
):
    roster = riverside("1.2")
    roster.find("users.csv", "stu-4")["grades"] = ""
    api = api_as(world.district_admin)
    with django_capture_on_commit_callbacks(execute=False):
        created = api.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("w.zip", roster.zip(tmp_path / "w.zip").read_bytes())},
            format="multipart",
        )
    job = job_run(job_id=created.json()["id"])

    assert (job.status, job.all_or_nothing) == ("succeeded", True)
    assert Student.objects.get(sourced_id="stu-4").grade == 7
    report = api.get(f"/api/v1/imports/{job.pk}/report/").json()
    assert (report["rejected_total"], report["warnings_total"]) == (0, 1)
    assert report["rejected"] == []
    assert report["warnings"][0]["message"].startswith("grades is blank; grade 7 was taken")
    assert report["summary"].endswith(
        "0 rejected rows (not imported), 1 warnings (imported with a note)."
    )


def test_it_refuses_a_file_of_the_wrong_type_on_the_form(client, world, tmp_path):
    client.force_login(world.district_admin)
    path = tmp_path / "roster.csv"
    path.write_text("sourcedId\n")

    response = upload(client, path)

    assert response.status_code == 200
    assert "roster.csv is not a .zip file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_hides_other_districts_jobs(client, world):
    other = DistrictFactory()
    job = import_job_create(district=other, kind="oneroster", file_path="/tmp/x.zip")
    client.force_login(world.district_admin)

    assert client.get(reverse("import_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("import_report", args=[job.pk])).status_code == 404


def test_it_saves_drop_folder_settings_inside_the_drop_root(client, world, settings, tmp_path):
    settings.IMPORT_DROP_ROOT = tmp_path
    client.force_login(world.district_admin)

    bad = client.post(reverse("import_settings"), {"enabled": "on", "drop_folder": "../../etc"})
    assert "is not a folder inside" in bad.content.decode()
    client.post(reverse("import_settings"), {"enabled": "on", "drop_folder": "riverside"})

    config = DistrictImportSettings.objects.get(district=world.district)
    assert (config.enabled, config.drop_folder) == (True, "riverside")


# -- progress through a second connection -------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_makes_progress_visible_while_the_import_transaction_is_open(tmp_path):
    district = DistrictFactory()
    job = import_job_create(
        district=district, kind="oneroster", file_path=str(riverside("1.2").zip(tmp_path / "s.zip"))
    )
    seen_from_outside: list[dict] = []
    writer = JobProgress(job.pk, interval=0)
    observer = connections.create_connection("default")

    def progress(file: str, done: int, total: int) -> None:
        writer(file, done, total)
        if file == "enrollments.csv" and done == total:
            with observer.cursor() as cursor:  # another session, as the progress page is
                cursor.execute("SELECT progress FROM students_importjob WHERE id = %s", [job.pk])
                seen_from_outside.append(cursor.fetchone()[0])

    try:
        job_run(job_id=job.pk, progress=progress)
    finally:
        writer.close()
        observer.close()

    progress_seen = seen_from_outside[-1]
    if isinstance(progress_seen, str):
        import json

        progress_seen = json.loads(progress_seen)
    assert progress_seen["users.csv"] == {"done": 11, "total": 11}
    assert progress_seen["enrollments.csv"] == {"done": 11, "total": 11}
    assert ImportJob.objects.get(pk=job.pk).status == "succeeded"


# -- commands ------------------------------------------------------------------------


def test_it_imports_from_the_command_line_with_a_progress_bar(tmp_path, db):
    district = DistrictFactory(name="Riverside Unified")
    folder = riverside("1.1").write(tmp_path / "set")
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_oneroster", str(folder), "--district", str(district.pk), stdout=out, stderr=err
    )

    assert (
        "users.csv              [##############################]        11/11 rows 100.0%"
        in err.getvalue()
    )
    assert "Imported into Riverside Unified" in out.getvalue()
    assert ImportJob.objects.get().source == "command"
    assert Student.objects.filter(district=district).count() == 6


def test_it_exits_with_an_error_when_nothing_was_imported(tmp_path, db):
    district = DistrictFactory()
    roster = riverside("1.2")
    roster.find("users.csv", "stu-1")["grades"] = "UG"
    before = roster_counts()

    with pytest.raises(CommandError, match="Nothing imported"):
        call_command(
            "import_oneroster",
            str(roster.zip(tmp_path / "s.zip")),
            "--district",
            str(district.pk),
            "--quiet",
            stdout=io.StringIO(),
        )

    assert roster_counts() == before


def test_it_creates_the_district_from_the_set_on_an_empty_platform(tmp_path, db):
    call_command(
        "import_oneroster",
        str(riverside("1.2").zip(tmp_path / "s.zip")),
        "--quiet",
        stdout=io.StringIO(),
    )

    assert Student.objects.get(sourced_id="stu-1").district.name == "Riverside Unified"


# -- student groups ------------------------------------------------------------------


@pytest.fixture
def rostered(db, tmp_path):
    district = DistrictFactory()
    assert (
        job_run(
            job_id=import_job_create(
                district=district,
                kind="oneroster",
                file_path=str(riverside("1.2").zip(tmp_path / "r.zip")),
            ).pk
        ).status
        == "succeeded"
    )
    return district


def groups_file(tmp_path, text: str):
    path = tmp_path / "groups.csv"
    path.write_text(text)
    return str(path)


def test_it_sets_student_groups_from_the_supplementary_file(rostered, tmp_path):
    path = groups_file(
        tmp_path,
        "sourcedId,english_learner,iep,section_504,economically_disadvantaged\n"
        "stu-1,Y,N,no,yes\n"
        "stu-2,true,1,,FALSE\n"
        "stu-3,n,0,1,\n",
    )
    out = io.StringIO()

    call_command(
        "import_student_groups", path, "--district", str(rostered.pk), "--quiet", stdout=out
    )

    flags = {
        s.sourced_id: (s.english_learner, s.iep, s.section_504, s.economically_disadvantaged)
        for s in Student.objects.filter(sourced_id__in=["stu-1", "stu-2", "stu-3"])
    }
    assert flags == {
        "stu-1": (True, False, False, True),
        "stu-2": (True, True, False, False),  # blank 504 left as it was (False)
        "stu-3": (False, False, True, False),
    }
    again = job_run(
        job_id=import_job_create(district=rostered, kind="student_groups", file_path=path).pk
    )
    assert again.report["totals"]["updated"] == 0 and again.report["totals"]["unchanged"] == 3


def test_it_rejects_unreadable_group_values_and_unknown_students(rostered, tmp_path):
    path = groups_file(tmp_path, "sourcedId,iep\nstu-1,Y\nstu-2,maybe\nstu-404,N\n")

    job = job_run(
        job_id=import_job_create(district=rostered, kind="student_groups", file_path=path).pk
    )

    assert job.status == "failed"
    assert job.report["rejected"] == [
        {
            "file": "groups.csv",
            "row": 3,
            "reason": "iep 'maybe' is not true or false (also accepted: Y/N, yes/no, 1/0)",
        },
        {
            "file": "groups.csv",
            "row": 4,
            "reason": f"there is no student with sourcedId 'stu-404' in {rostered.name}",
        },
    ]
    assert not Student.objects.get(sourced_id="stu-1").iep  # all or nothing


def test_it_refuses_a_group_file_without_any_group_column(rostered, tmp_path):
    path = groups_file(tmp_path, "sourcedId,shoe_size\nstu-1,38\n")

    job = job_run(
        job_id=import_job_create(district=rostered, kind="student_groups", file_path=path).pk
    )

    assert (
        "has none of the columns english_learner, iep, section_504, economically_disadvantaged"
        in job.error
    )


# -- API ------------------------------------------------------------------------------


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_it_accepts_an_upload_through_the_api_and_reports_progress(
    world, tmp_path, media, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    api = api_as(world.district_admin)
    path = riverside("1.2").zip(tmp_path / "api.zip")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        created = api.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("api.zip", path.read_bytes()), "kind": "oneroster"},
            format="multipart",
        )
    assert created.status_code == 202, created.content
    assert len(queued) == 1
    job_id = created.json()["id"]
    assert created.json()["status"] == "queued"
    assert api.get(f"/api/v1/imports/{job_id}/report/").status_code == 409

    job_run(job_id=job_id)

    status = api.get(f"/api/v1/imports/{job_id}/").json()
    assert status["status"] == "succeeded"
    assert status["progress"]["enrollments.csv"] == {"done": 11, "total": 11}
    report = api.get(f"/api/v1/imports/{job_id}/report/").json()
    assert report["committed"] is True
    assert report["counts"]["students"]["created"] == 6
    with django_assert_max_num_queries(6):
        listing = api.get("/api/v1/imports/")
    assert [j["id"] for j in listing.json()["results"]] == [job_id]


@pytest.mark.parametrize("persona", ["principal", "teacher", "nobody"])
def test_it_refuses_api_uploads_from_anyone_but_district_administrators(world, tmp_path, persona):
    api = api_as(world.persona(persona))
    path = riverside("1.2").zip(tmp_path / "api.zip")

    response = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile(path.name, path.read_bytes())},
        format="multipart",
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Only district administrators can import data."
    assert api.get("/api/v1/imports/").json()["results"] == []


# -- drop folder ------------------------------------------------------------------------


@pytest.fixture
def drop(tmp_path, settings, media):
    settings.IMPORT_DROP_ROOT = tmp_path / "drop"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    folder = settings.IMPORT_DROP_ROOT / "riverside"
    folder.mkdir(parents=True)
    return folder


def test_it_imports_a_new_drop_folder_set_once_and_emails_the_report(
    world, drop, django_capture_on_commit_callbacks
):
    world.district_admin.email = "khan@riverside.example"
    world.district_admin.save()
    DistrictImportSettings.objects.create(
        district=world.district, drop_folder="riverside", enabled=True
    )
    path = riverside("1.2").zip(drop / "nightly.zip")
    os.utime(path, (time.time() - 600, time.time() - 600))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        jobs = drop_folder_sweep()
    assert len(jobs) == 1 and len(queued) == 1
    import_job_run(jobs[0].pk)  # what the worker runs

    assert Student.objects.filter(sourced_id="stu-1").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # Both district administrators: the persona, and Alex Khan whom the roster just added.
    assert message.to == ["alex.khan@example.org", "khan@riverside.example"]
    assert message.subject == f"Roster import done: nightly.zip ({world.district.name})"
    assert (
        "Created " in message.body and reverse("import_report", args=[jobs[0].pk]) in message.body
    )
    assert drop_folder_sweep() == []  # the same set is not imported twice
    import_job_run(jobs[0].pk)  # a redelivered message: no second run, no second e-mail
    assert len(mail.outbox) == 1


def test_it_leaves_a_file_still_being_written_for_the_next_night(world, drop):
    DistrictImportSettings.objects.create(
        district=world.district, drop_folder="riverside", enabled=True
    )
    riverside("1.2").zip(drop / "being-written.zip")  # modified just now

    assert drop_folder_sweep() == []


def test_it_emails_when_a_drop_folder_set_is_refused(
    world, drop, django_capture_on_commit_callbacks
):
    world.district_admin.email = "khan@riverside.example"
    world.district_admin.save()
    DistrictImportSettings.objects.create(
        district=world.district, drop_folder="riverside", enabled=True
    )
    bad = drop / "broken.zip"
    bad.write_bytes(b"not a zip")
    os.utime(bad, (time.time() - 600, time.time() - 600))
    with django_capture_on_commit_callbacks(execute=False):
        (job,) = drop_folder_sweep()

    import_job_run(job.pk)

    assert mail.outbox[0].subject.startswith("Roster import NOT imported: broken.zip")
    assert "broken.zip is not a zip file that can be opened" in mail.outbox[0].body


def test_it_deletes_the_uploads_of_imports_finished_long_ago_in_the_nightly_sweep(
    world, media, settings, tmp_path
):
    settings.IMPORT_UPLOAD_RETENTION_DAYS = 30
    now = timezone.now()
    long_ago = time.time() - 60 * 86400

    def job_with(path, status, finished_days_ago):
        job = import_job_create(district=world.district, kind="oneroster", file_path=path)
        finished = None if finished_days_ago is None else now - dt.timedelta(finished_days_ago)
        ImportJob.objects.filter(pk=job.pk).update(status=status, finished_at=finished)
        return path

    old = job_with(upload_store(name="old.zip", chunks=[b"x"]), "succeeded", 31)
    old_failed = job_with(upload_store(name="old-failed.zip", chunks=[b"x"]), "failed", 45)
    recent = job_with(upload_store(name="recent.zip", chunks=[b"x"]), "succeeded", 29)
    waiting = job_with(upload_store(name="waiting.zip", chunks=[b"x"]), "queued", None)
    os.utime(waiting.parent, (long_ago, long_ago))  # queued for ages (broker down): kept
    orphan = upload_store(name="orphan.zip", chunks=[b"x"])  # its job was never created
    os.utime(orphan.parent, (long_ago, long_ago))
    fresh_orphan = upload_store(name="fresh.zip", chunks=[b"x"])
    own = tmp_path / "district-export.zip"  # a command run on the district's own file
    own.write_bytes(b"x")
    job_with(own, "succeeded", 90)

    nightly_sweep()

    assert not old.parent.exists() and not old_failed.parent.exists()
    assert not orphan.parent.exists()
    assert recent.exists() and waiting.exists() and fresh_orphan.exists()
    assert own.exists()
    assert ImportJob.objects.count() == 5  # the jobs and their reports stay


def test_it_schedules_the_nightly_sweep_with_celery_beat(db):
    task = PeriodicTask.objects.get(task="students.tasks.drop_folder_sweep")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("2", "30")


# -- a real Celery worker ---------------------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_runs_an_uploaded_import_on_a_real_celery_worker(tmp_path, settings):
    from celery.contrib.testing.worker import start_worker

    from mtss.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    district = DistrictFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, role="district_admin", school=None, district=district)
    api = api_as(admin)
    path = riverside("1.2").zip(tmp_path / "worker.zip")
    app.control.purge()

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        created = api.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile(path.name, path.read_bytes())},
            format="multipart",
        )
        job_id = created.json()["id"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = ImportJob.objects.get(pk=job_id)
            if job.is_finished:
                break
            time.sleep(0.2)

    assert job.status == "succeeded", job.error
    assert job.progress["users.csv"] == {"done": 11, "total": 11}
    assert Student.objects.filter(district=district).count() == 6


def test_it_keeps_the_import_pages_to_a_few_queries(client, world, django_assert_max_num_queries):
    for _ in range(5):
        job = import_job_create(
            district=world.district,
            kind="oneroster",
            file_path="/tmp/x.zip",
            created_by=world.district_admin,
        )
    job.status = "failed"
    job.report = {
        "rejected": [{"file": "users.csv", "row": n, "reason": "bad"} for n in range(2, 300)],
        "rejected_total": 298,
    }
    job.save()
    client.force_login(world.district_admin)

    with django_assert_max_num_queries(8):
        listing = client.get(reverse("import_list"))
    with django_assert_max_num_queries(8):
        report = client.get(reverse("import_report", args=[job.pk]))

    assert listing.content.decode().count("Nothing imported") == 1
    assert "Page 1 of 2" in report.content.decode()  # 298 problems, 200 a page


# -- admin ------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_it_lists_import_jobs_read_only_in_the_admin(client, world, superuser):
    job = import_job_create(
        district=world.district,
        kind="oneroster",
        file_path="/tmp/x.zip",
        created_by=world.district_admin,
    )
    job.status = "running"
    job.progress = {"users.csv": {"done": 1200, "total": 5000}, "orgs.csv": {"done": 3, "total": 3}}
    job.report = {"rejected_total": 2, "warnings_total": 7}
    job.save()
    client.force_login(superuser)

    listing = client.get(reverse("admin:students_importjob_changelist")).content.decode()

    assert "1,203 / 5,003" in listing  # rows done / total over both files
    assert "2 / 7" in listing  # rejected / warnings
    assert world.district_admin.username in listing
    change_url = reverse("admin:students_importjob_change", args=[job.pk])
    assert client.get(change_url).status_code == 200  # viewable ...
    assert client.post(change_url, {"status": "failed"}).status_code == 403  # ... not editable
    assert client.get(reverse("admin:students_importjob_add")).status_code == 403
    job.refresh_from_db()
    assert job.status == "running"


def test_it_keeps_admin_drop_folders_inside_the_drop_root(
    client, world, superuser, settings, tmp_path
):
    settings.IMPORT_DROP_ROOT = tmp_path
    client.force_login(superuser)
    url = reverse("admin:students_districtimportsettings_add")
    data = {"district": world.district.pk, "enabled": "on", "keep_valid_rows": ""}

    refused = client.post(url, data | {"drop_folder": "../../etc"})
    saved = client.post(url, data | {"drop_folder": "riverside"})

    assert "is not a folder inside" in refused.content.decode()
    assert saved.status_code == 302
    assert DistrictImportSettings.objects.get().drop_folder == "riverside"
