"""A student's family contacts: parents and guardians, from the OneRoster roster (users.csv
with `role` parent/guardian/relative and their `agentSourcedIds` links) or typed in by staff.

A guardian belongs to a district; `StudentGuardian` links them to each of their children,
so one parent of three siblings is one row. Contacts are read and written only through a
student the user may see (students.selectors.students_visible_to), and every view and change
is written to the record of access, like the student's own record.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Relationship(models.TextChoices):
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    RELATIVE = "relative", _("Relative")
    OTHER = "other", _("Other contact")


class Guardian(models.Model):
    district = models.ForeignKey(
        "students.District", on_delete=models.PROTECT, related_name="guardians"
    )
    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship.choices, default=Relationship.PARENT
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # An ISO 639-1 code ("es"); empty when the roster did not say. Letters are written in it
    # when the platform has it (settings.FAMILY_LANGUAGES), else in English.
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="guardian_sourced_id_uniq",
            ),
            models.CheckConstraint(
                condition=~Q(first_name="") | ~Q(last_name=""), name="guardian_has_name"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class StudentGuardian(models.Model):
    """One family contact of one student. `from_roster` links are kept in step with the
    roster's agents; links typed in by staff are never removed by an import."""

    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="guardian_links"
    )
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="student_links")
    receives_letters = models.BooleanField(
        _("receives letters"),
        default=True,
        help_text=_("Letters about the student's support are addressed to this contact."),
    )
    from_roster = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student", "id"]
        constraints = [
            models.UniqueConstraint(fields=["student", "guardian"], name="student_guardian_uniq")
        ]
