"""seed_demo --districts: several demo districts in one database (a state deployment), each
planned on its own, and none of them able to see another's students."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.test import Client

from decisions.models import Flag, RuleRun
from decisions.sweep import sweep
from students.demo import seed_demo
from students.demo.districts import district_name, district_seed
from students.models import District, Membership, Role, School, SchoolYear, Student, User
from students.selectors import students_visible_to

PASSWORD = "demo1234!"
STUDENTS = 200
AS_OF_DAY = "2026-12-01"


def seed(districts: int = 2, students: int = STUDENTS, seed: int = 7) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo",
        f"--districts={districts}",
        f"--students={students}",
        f"--seed={seed}",
        stdout=out,
    )
    return out.getvalue()


def student_rows(district: District) -> list[tuple]:
    return list(
        Student.objects.filter(district=district)
        .order_by("local_id")
        .values_list("local_id", "first_name", "last_name", "grade", "birth_date", "sex")
    )


def test_the_seed_of_each_district_depends_on_the_base_seed_and_its_number_only():
    # District 1 is the single demo district; the others: CRC-32 of "<seed>:district-<n>",
    # worked out once by hand with python -c 'import zlib; print(zlib.crc32(b"2026:district-2"))'.
    assert district_seed(2026, 1) == 2026
    assert district_seed(2026, 2) == 481973325
    assert district_seed(2026, 3) == 1807574235
    assert district_name("Cedar Valley (demo)", 1) == "Cedar Valley (demo)"
    assert district_name("Cedar Valley (demo)", 2) == "Birch Creek School District (demo)"
    assert district_name("x", 14) == "Birch Creek School District 2 (demo)"


def test_each_district_gets_its_own_schools_staff_students_and_logins(db):
    output = seed(districts=2)
    assert "2 demo districts, 400 students" in output
    first, second = District.objects.order_by("pk")
    assert (first.name, second.name) == (
        "Cedar Valley School District (demo)",
        "Birch Creek School District (demo)",
    )
    assert first.sourced_id == "demo-district-7"
    assert second.sourced_id == f"demo-district-{district_seed(7, 2)}-d2"
    for district in (first, second):
        assert Student.objects.filter(district=district).count() == STUDENTS
        assert SchoolYear.objects.filter(district=district, is_current=True).count() == 1
    # Every membership of a district's staff points at that district and its own schools.
    for m in Membership.objects.select_related("school"):
        assert m.school is None or m.school.district_id == m.district_id
    # Students sit in their own district's schools.
    assert not Student.objects.exclude(school__district_id=F("district_id")).exists()
    # The demo logins of district 2 carry its number; only district 1 has the superuser.
    client = Client()
    for username in ("teacher-d2", "district-d2", "team-d2", "principal-d2", "interventionist-d2"):
        assert client.login(request=HttpRequest(), username=username, password=PASSWORD)
    assert User.objects.filter(is_superuser=True).count() == 1
    assert not User.objects.filter(username="admin-d2").exists()
    district_admin_2 = Membership.objects.get(user__username="district-d2")
    assert (district_admin_2.role, district_admin_2.district_id) == (Role.DISTRICT_ADMIN, second.pk)
    # Generated staff of district 2 are named with its suffix and sourcedIds of their own.
    staff_2 = User.objects.filter(memberships__district=second)
    assert all(u.username.endswith("-d2") for u in staff_2)
    assert all(u.sourced_id.startswith("demo-staff-d2-") for u in staff_2)
    # Each district was swept once by the demo step, on its own.
    assert sorted(RuleRun.objects.values_list("district_id", flat=True)) == [first.pk, second.pk]


def test_each_district_is_the_same_whatever_comes_before_it(db):
    # Each district loaded alone (in a savepoint rolled back), then both together: same rows.
    alone = {}
    for number, name in ((1, "Cedar Valley School District (demo)"), (2, "Alone (demo)")):
        with transaction.atomic():
            ctx = seed_demo(
                students=STUDENTS, seed=district_seed(7, number), district_name=name, number=number
            )
            alone[number] = (student_rows(ctx.district), staff_rows(ctx.district))
            transaction.set_rollback(True)
    seed(districts=2)
    first, second = District.objects.order_by("pk")
    assert (student_rows(first), staff_rows(first)) == alone[1]
    assert (student_rows(second), staff_rows(second)) == alone[2]
    assert student_rows(first) != student_rows(second)


def staff_rows(district: District) -> list[tuple]:
    return sorted(
        User.objects.filter(memberships__district=district).values_list(
            "username", "sourced_id", "first_name", "last_name"
        )
    )


def test_no_user_sees_another_districts_students_or_pages(db):
    seed(districts=2)
    first, second = District.objects.order_by("pk")
    for username, district in (
        ("district", first),
        ("district-d2", second),
        ("teacher-d2", second),
        ("team-d2", second),
        ("interventionist-d2", second),
    ):
        user = User.objects.get(username=username)
        seen = students_visible_to(user)
        assert seen.exists(), username
        assert set(seen.values_list("district_id", flat=True)) == {district.pk}, username
    assert students_visible_to(User.objects.get(username="district")).count() == STUDENTS
    assert students_visible_to(User.objects.get(username="district-d2")).count() == STUDENTS

    client = Client()
    client.force_login(User.objects.get(username="district"))
    other_student = Student.objects.filter(district=second).order_by("pk").first()
    assert client.get(f"/students/{other_student.pk}/").status_code == 404
    other_flag = Flag.objects.filter(district=second).order_by("pk").first()
    assert client.get(f"/flags/{other_flag.pk}/").status_code == 404
    other_school = School.objects.filter(district=second).order_by("pk").first()
    answer = client.get(f"/api/v1/dashboards/tiers/?school={other_school.pk}")
    assert answer.status_code == 400
    own_school = School.objects.filter(district=first).order_by("pk").first()
    assert client.get(f"/api/v1/dashboards/tiers/?school={own_school.pk}").status_code == 200


def test_a_district_sweep_writes_only_its_own_districts_flags(db):
    seed(districts=2)
    first, second = District.objects.order_by("pk")
    Flag.objects.filter(district=second).delete()
    run = sweep(district_id=first.pk, as_of=_as_of())
    assert run.status == RuleRun.Status.SUCCEEDED
    assert not Flag.objects.filter(district=second).exists()
    assert Flag.objects.filter(district=first).exists()
    assert not Flag.objects.filter(district=first).exclude(student__district=first).exists()


def _as_of():
    import datetime as dt

    return dt.date.fromisoformat(AS_OF_DAY)


@pytest.mark.django_db(transaction=True)
def test_two_districts_sweep_at_once_as_on_two_workers():
    # Each sweep locks its own district only: two at once neither wait for each other nor
    # mix rows, and give the same flags as one after the other.
    seed(districts=2)
    ids = list(District.objects.order_by("pk").values_list("pk", flat=True))
    Flag.objects.all().delete()
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(district_id: int) -> None:
        try:
            barrier.wait()
            sweep(district_id=district_id, as_of=_as_of())
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(d,)) for d in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors
    together = {
        d: sorted(Flag.objects.filter(district_id=d).values_list("student_id", "kind", "domain"))
        for d in ids
    }
    Flag.objects.all().delete()
    for d in ids:
        sweep(district_id=d, as_of=_as_of())
    apart = {
        d: sorted(Flag.objects.filter(district_id=d).values_list("student_id", "kind", "domain"))
        for d in ids
    }
    assert together == apart
    assert all(together[d] for d in ids)


def test_it_gives_every_district_its_earlier_years(db):
    seed(districts=2)
    call_command("seed_demo_history", stdout=io.StringIO())
    for district in District.objects.all():
        names = sorted(SchoolYear.objects.filter(district=district).values_list("name", flat=True))
        assert names == ["2024-2025", "2025-2026", "2026-2027"]


def test_it_refuses_a_bad_number_of_districts_and_a_second_load(db):
    with pytest.raises(CommandError, match="--districts must be between 1 and 100"):
        seed(districts=0)
    seed(districts=2)
    with pytest.raises(CommandError, match="demo accounts already exist"):
        seed(districts=2)
    assert District.objects.count() == 2


def test_the_planner_knows_a_school_decides_the_district(db):
    # Every dashboard filters its population on both the schools and the district. Without
    # the dependency statistics (students migration 0014) PostgreSQL multiplies the two
    # selectivities: for district 1's own schools, 1/2 x 1/2 of 400 = 100 rows expected.
    seed(districts=2)
    first = District.objects.order_by("pk")[0]
    schools = list(School.objects.filter(district=first).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE students_student")
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT id FROM students_student "
            "WHERE school_id = ANY(%s) AND district_id = %s AND active",
            [schools, first.pk],
        )
        plan = cursor.fetchone()[0]
    estimated = plan[0]["Plan"]["Plan Rows"]
    assert STUDENTS * 0.9 <= estimated <= STUDENTS * 1.1
