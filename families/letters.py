"""Writes and reads of family letters: drafted from a decision or a plan, edited by staff,
marked sent (printed, or e-mailed through the configured e-mail backend), then kept as sent.

Who: anyone on the student's school team, and the plan's own interventionist for progress
reports of their plan; reads go through the students the user may see. Each write is one
transaction with its record-of-access row; a sent letter is never changed again.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from families import compose, facts
from families.models import FamilyLetter, LetterKind
from interventions.models import InterventionPlan
from meetings.models import Decision
from mtss.errors import ApplicationError
from students import access
from students.audit import AuditContext, audit_record
from students.models import AccessLog, Student, User
from students.selectors import students_visible_to

ALREADY_SENT = "This letter was sent; it is kept as it was sent and can no longer be changed."
EDITED_MEANWHILE = (
    "Someone else saved this letter while you were editing it. Your text is below: "
    "compare it with the saved letter, then save again."
)
NOT_ALLOWED = "Only the school's team (and a plan's interventionist) write letters to families."
NO_EMAIL = "No contact who receives letters has an e-mail address. Print the letter instead."


def letters_visible_to(user: User) -> QuerySet[FamilyLetter]:
    return FamilyLetter.objects.filter(student__in=students_visible_to(user))


def letter_get_for_user(*, user: User, pk: int) -> FamilyLetter:
    return get_object_or_404(
        letters_visible_to(user).select_related("student", "student__school", "plan", "sent_by"),
        pk=pk,
    )


def may_write_letters(user: User | None, student: Student, plan: InterventionPlan | None) -> bool:
    if user is None:
        return True  # the platform itself (drafts from decisions, the demo)
    if access.is_on_team_of(user, school_id=student.school_id, district_id=student.district_id):
        return True
    return plan is not None and plan.interventionist_id == user.pk


def _log(actor: User | None, action: str, letter: FamilyLetter, audit, **detail) -> None:
    audit_record(
        user=actor,
        action=action,
        object_type="family_letter",
        object_id=letter.pk,
        student=letter.student_id,
        audit=audit or AuditContext.system(via="team decision"),
        detail=detail,
    )


def letter_draft_for_decision(
    *, decision: Decision, audit: AuditContext | None = None
) -> FamilyLetter | None:
    """The letter a decision calls for (None when it calls for none). Idempotent: the
    decision's letter is drafted once, whoever asks first (the after-commit hook, the
    profile's catch-up)."""
    kind = facts.LETTER_KINDS.get(decision.type)
    if kind is None:
        return None
    existing = FamilyLetter.objects.filter(decision=decision, kind=kind).first()
    if existing is not None:
        return existing
    decision = Decision.objects.select_related(
        "student", "student__school", "plan", "plan__interventionist", "intervention", "recorded_by"
    ).get(pk=decision.pk)
    guardians, language = facts.recipients_and_language(decision.student)
    subject, body = compose.compose_letter(
        kind, facts.decision_facts(decision, guardians), language
    )
    try:
        with transaction.atomic():
            letter = FamilyLetter.objects.create(
                student=decision.student,
                school_id=decision.meeting.school_id,
                kind=kind,
                decision=decision,
                plan=decision.plan,
                language=language,
                recipients=", ".join(g.full_name for g in guardians)[:500],
                subject=subject[:300],
                body=body,
            )
            _log(None, AccessLog.Action.CREATE, letter, audit, decision=decision.pk)
    except IntegrityError:  # drafted meanwhile by another process
        return FamilyLetter.objects.get(decision=decision, kind=kind)
    return letter


@transaction.atomic
def letter_draft_progress_report(
    *,
    plan: InterventionPlan,
    actor: User | None,
    audit: AuditContext,
    today: dt.date | None = None,
) -> FamilyLetter:
    plan = InterventionPlan.objects.select_related(
        "student", "student__school", "intervention", "measure", "interventionist"
    ).get(pk=plan.pk)
    if not may_write_letters(actor, plan.student, plan):
        raise PermissionDenied(NOT_ALLOWED)
    guardians, language = facts.recipients_and_language(plan.student)
    report_facts, data = facts.progress_facts(
        plan, guardians, today=today or timezone.localdate(), language=language
    )
    subject, body = compose.compose_progress_report(report_facts, language)
    letter = FamilyLetter.objects.create(
        student=plan.student,
        school_id=plan.student.school_id,
        kind=LetterKind.PROGRESS_REPORT,
        plan=plan,
        language=language,
        recipients=", ".join(g.full_name for g in guardians)[:500],
        subject=subject[:300],
        body=body,
        chart_data=data,
        edited_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _log(actor, AccessLog.Action.CREATE, letter, audit, plan=plan.pk)
    return letter


@transaction.atomic
def letter_save(
    *,
    letter: FamilyLetter,
    subject: str,
    body: str,
    version: int,
    actor: User | None,
    audit: AuditContext,
) -> FamilyLetter:
    """Staff's edit of a draft; refused once sent, or when someone saved first."""
    letter = FamilyLetter.objects.select_for_update().select_related("student").get(pk=letter.pk)
    if not may_write_letters(actor, letter.student, letter.plan):
        raise PermissionDenied(NOT_ALLOWED)
    if letter.is_sent:
        raise ApplicationError(ALREADY_SENT)
    if letter.version != version:
        raise ApplicationError(EDITED_MEANWHILE, extra={"saved_body": letter.body})
    subject, body = subject.strip(), body.strip().replace("\r\n", "\n")
    if not subject or not body:
        raise ValidationError({"body": [gettext("A letter needs a subject and some text.")]})
    letter.subject = subject[:300]
    letter.body = body
    letter.version += 1
    letter.edited_by = actor if actor is not None and actor.is_authenticated else None
    letter.save()
    _log(actor, AccessLog.Action.UPDATE, letter, audit, version=letter.version)
    return letter


@transaction.atomic
def letter_mark_sent(
    *, letter: FamilyLetter, via: str, actor: User | None, audit: AuditContext
) -> FamilyLetter:
    """Mark the letter sent. By e-mail, it goes now through the configured backend (with
    the PDF attached) to every contact who receives letters and has an address."""
    letter = FamilyLetter.objects.select_for_update().select_related("student").get(pk=letter.pk)
    if not may_write_letters(actor, letter.student, letter.plan):
        raise PermissionDenied(NOT_ALLOWED)
    if letter.is_sent:
        raise ApplicationError(ALREADY_SENT)
    if via not in FamilyLetter.SentVia.values:
        raise ValidationError({"via": [gettext("Choose printed or e-mailed.")]})
    sent_to = ""
    if via == FamilyLetter.SentVia.EMAIL:
        guardians, _ = facts.recipients_and_language(letter.student)
        addresses = [g.email for g in guardians if g.email]
        if not addresses:
            raise ApplicationError(NO_EMAIL)
        from families.pdf import letter_pdf

        message = EmailMessage(subject=letter.subject, body=letter.body, to=addresses)
        message.attach(f"letter-{letter.pk}.pdf", letter_pdf(letter), "application/pdf")
        message.send(fail_silently=False)
        sent_to = ", ".join(addresses)[:500]
    letter.status = FamilyLetter.Status.SENT
    letter.sent_at = timezone.now()
    letter.sent_via = via
    letter.sent_to = sent_to
    letter.sent_by = actor if actor is not None and actor.is_authenticated else None
    letter.save()
    _log(actor, AccessLog.Action.UPDATE, letter, audit, sent_via=via)
    return letter


def letters_catch_up(student: Student) -> int:
    """Draft the letters of the student's decisions that have none yet (a decision whose
    after-commit drafting was lost with its process). Cheap when there is nothing to do."""
    missing = (
        Decision.objects.filter(student=student, type__in=list(facts.LETTER_KINDS))
        .exclude(family_letters__isnull=False)
        .order_by("created_at", "id")
    )
    drafted = 0
    for decision in missing[:20]:
        if letter_draft_for_decision(decision=decision) is not None:
            drafted += 1
    return drafted
