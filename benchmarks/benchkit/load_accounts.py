"""The accounts and the pages of the load benchmark (benchmarks/http_load.py), picked from a
seeded district in the benchmark's own process (Django set up by benchkit.setup_django).

Each simulated user is a real account of its role, with the pages it would open:
- teachers: each one's own class (screening entry's defaults: their first class, the open
  window, the class's measure), so score saves spread over many rows and classes;
- interventionists: accounts with active plans (their caseload and progress grid);
- school team members: a meeting in progress at their school (made here through the
  meetings services, once, and found again on a reused database) and students of their
  school to open;
- district administrators: the demo's, plus `bench-district-N` accounts made for the run
  when the demo has fewer than the run needs.

The seeded staff accounts cannot sign in (unusable password); the picked ones get
BENCH_PASSWORD. This changes only the benchmark's own database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

BENCH_PASSWORD = "bench-load-1234!"
MEETING_LOCATION = "Load benchmark"
ROLES = ("teacher", "interventionist", "team", "admin")


@dataclass
class Account:
    username: str
    role: str
    pages: dict[str, str] = field(default_factory=dict)
    # teachers: the cells of their class to save (url, student id, lowest and highest score)
    cells: list[dict] = field(default_factory=list)
    students: list[int] = field(default_factory=list)


def _teachers(count: int) -> list[Account]:
    from django.urls import reverse

    from screening.models.measures import Measure
    from screening.page_selectors.entry_defaults import entry_defaults
    from screening.page_selectors.sections import section_students
    from students.models import Role, Section, User

    out: list[Account] = []
    users = User.objects.filter(memberships__role=Role.TEACHER, is_active=True).order_by("pk")
    for user in users.iterator():
        picked = entry_defaults(user, {})
        if {"section", "window", "measure"} > picked.keys():
            continue
        section = Section.objects.get(pk=picked["section"])
        measure = Measure.objects.get(pk=picked["measure"])
        served = [
            s for s in section_students(user=user, section=section) if measure.serves_grade(s.grade)
        ]
        if len(served) < 5:
            continue
        grid = (
            reverse("screening:score_entry")
            + "?"
            + "&".join(f"{k}={picked[k]}" for k in ("section", "window", "measure"))
        )
        cells = [
            {
                "url": reverse(
                    "screening:score_entry_cell",
                    args=[section.pk, picked["window"], measure.pk, s.pk],
                ),
                "student": s.pk,
                "low": float(measure.min_score),
                "high": float(measure.max_score),
            }
            for s in served
        ]
        out.append(
            Account(user.username, "teacher", {"home": "/", "class grid": grid}, cells=cells)
        )
        if len(out) == count:
            break
    return out


def _interventionists(count: int) -> list[Account]:
    from interventions.models import InterventionPlan
    from students.models import Role, User

    with_plans = InterventionPlan.objects.filter(status=InterventionPlan.Status.ACTIVE).values(
        "interventionist_id"
    )
    users = User.objects.filter(
        memberships__role=Role.INTERVENTIONIST, is_active=True, pk__in=with_plans
    ).order_by("pk")[:count]
    return [
        Account(
            u.username,
            "interventionist",
            {"caseload": "/interventions/caseload/", "progress grid": "/interventions/progress/"},
        )
        for u in users
    ]


def _meeting_for(user, school) -> tuple[int, list[int]] | None:  # noqa: ANN001
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting, MeetingKind, MeetingStatus
    from meetings.services.agenda import meeting_prepare_agenda
    from meetings.services.scheduling import meeting_create, meeting_start

    meeting = Meeting.objects.filter(
        school=school, location=MEETING_LOCATION, status=MeetingStatus.IN_PROGRESS
    ).first()
    if meeting is None:
        meeting = meeting_create(
            school=school,
            kind=MeetingKind.PROBLEM_SOLVING,
            scheduled_at=timezone.now() - dt.timedelta(minutes=5),
            actor=user,
            facilitator=user,
            location=MEETING_LOCATION,
        )
        meeting_prepare_agenda(meeting=meeting, actor=user, limit=5)
        meeting_start(meeting=meeting, actor=user)
    items = list(
        AgendaItem.objects.filter(meeting=meeting, student__isnull=False)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    return (meeting.pk, items) if items else None


def _team(count: int) -> list[Account]:
    from decisions.models import LIVE_STATUSES, Flag
    from students.models import Membership, Role, Student

    out: list[Account] = []
    memberships = (
        Membership.objects.filter(role=Role.TEAM_MEMBER, user__is_active=True)
        .select_related("user", "school")
        .order_by("school_id", "pk")
    )
    used_schools: set[int] = set()
    for m in memberships:
        if m.school_id in used_schools:
            continue  # one team member per school: the meetings are per school
        found = _meeting_for(m.user, m.school)
        if found is None:
            continue
        meeting, items = found
        flagged = list(
            Flag.objects.filter(student__school=m.school, status__in=LIVE_STATUSES)
            .values_list("student_id", flat=True)
            .distinct()[:20]
        )
        others = list(
            Student.objects.filter(school=m.school, active=True)
            .order_by("pk")
            .values_list("pk", flat=True)[: 20 - len(flagged)]
        )
        pages = {"flag list": "/flags/"}
        pages.update(
            {f"meeting card {i}": f"/meetings/{meeting}/run/{p}/" for i, p in enumerate(items)}
        )
        out.append(Account(m.user.username, "team", pages, students=flagged + others))
        used_schools.add(m.school_id)
        if len(out) == count:
            break
    return out


def _admins(count: int) -> list[Account]:
    from students.models import District, Membership, Role, User

    users = list(
        User.objects.filter(memberships__role=Role.DISTRICT_ADMIN, is_active=True).order_by("pk")
    )
    district = District.objects.order_by("pk").first()
    for n in range(len(users) + 1, count + 1):
        user, _ = User.objects.get_or_create(
            username=f"bench-district-{n}",
            defaults={"first_name": "Bench", "last_name": f"Administrator {n}"},
        )
        Membership.objects.get_or_create(user=user, role=Role.DISTRICT_ADMIN, district=district)
        users.append(user)
    pages = {
        "dashboard tiers": "/dashboards/tiers/",
        "dashboard core": "/dashboards/core/",
        "dashboard equity": "/dashboards/equity/",
    }
    return [Account(u.username, "admin", dict(pages)) for u in users[:count]]


def prepare_accounts(counts: dict[str, int]) -> list[dict]:
    """Pick (and make, where needed) `counts[role]` accounts per role; give them
    BENCH_PASSWORD. Returns them as plain dicts (written to JSON for the locust processes)."""
    from django.contrib.auth.hashers import make_password

    from students.models import User

    accounts = [
        *_teachers(counts["teacher"]),
        *_interventionists(counts["interventionist"]),
        *_team(counts["team"]),
        *_admins(counts["admin"]),
    ]
    for role in ROLES:
        have = sum(a.role == role for a in accounts)
        if have < counts[role]:
            print(f"  note: only {have} {role} accounts fit (wanted {counts[role]})")
    # One hash for all: hashing is deliberately slow.
    User.objects.filter(username__in=[a.username for a in accounts]).update(
        password=make_password(BENCH_PASSWORD)
    )
    return [asdict(a) for a in accounts]


def page_name(name: str) -> str:
    """The name an endpoint is reported under ("meeting card 3" -> "meeting card")."""
    return re.sub(r" \d+$", "", name)
