"""A synthetic OneRoster 1.2 CSV set of any size (schools, staff, classes, students,
enrollments, a manifest) for the import benchmark: deterministic for a seed, names drawn from
short lists, nothing real."""

from __future__ import annotations

import csv
import random
from pathlib import Path

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


def generate(folder: Path, *, students: int, seed: int, schools: int = SCHOOLS) -> dict[str, int]:
    """A OneRoster 1.2 bulk set of `schools` schools (at least 50 students each: every school
    needs a principal and teachers); returns data rows per file."""
    rng = random.Random(seed)
    staff = students // 20
    classes = students // 25
    stamp = "2026-08-01T12:00:00.000Z"
    n_schools = schools
    schools = [f"sch-{i:03d}" for i in range(n_schools)]
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
    class_school = [schools[i % n_schools] for i in range(classes)]
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
    staff_school = [schools[i % n_schools] for i in range(staff)]
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
        role = "principal" if i < n_schools else ("aide" if i % 10 == 0 else "teacher")
        roles.append(
            [f"role-{sid}", "active", stamp, sid, "primary", role, "", "", staff_school[i], ""]
        )
    for i in range(students):
        sid = f"stu-{i:06d}"
        school = schools[i % n_schools]
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
    for i in range(n_schools, staff):
        teachers_by_school.setdefault(staff_school[i], []).append(f"stf-{i:05d}")
    for i, cls in enumerate(f"cls-{j:05d}" for j in range(classes)):
        teacher = teachers_by_school[class_school[i]][
            i // n_schools % len(teachers_by_school[class_school[i]])
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
