"""Time `manage.py import_oneroster` on a generated OneRoster 1.2 set into a fresh database.

The set: 50,000 students, 2,500 staff, 2,000 classes, 250,000 student enrollments (five
classes per student) plus one teacher per class, demographics for every student, 50 schools.
It is written to a temporary folder, then imported twice into the database
<name>_bench_oneroster beside DATABASE_URL's (migrated first): the first run creates
everything, the second must change nothing. Reported: seconds, rows per second and the
peak memory (max RSS) of the import process. Target: first import under 90 seconds.

    DATABASE_URL=postgres://... python benchmarks/oneroster_import.py
    (or `make bench`)

Environment: BENCH_STUDENTS (default 50000; staff, classes and enrollments scale with it),
BENCH_SEED (default 2026), BENCH_KEEP=1 keeps the database and the files afterwards.
Exit status 1 when the target is missed.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import BenchDatabase, database_url

TARGET_SECONDS = 90.0
SCHOOLS = 50
CLASSES_PER_STUDENT = 5

FIRST = [
    "Ava",
    "Liam",
    "Maria",
    "Noah",
    "Zoe",
    "Eli",
    "Mia",
    "Lucas",
    "Sofia",
    "Mateo",
    "Aria",
    "Leo",
    "Nora",
    "Omar",
    "Ivy",
    "Kai",
    "Lena",
    "Ravi",
    "Yara",
    "Theo",
]
LAST = [
    "Garcia",
    "Smith",
    "Nguyen",
    "Jones",
    "Brown",
    "Wong",
    "Patel",
    "Silva",
    "Kim",
    "Lopez",
    "Khan",
    "Ross",
    "Diaz",
    "Chen",
    "Okafor",
    "Ali",
    "Novak",
    "Reyes",
    "Cohen",
    "Hall",
]


def _write(folder: Path, name: str, header: str, rows) -> int:
    n = 0
    with (folder / name).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header.split(","))
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def generate(folder: Path, *, students: int, seed: int) -> dict[str, int]:
    """A OneRoster 1.2 bulk set; returns data rows per file."""
    rng = random.Random(seed)
    staff = students // 20
    classes = students // 25
    stamp = "2026-08-01T12:00:00.000Z"
    schools = [f"sch-{i:03d}" for i in range(SCHOOLS)]
    grade_of_school = {s: 1 + i % 12 for i, s in enumerate(schools)}
    counts: dict[str, int] = {}
    counts["orgs.csv"] = _write(
        folder,
        "orgs.csv",
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
        [["dst-bench", "active", stamp, "Benchmark Unified", "district", "", ""]]
        + [[s, "active", stamp, f"School {s[-3:]}", "school", s, "dst-bench"] for s in schools],
    )
    counts["academicSessions.csv"] = _write(
        folder,
        "academicSessions.csv",
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
        [
            [
                "sy-2027",
                "active",
                stamp,
                "2026-27",
                "schoolYear",
                "2026-08-17",
                "2027-06-04",
                "",
                "2027",
            ],
            [
                "t-2027-1",
                "active",
                stamp,
                "Fall",
                "term",
                "2026-08-17",
                "2026-12-18",
                "sy-2027",
                "2027",
            ],
            [
                "t-2027-2",
                "active",
                stamp,
                "Spring",
                "term",
                "2027-01-04",
                "2027-06-04",
                "sy-2027",
                "2027",
            ],
        ],
    )
    subjects = ["Reading", "Math", "Science", "Social Studies", "Writing", "Art", "Music", "PE"]
    counts["courses.csv"] = _write(
        folder,
        "courses.csv",
        "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes",
        [
            [f"crs-{s}", "active", stamp, "sy-2027", s, s[:4].upper(), "", "dst-bench", s, ""]
            for s in subjects
        ],
    )
    class_school = [schools[i % SCHOOLS] for i in range(classes)]
    classes_by_school: dict[str, list[str]] = {s: [] for s in schools}
    class_rows = []
    for i in range(classes):
        sid, school = f"cls-{i:05d}", class_school[i]
        classes_by_school[school].append(sid)
        subject = subjects[i % len(subjects)]
        grade = f"{grade_of_school[school]:02d}"
        class_rows.append(
            [
                sid,
                "active",
                stamp,
                f"{subject} {grade} - {i}",
                grade,
                f"crs-{subject}",
                f"C{i}",
                "scheduled",
                f"Room {i % 40}",
                school,
                "t-2027-1",
                subject,
                "",
                "1",
            ]
        )
    counts["classes.csv"] = _write(
        folder,
        "classes.csv",
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
        class_rows,
    )
    user_header = "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"
    users, roles, demographics, enrollments = [], [], [], []
    staff_school = [schools[i % SCHOOLS] for i in range(staff)]
    for i in range(staff):
        sid = f"stf-{i:05d}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        users.append(
            [
                sid,
                "active",
                stamp,
                "true",
                f"{first}.{last}.{i}".lower(),
                "",
                first,
                last,
                "",
                f"T{i:05d}",
                f"{first}.{last}.{i}@bench.example".lower(),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                staff_school[i],
                "",
            ]
        )
        role = "principal" if i < SCHOOLS else ("aide" if i % 10 == 0 else "teacher")
        roles.append(
            [f"role-{sid}", "active", stamp, sid, "primary", role, "", "", staff_school[i], ""]
        )
    for i in range(students):
        sid = f"stu-{i:06d}"
        school = schools[i % SCHOOLS]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        users.append(
            [
                sid,
                "active",
                stamp,
                "true",
                f"s{i:06d}",
                "{SIS:" + str(i) + "}",
                first,
                last,
                "",
                f"{100000 + i}",
                "",
                "",
                "",
                "",
                f"{grade_of_school[school]:02d}",
                "",
                "",
                "",
                "",
                "",
                school,
                "",
            ]
        )
        roles.append(
            [f"role-{sid}", "active", stamp, sid, "primary", "student", "", "", school, ""]
        )
        flags = [
            "true" if rng.random() < p else "false"
            for p in (0.02, 0.06, 0.15, 0.01, 0.55, 0.04, 0.25)
        ]
        demographics.append(
            [
                sid,
                "active",
                stamp,
                f"{2026 - 6 - grade_of_school[school]}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(["male", "female"]),
                *flags,
                "US",
                "",
                "",
                "",
            ]
        )
        pool = classes_by_school[school]
        for cls in rng.sample(pool, min(CLASSES_PER_STUDENT, len(pool))):
            enrollments.append(
                [
                    f"enr-{cls}-{sid}",
                    "active",
                    stamp,
                    cls,
                    school,
                    sid,
                    "student",
                    "false",
                    "2026-08-17",
                    "",
                ]
            )
    teachers_by_school: dict[str, list[str]] = {}
    for i in range(SCHOOLS, staff):
        teachers_by_school.setdefault(staff_school[i], []).append(f"stf-{i:05d}")
    for i, cls in enumerate(f"cls-{j:05d}" for j in range(classes)):
        teacher = teachers_by_school[class_school[i]][
            i // SCHOOLS % len(teachers_by_school[class_school[i]])
        ]
        enrollments.append(
            [
                f"enr-{cls}-{teacher}",
                "active",
                stamp,
                cls,
                class_school[i],
                teacher,
                "teacher",
                "true",
                "2026-08-17",
                "",
            ]
        )
    counts["users.csv"] = _write(folder, "users.csv", user_header, users)
    counts["roles.csv"] = _write(
        folder,
        "roles.csv",
        "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId",
        roles,
    )
    counts["demographics.csv"] = _write(
        folder,
        "demographics.csv",
        "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
        demographics,
    )
    counts["enrollments.csv"] = _write(
        folder,
        "enrollments.csv",
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
        enrollments,
    )
    manifest = ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.2"]
    for name in (
        "academicSessions",
        "classes",
        "courses",
        "demographics",
        "enrollments",
        "orgs",
        "roles",
        "users",
    ):
        manifest.append(f"file.{name},bulk")
    for name in (
        "categories",
        "classResources",
        "courseResources",
        "lineItems",
        "resources",
        "results",
        "userProfiles",
    ):
        manifest.append(f"file.{name},absent")
    manifest += ["source.systemName,Benchmark", "source.systemCode,BENCH"]
    (folder / "manifest.csv").write_text("\r\n".join(manifest) + "\r\n")
    return counts


def run_import(manage: list[str], folder: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB of the import process, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [*manage, "import_oneroster", str(folder), "--quiet"],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"import failed with status {done.returncode}")
    # ru_maxrss of children is the largest child so far; the migrate child is much smaller.
    return seconds, max(peak_kb, before) / 1024, done.stdout


def main() -> int:
    url = database_url()
    if not url:
        return 2
    students = int(os.environ.get("BENCH_STUDENTS", "50000"))
    seed = int(os.environ.get("BENCH_SEED", "2026"))
    keep = os.environ.get("BENCH_KEEP") == "1"
    db = BenchDatabase.beside(url, "bench_oneroster")
    folder = Path(tempfile.mkdtemp(prefix="oneroster-bench-"))
    db.create()
    try:
        started = time.perf_counter()
        counts = generate(folder, students=students, seed=seed)
        rows = sum(counts.values())
        print(
            f"generated {rows:,} rows in {time.perf_counter() - started:.1f} s into {folder}: "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
            flush=True,
        )
        db.migrate()
        print(f"$ python manage.py import_oneroster {folder} --quiet", flush=True)
        first, peak, output = run_import(db.manage_py, folder, db.env)
        print(output.strip().splitlines()[-1])
        second, peak2, output2 = run_import(db.manage_py, folder, db.env)
        unchanged_line = next(
            (line for line in output2.splitlines() if line.startswith("students")), ""
        )
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
            db.drop()
    target = TARGET_SECONDS * students / 50000
    ok = first < target
    print(
        f"first import: {rows:,} rows in {first:.1f} s ({rows / first:,.0f} rows/s), peak memory {peak:,.0f} MB; "
        f"target < {target:.0f} s: {'OK' if ok else 'TOO SLOW'}"
    )
    print(
        f"re-import of the same set: {second:.1f} s ({rows / second:,.0f} rows/s), peak memory {peak2:,.0f} MB"
    )
    print(f"re-import students line: {unchanged_line}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
