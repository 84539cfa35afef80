"""Office discipline referrals."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import events
from screening.models.referrals import Referral
from screening.services.access import STUDENT_NOT_FOUND
from students.audit import AuditContext, audit_record
from students.models import AccessLog, SchoolYear, Student, User
from students.selectors import students_visible_to

REFERRAL_OBJECT = "referral"

REFERRAL_FIELDS = (
    "severity",
    "location",
    "problem_behavior",
    "perceived_motivation",
    "others_involved",
    "action_taken",
)


@transaction.atomic
def referral_create(
    *,
    student: Student,
    date: dt.date,
    location: str,
    problem_behavior: str,
    reported_by: User | None,
    time: dt.time | None = None,
    severity: str = Referral.Severity.MAJOR,
    perceived_motivation: str = Referral.Motivation.UNKNOWN,
    others_involved: str = Referral.OthersInvolved.NONE,
    action_taken: str = Referral.Action.PENDING,
    staff: User | None = None,
    staff_name: str = "",
    notes: str = "",
    audit: AuditContext | None = None,
) -> Referral:
    """Record an office discipline referral for a student the reporter can see."""
    if (
        reported_by is not None
        and not students_visible_to(reported_by).filter(pk=student.pk).exists()
    ):
        raise ValidationError({"student": [STUDENT_NOT_FOUND]})
    errors: dict[str, list[str]] = {}
    choices = {
        "severity": (severity, Referral.Severity),
        "location": (location, Referral.Location),
        "problem_behavior": (problem_behavior, Referral.ProblemBehavior),
        "perceived_motivation": (perceived_motivation, Referral.Motivation),
        "others_involved": (others_involved, Referral.OthersInvolved),
        "action_taken": (action_taken, Referral.Action),
    }
    for name, (value, enum) in choices.items():
        if value not in enum.values:
            errors[name] = [
                _("Choose one of the listed options for %(name)s.")
                % {"name": name.replace("_", " ")}
            ]
    if date > timezone.localdate():
        errors.setdefault("date", []).append(_("The date can't be in the future."))
    year = (
        SchoolYear.objects.filter(
            district_id=student.district_id, start_date__lte=date, end_date__gte=date
        )
        .order_by("-start_date")
        .first()
    )
    if year is None and "date" not in errors:
        errors["date"] = [_("This date is not within one of the district's school years.")]
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        student=student,
        school_id=student.school_id,
        school_year=year,
        date=date,
        time=time,
        severity=severity,
        location=location,
        problem_behavior=problem_behavior,
        perceived_motivation=perceived_motivation,
        others_involved=others_involved,
        action_taken=action_taken,
        staff=staff,
        staff_name=staff_name or (staff.display_name() if staff else ""),
        notes=notes,
        reported_by=reported_by,
    )
    audit_record(
        user=reported_by,
        action=AccessLog.Action.CREATE,
        object_type=REFERRAL_OBJECT,
        object_id=referral.pk,
        student=student,
        audit=audit,
    )
    events.referral_recorded(
        referral_id=referral.pk,
        student_id=student.pk,
        school_id=student.school_id,
        district_id=student.district_id,
    )
    return referral
