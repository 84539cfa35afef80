"""Reads of the meetings app, with the access check built in.

- Meetings, their agendas, action items and minutes: the school's team members and school
  administrators, and district administrators (`meeting_school_ids`).
- Decisions: those people, plus anyone who sees the student (`students_visible_to`): a
  teacher sees the decisions about their own students only.
- Action items: the meeting's team, and the item's owner.
- Concerns: the school's team, and the teacher who submitted it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from meetings.models import ActionItem, AgendaItem, Concern, Decision, Meeting
from students import access
from students.models import Membership, School, User
from students.selectors import students_visible_to

MEETING_RELATED = ("school", "facilitator", "note_taker", "timekeeper", "window", "series")


def meeting_school_ids(user: User) -> set[int]:
    """Schools whose meetings the user may see and run."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return access.team_school_ids(user)


def may_use_meetings(user: User) -> bool:
    return access.may_run_team_meetings(user)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    ids = meeting_school_ids(user)
    if not ids:
        return Meeting.objects.none()
    return Meeting.objects.filter(school_id__in=ids)


def meeting_get_for_user(*, user: User, pk: int) -> Meeting:
    """The meeting if the user may see it, else 404 (never reveal that it exists)."""
    return get_object_or_404(
        meetings_visible_to(user)
        .select_related(*MEETING_RELATED)
        .prefetch_related(Prefetch("attendees", queryset=User.objects.order_by("last_name"))),
        pk=pk,
    )


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in order, with students, sections and source flags (3 queries)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("student", "student__school", "section")
        .prefetch_related("flags", "decisions")
        .order_by("position", "id")
    )


def agenda_item_get(*, meeting: Meeting, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("student", "student__school", "section"),
        meeting=meeting,
        pk=pk,
    )


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    if not user.is_authenticated or not user.is_active:
        return Decision.objects.none()
    if user.is_superuser:
        return Decision.objects.all()
    return Decision.objects.filter(
        Q(meeting__school_id__in=meeting_school_ids(user))
        | Q(student__in=students_visible_to(user).values("pk"))
    )


def action_items_visible_to(user: User) -> QuerySet[ActionItem]:
    if not user.is_authenticated or not user.is_active:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(
        Q(owner=user) | Q(meeting__school_id__in=meeting_school_ids(user))
    )


def concerns_visible_to(user: User) -> QuerySet[Concern]:
    if not user.is_authenticated or not user.is_active:
        return Concern.objects.none()
    return Concern.objects.filter(Q(submitted_by=user) | Q(school_id__in=meeting_school_ids(user)))


def open_action_items_of(user: User) -> list[ActionItem]:
    """The user's open action items, soonest due first (the home page section)."""
    if not user.is_authenticated:
        return []
    return list(
        ActionItem.objects.filter(owner=user, status=ActionItem.Status.OPEN)
        .select_related("meeting", "meeting__school", "meeting__window", "student")
        .order_by("due_date", "id")[:50]
    )


def upcoming_meetings(user: User, *, now: dt.datetime, limit: int = 5) -> list[Meeting]:
    return list(
        meetings_visible_to(user)
        .exclude(status="closed")
        .filter(scheduled_at__gte=now - dt.timedelta(days=1))
        .select_related("school")
        .order_by("scheduled_at", "id")[:limit]
    )


def staff_of_school(school: School) -> QuerySet[User]:
    """People who can be named facilitator, note-taker, timekeeper, attendee or action-item
    owner for the school's meetings: its staff of every role and its district administrators."""
    member_ids = Membership.objects.filter(
        access.works_at_condition(school_id=school.pk, district_id=school.district_id)
    ).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def agenda_student_search(*, user: User, meeting: Meeting, q: str, limit: int) -> QuerySet:
    """Active students of the meeting's school the user sees, found by a name as people type
    it: one word in the first, preferred or last name, or the local ID; "First Last" and
    "Last, First" (meetings.agenda.name_patterns) by both parts."""
    from meetings.agenda import name_patterns

    q = q.strip()
    match = (
        Q(last_name__icontains=q)
        | Q(first_name__icontains=q)
        | Q(preferred_name__icontains=q)
        | Q(local_id__iexact=q)
    )
    for first, last in name_patterns(q):
        match |= (Q(first_name__istartswith=first) | Q(preferred_name__istartswith=first)) & Q(
            last_name__istartswith=last
        )
    return (
        students_visible_to(user)
        .filter(school_id=meeting.school_id, active=True)
        .filter(match)
        .order_by("last_name", "first_name", "pk")[:limit]
    )
