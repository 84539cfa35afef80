"""Writes of the student's own page and of the teacher's side of it. Keyword-only, one
transaction each, the record-of-access row inside it.

A code sign-in is a use of a student's record: every try is logged, the right ones against
the student, the wrong ones too (against the student when the code was theirs but is no
longer good, against nobody when it matches no code).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from interventions.models import InterventionPlan, SelfRating, StudentGoalStatement
from ownership import codes
from ownership.models import RATING_MAX, RATING_MIN, ReflectionAnswer, ReflectionCheck, SignInCode
from ownership.session import StudentSession
from students.access_log import STUDENT_CODE
from students.audit import AuditContext, audit_record, audit_record_many
from students.models import AccessLog, Enrollment, Section, Student, User
from students.selectors import students_visible_to

CODE_OBJECT = "student_sign_in_code"
SIGN_IN_OBJECT = "student_sign_in"
WORDS_OBJECT = "student_ownership"
REFLECTION_OBJECT = "class_reflection"
TEXT_LIMIT = 1000
QUESTION_LIMIT = 200
# Marked for the catalog: a student reads the default question in their language.
DEFAULT_QUESTION = gettext_noop("How well did I use my strategies this week?")
CHECK_DAYS = (1, 3, 7, 14)


@dataclass(frozen=True)
class PrintedCode:
    student: Student
    code: str  # as printed: "KXDM-7RPA"
    expires_at: dt.datetime


class CodeRefused(Exception):
    """A sign-in code that opens nothing; `reason` is for the record of access, the student
    sees one message whatever it is (a guesser learns nothing)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def class_members(*, section: Section, actor: User) -> list[Student]:
    """The class's active students the teacher may see, or PermissionDenied when the actor
    does not teach this class this year (a teacher acts for their own classes only)."""
    teaches = section.active and section.teachers.filter(pk=actor.pk).exists()
    if not teaches or not section.school_year.is_current:
        raise PermissionDenied(
            gettext("You can do this only for a class you teach this school year.")
        )
    return list(
        Student.objects.filter(
            enrollments__section=section,
            enrollments__active=True,
            active=True,
            pk__in=students_visible_to(actor).values("pk"),
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def codes_print(
    *, section: Section, actor: User, hours: int, audit: AuditContext | None = None
) -> list[PrintedCode]:
    """New sign-in codes for every student of the class, living `hours`; the class's earlier
    codes stop working (a lost sheet is dead once a new one is printed)."""
    students = class_members(section=section, actor=actor)
    now = timezone.now()
    try:
        expires_at = codes.expiry(now, hours)
    except ValueError as exc:
        raise ValidationError({"hours": [str(exc)]}) from None
    SignInCode.objects.filter(section=section, ended_at__isnull=True, expires_at__gt=now).update(
        ended_at=now
    )
    made = [(s, codes.new_code()) for s in students]
    SignInCode.objects.bulk_create(
        SignInCode(
            student=s,
            section=section,
            digest=codes.digest(code),
            issued_by=actor,
            created_at=now,
            expires_at=expires_at,
        )
        for s, code in made
    )
    audit_record_many(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=CODE_OBJECT,
        student_ids=[s.pk for s in students],
        audit=audit,
        detail={"section": section.pk, "expires_at": expires_at.isoformat()},
    )
    return [PrintedCode(s, codes.printed(code), expires_at) for s, code in made]


def code_sign_in(*, typed: str, audit: AuditContext) -> SignInCode:
    """The live code the student typed, or CodeRefused. Either way the try is logged."""
    code = codes.normalize(typed)
    row = None
    if codes.looks_like_a_code(code):
        row = (
            SignInCode.objects.select_related("student", "section")
            .filter(digest=codes.digest(code))
            .first()
        )
    now = timezone.now()
    reason = ""
    if row is None:
        reason = "no such code"
    elif row.ended_at is not None:
        reason = "the code was replaced by newer ones"
    elif row.expires_at <= now:
        reason = "the code has expired"
    elif not row.student.active:
        reason = "the student is no longer active"
    sign_in_logged(row=row, audit=audit, refused=reason)
    if reason:
        raise CodeRefused(reason)
    return row


def sign_in_logged(*, row: SignInCode | None, audit: AuditContext, refused: str = "") -> None:
    detail = {"via": STUDENT_CODE, "result": "refused" if refused else "signed in"}
    if refused:
        detail["reason"] = refused
    if row is not None:
        detail["code"] = row.pk
    audit_record(
        user=None,
        action=AccessLog.Action.VIEW,
        object_type=SIGN_IN_OBJECT,
        object_id=row.pk if row else "",
        student=row.student_id if row else None,
        audit=audit,
        detail=detail,
    )


def student_audit(audit: AuditContext) -> AuditContext:
    return AuditContext(user=None, ip=audit.ip, via=STUDENT_CODE)


def _words(errors: dict, field: str, text: str, *, required: bool, what: str) -> str:
    text = (text or "").strip()
    if required and not text:
        errors[field] = [what]
    elif len(text) > TEXT_LIMIT:
        errors[field] = [
            gettext("Keep it under %(text_limit)s characters.") % {"text_limit": TEXT_LIMIT}
        ]
    return text


def _rating(errors: dict, value: object) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (RATING_MIN <= value <= RATING_MAX)
    ):
        errors["rating"] = [gettext("Choose one of the faces.")]
        return 0
    return value


def _my_plan(me: StudentSession, plan_id: int) -> InterventionPlan:
    plan = InterventionPlan.objects.filter(
        pk=plan_id, student_id=me.student.pk, status=InterventionPlan.Status.ACTIVE
    ).first()
    if plan is None:
        raise PermissionDenied(gettext("This is not one of your plans."))
    return plan


def _log(me: StudentSession, audit: AuditContext, object_type: str, row, **detail) -> None:
    audit_record(
        user=None,
        action=AccessLog.Action.CREATE,
        object_type=object_type,
        object_id=row.pk,
        student=me.student.pk,
        audit=student_audit(audit),
        detail={"code": me.code.pk, **detail},
    )


@transaction.atomic
def my_goal_write(
    *, me: StudentSession, plan_id: int, text: str, audit: AuditContext
) -> StudentGoalStatement:
    """The student's goal in their own words, on their plan (a new row: the plan keeps how
    the goal's words changed)."""
    plan = _my_plan(me, plan_id)
    errors: dict[str, list[str]] = {}
    text = _words(errors, "text", text, required=True, what="Write your goal in your words.")
    if errors:
        raise ValidationError(errors)
    statement = StudentGoalStatement.objects.create(
        plan=plan, date=timezone.localdate(), text=text, recorded_by=None, by_student=True
    )
    _log(me, audit, WORDS_OBJECT, statement, plan=plan.pk, kind="goal_statement")
    return statement


@transaction.atomic
def my_rating_write(
    *, me: StudentSession, plan_id: int, rating: object, note: str, audit: AuditContext
) -> SelfRating:
    """ "How did it go?" after a progress check: the face and a short reflection, on the
    plan beside its scores."""
    plan = _my_plan(me, plan_id)
    errors: dict[str, list[str]] = {}
    value = _rating(errors, rating)
    note = _words(errors, "note", note, required=False, what="")
    if errors:
        raise ValidationError(errors)
    rated = SelfRating.objects.create(
        plan=plan,
        date=timezone.localdate(),
        rating=value,
        note=note,
        recorded_by=None,
        by_student=True,
    )
    _log(me, audit, WORDS_OBJECT, rated, plan=plan.pk, kind="self_rating", rating=value)
    return rated


def my_open_checks(me: StudentSession) -> list[ReflectionCheck]:
    """The open reflection checks of the classes the student is in now."""
    return list(
        ReflectionCheck.objects.filter(
            section__in=Enrollment.objects.filter(
                student_id=me.student.pk, active=True, section__active=True
            ).values("section_id"),
            closes_at__gt=timezone.now(),
        ).select_related("section")
    )


@transaction.atomic
def my_reflection_write(
    *, me: StudentSession, check_id: int, rating: object, text: str, audit: AuditContext
) -> ReflectionAnswer:
    check = next((c for c in my_open_checks(me) if c.pk == check_id), None)
    if check is None:
        raise PermissionDenied(gettext("This question is closed or not for your class."))
    errors: dict[str, list[str]] = {}
    value = _rating(errors, rating)
    text = _words(errors, "text", text, required=False, what="")
    if errors:
        raise ValidationError(errors)
    answer, _ = ReflectionAnswer.objects.update_or_create(
        reflection=check,
        student_id=me.student.pk,
        defaults={"rating": value, "text": text, "code": me.code},
    )
    _log(me, audit, REFLECTION_OBJECT, answer, check=check.pk, rating=value)
    return answer


@transaction.atomic
def reflection_check_start(
    *,
    section: Section,
    actor: User,
    question: str,
    days: int,
    audit: AuditContext | None = None,
) -> ReflectionCheck:
    """A question for the whole class, open `days` days on each student's own page."""
    class_members(section=section, actor=actor)
    errors: dict[str, list[str]] = {}
    question = (question or "").strip()
    if not question:
        errors["question"] = [gettext("Write the question the students answer.")]
    elif len(question) > QUESTION_LIMIT:
        errors["question"] = [
            gettext("Keep the question under %(question_limit)s characters.")
            % {"question_limit": QUESTION_LIMIT}
        ]
    if days not in CHECK_DAYS:
        errors["days"] = [gettext("Choose how long the question stays open.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    check = ReflectionCheck.objects.create(
        section=section,
        question=question,
        opened_by=actor,
        opened_at=now,
        closes_at=now + dt.timedelta(days=days),
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type=REFLECTION_OBJECT,
        object_id=check.pk,
        audit=audit,
        detail={"section": section.pk, "question": question},
    )
    return check


@transaction.atomic
def codes_end(*, section: Section, actor: User, audit: AuditContext | None = None) -> int:
    """End the class's live codes now (a sheet left on a desk); their sessions end with them.
    Returns how many were live."""
    class_members(section=section, actor=actor)
    now = timezone.now()
    live = SignInCode.objects.filter(section=section, ended_at__isnull=True, expires_at__gt=now)
    student_ids = list(live.values_list("student_id", flat=True))
    ended = live.update(ended_at=now)
    audit_record_many(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=CODE_OBJECT,
        student_ids=student_ids,
        audit=audit,
        detail={"section": section.pk, "ended": True},
    )
    return ended
