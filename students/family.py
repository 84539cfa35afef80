"""A student's family contacts: who may see and change them, the reads and the writes.

Contacts are part of the student's record: a user sees them exactly when they see the
student (students.selectors.students_visible_to), and may change them when they are on the
student's school team (team members and administrators contact families; a teacher reads).
Every write is one transaction with its record-of-access row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from students import access
from students.audit import AuditContext, audit_record
from students.models import AccessLog, Guardian, Student, StudentGuardian, User

NOT_ALLOWED = _("Only the school's team and administrators change a student's family contacts.")


def family_languages() -> list[tuple[str, str]]:
    """The languages letters are written in (settings.FAMILY_LANGUAGES), code and name."""
    return list(getattr(settings, "FAMILY_LANGUAGES", [("en", "English")]))


def language_name(code: str) -> str:
    names = dict(family_languages())
    if not code:
        return "Not recorded"
    return names.get(code, code)


def may_edit_family(user: User | None, student: Student) -> bool:
    return access.is_on_team_of(user, school_id=student.school_id, district_id=student.district_id)


def family_links(student: Student) -> list[StudentGuardian]:
    """The student's contacts, active first, then by name (one query)."""
    return list(
        StudentGuardian.objects.filter(student=student)
        .select_related("guardian")
        .order_by("-guardian__active", "guardian__last_name", "guardian__first_name", "id")
    )


def letter_recipients(student: Student) -> list[Guardian]:
    """Active contacts who receive letters about the student."""
    return [
        link.guardian
        for link in family_links(student)
        if link.guardian.active and link.receives_letters
    ]


@dataclass(frozen=True)
class ContactValues:
    first_name: str
    last_name: str
    relationship: str
    email: str = ""
    phone: str = ""
    preferred_language: str = ""
    receives_letters: bool = True


def _check(user: User | None, student: Student) -> None:
    if not may_edit_family(user, student):
        raise PermissionDenied(NOT_ALLOWED)


def _clean(values: ContactValues) -> ContactValues:
    if not values.first_name.strip() and not values.last_name.strip():
        raise ValidationError({"last_name": [gettext("Give the contact's name.")]})
    return values


@transaction.atomic
def guardian_add(
    *, student: Student, values: ContactValues, actor: User | None, audit: AuditContext
) -> StudentGuardian:
    """A new contact typed in by staff, linked to the student."""
    _check(actor, student)
    v = _clean(values)
    guardian = Guardian.objects.create(
        district_id=student.district_id,
        first_name=v.first_name.strip(),
        last_name=v.last_name.strip(),
        relationship=v.relationship,
        email=v.email.strip(),
        phone=v.phone.strip(),
        preferred_language=v.preferred_language,
    )
    link = StudentGuardian.objects.create(
        student=student, guardian=guardian, receives_letters=v.receives_letters
    )
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type="family_contact",
        object_id=guardian.pk,
        student=student,
        audit=audit,
        detail={"via": audit.via},
    )
    return link


@transaction.atomic
def guardian_update(
    *, link: StudentGuardian, values: ContactValues, actor: User | None, audit: AuditContext
) -> StudentGuardian:
    """Change a contact (name, e-mail, phone, language) and whether letters go to them. The
    contact is the family's, so a change shows on each of their children's profiles."""
    _check(actor, link.student)
    v = _clean(values)
    guardian = Guardian.objects.select_for_update().get(pk=link.guardian_id)
    before = {f: getattr(guardian, f) for f in _FIELDS}
    for field in _FIELDS:
        setattr(
            guardian,
            field,
            getattr(v, field).strip() if field != "relationship" else v.relationship,
        )
    guardian.save()
    link.receives_letters = v.receives_letters
    link.save(update_fields=["receives_letters"])
    changed = [f for f in _FIELDS if before[f] != getattr(guardian, f)]
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type="family_contact",
        object_id=guardian.pk,
        student=link.student,
        audit=audit,
        detail={"changed": changed, "via": audit.via},
    )
    return link


_FIELDS = ("first_name", "last_name", "relationship", "email", "phone", "preferred_language")


@transaction.atomic
def guardian_unlink(*, link: StudentGuardian, actor: User | None, audit: AuditContext) -> None:
    """The person is no longer a contact of this student (their other children keep them)."""
    _check(actor, link.student)
    audit_record(
        user=actor,
        action=AccessLog.Action.DELETE,
        object_type="family_contact",
        object_id=link.guardian_id,
        student=link.student,
        audit=audit,
        detail={"via": audit.via},
    )
    link.delete()
