"""What families shows on the roster's pages (students.slots): the profile card of letters
and referrals, and the team's evaluation due dates on the home page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from families import letters, referrals
from families.models import EvaluationReferral, FamilyLetter
from interventions.models import InterventionPlan
from students import access
from students.models import Student, User


def student_card(*, user: User, student: Student) -> dict[str, Any]:
    letters.letters_catch_up(student)
    today = timezone.localdate()
    sent_and_drafts = list(
        FamilyLetter.objects.filter(student=student).order_by("-created_at", "-id")[:20]
    )
    # The profile already checked that the user sees this student.
    refs = list(EvaluationReferral.objects.filter(student=student).order_by("-referred_on"))
    for r in refs:
        r.clock = referrals.referral_clock(r, today=today)
    plans = list(
        InterventionPlan.objects.filter(student=student, status=InterventionPlan.Status.ACTIVE)
        .select_related("intervention")
        .order_by("-start_date", "-id")
    )
    writer = access.is_on_team_of(
        user, school_id=student.school_id, district_id=student.district_id
    )
    return {
        "drafts": [x for x in sent_and_drafts if not x.is_sent],
        "sent": [x for x in sent_and_drafts if x.is_sent],
        "referrals": refs,
        "plans": [p for p in plans if writer or p.interventionist_id == user.pk],
    }


def home_referrals(*, user: User, roles: set[str]) -> dict[str, Any]:
    today = timezone.localdate()
    rows = referrals.referrals_due(user=user, today=today)
    return {"referrals": rows, "today": today, "students_shown": [r.student_id for r in rows]}
