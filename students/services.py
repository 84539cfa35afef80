"""Writes to the roster. Pages, API, admin actions and commands all call these.

Each service is keyword-only, runs in one transaction and writes its AccessLog row in that
same transaction, so a change and its record of access commit (or roll back) together.
Field problems raise Django's ValidationError keyed by field; a user who may not make the
change gets PermissionDenied (403 in the API and on pages).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from students import slots
from students.access import may_write_roster_school_ids
from students.audit import AuditContext, audit_record
from students.models import (
    GRADE_MAX,
    GRADE_MIN,
    AccessLog,
    District,
    RaceEthnicity,
    School,
    Sex,
    Student,
    User,
)

# Fields a caller may change with `student_update`. `district` is not among them: a student
# moves between districts by being withdrawn in one and enrolled in the other.
STUDENT_UPDATABLE_FIELDS = frozenset(
    {
        "school",
        "local_id",
        "sourced_id",
        "first_name",
        "last_name",
        "preferred_name",
        "grade",
        "birth_date",
        "sex",
        "race_ethnicity",
        "english_learner",
        "iep",
        "section_504",
        "economically_disadvantaged",
        "active",
    }
)

NOT_AN_ADMINISTRATOR = _(
    "Only a school administrator of this school or a district administrator can add or "
    "change its students."
)


def roster_writable_school_ids(user: User) -> set[int]:
    """Schools whose students the user may add or change: the schools they administer."""
    return may_write_roster_school_ids(user)


def _check_may_write(actor: User | None, school: School) -> None:
    # actor=None is the system itself (an import or a command run by an operator).
    if actor is not None and school.pk not in roster_writable_school_ids(actor):
        raise PermissionDenied(NOT_AN_ADMINISTRATOR)


def _audit_value(value: Any) -> Any:
    """Values as they go into the JSON `detail` of an AccessLog row."""
    if isinstance(value, School):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _validate(student: Student) -> None:
    """Field rules with messages a person can act on, checked before the database's own."""
    errors: dict[str, list[str]] = {}
    if student.school.district_id != student.district_id:
        errors.setdefault("school", []).append(gettext("This school belongs to another district."))
    if student.grade is None or not GRADE_MIN <= student.grade <= GRADE_MAX:
        errors.setdefault("grade", []).append(
            gettext("Grade must be between %(grade_min)s (pre-K) and %(grade_max)s.")
            % {"grade_min": GRADE_MIN, "grade_max": GRADE_MAX}
        )
    if not (student.local_id or "").strip():
        errors.setdefault("local_id", []).append(gettext("Every student needs a student ID."))
    others = Student.objects.filter(district_id=student.district_id).exclude(pk=student.pk)
    if student.local_id and others.filter(local_id=student.local_id).exists():
        errors.setdefault("local_id", []).append(
            gettext("Another student in this district already has the student ID %(student_id)s.")
            % {"student_id": repr(student.local_id)}
        )
    if student.sourced_id and others.filter(sourced_id=student.sourced_id).exists():
        errors.setdefault("sourced_id", []).append(
            gettext("Another student in this district already has this OneRoster sourcedId.")
        )
    if errors:
        raise ValidationError(errors)
    # Lengths, choices and required names, as declared on the model.
    student.full_clean(
        exclude=["district", "school"], validate_unique=False, validate_constraints=False
    )


def _save(student: Student) -> None:
    """Save, turning a lost race on the unique ids into the same field error as above."""
    try:
        with transaction.atomic():
            student.save()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "")
        if constraint == "student_local_id_uniq":
            raise ValidationError(
                {
                    "local_id": gettext(
                        "Another student in this district already has this student ID."
                    )
                }
            ) from exc
        if constraint == "student_sourced_id_uniq":
            raise ValidationError(
                {
                    "sourced_id": gettext(
                        "Another student in this district already has this sourcedId."
                    )
                }
            ) from exc
        raise


@transaction.atomic
def student_create(
    *,
    actor: User | None,
    district: District,
    school: School,
    local_id: str,
    first_name: str,
    last_name: str,
    grade: int,
    sourced_id: str = "",
    preferred_name: str = "",
    birth_date: dt.date | None = None,
    sex: str = Sex.UNKNOWN,
    race_ethnicity: str = RaceEthnicity.UNKNOWN,
    english_learner: bool = False,
    iep: bool = False,
    section_504: bool = False,
    economically_disadvantaged: bool = False,
    active: bool = True,
    audit: AuditContext | None = None,
) -> Student:
    """Add a student to a school. `actor` must administer the school (None: the system).

    `audit` says where the change came from, for the access log.
    """
    _check_may_write(actor, school)
    student = Student(
        district=district,
        school=school,
        local_id=local_id,
        sourced_id=sourced_id,
        first_name=first_name,
        last_name=last_name,
        preferred_name=preferred_name,
        grade=grade,
        birth_date=birth_date,
        sex=sex,
        race_ethnicity=race_ethnicity,
        english_learner=english_learner,
        iep=iep,
        section_504=section_504,
        economically_disadvantaged=economically_disadvantaged,
        active=active,
    )
    _validate(student)
    _save(student)
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE,
        object_type="student",
        object_id=student.pk,
        student=student,
        audit=audit,
        detail={
            "fields": {
                name: _audit_value(getattr(student, name))
                for name in sorted(STUDENT_UPDATABLE_FIELDS)
            }
        },
    )
    return student


@transaction.atomic
def student_update(
    *,
    actor: User | None,
    student: Student,
    audit: AuditContext | None = None,
    **fields: Any,
) -> Student:
    """Change some of a student's fields (see STUDENT_UPDATABLE_FIELDS).

    The actor must administer the student's school, and the new school when the student
    moves. A call that changes nothing writes nothing, not even a log row.
    """
    unknown = set(fields) - STUDENT_UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"student_update() cannot change {', '.join(sorted(unknown))}")
    _check_may_write(actor, student.school)
    changes: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        old = getattr(student, name)
        if old != value:
            changes[name] = {"from": _audit_value(old), "to": _audit_value(value)}
            setattr(student, name, value)
    if not changes:
        return student
    if "school" in changes:
        _check_may_write(actor, student.school)
    _validate(student)
    _save(student)
    if "school" in changes:
        # The student's live flags at the old school close with the move (decisions).
        slots.students_moved(
            [
                slots.SchoolMove(
                    student_id=student.pk,
                    from_school_id=changes["school"]["from"],
                    to_school_id=student.school_id,
                    on=timezone.localdate(),
                )
            ],
            actor=actor,
            audit=audit,
        )
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type="student",
        object_id=student.pk,
        student=student,
        audit=audit,
        detail={"changes": changes},
    )
    return student
