"""The roster: districts, schools, years, students, sections, staff and their roles.

Integrity lives in the database: ids are unique per district, grades are in range, and every
relation is a foreign key.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Grades are stored as integers: -1 pre-K, 0 kindergarten, 1..12.
GRADE_MIN = -1
GRADE_MAX = 12


def grade_label(grade: int | None) -> str:
    if grade is None:
        return "-"
    return {-1: "PK", 0: "K"}.get(grade, str(grade))


GRADE_CHOICES = [(g, grade_label(g)) for g in range(GRADE_MIN, GRADE_MAX + 1)]


class User(AbstractUser):
    """A staff account. Students do not log in."""

    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, blank=True)
    title = models.CharField(max_length=20, blank=True, help_text=_("Ms., Mr., Dr. ..."))

    def display_name(self) -> str:
        if self.title and self.last_name:
            return f"{self.title} {self.last_name}"
        return self.get_full_name() or self.username


class District(models.Model):
    name = models.CharField(max_length=200)
    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, blank=True)
    teachers_see_whole_school = models.BooleanField(
        default=False,
        help_text=_(
            "When on, teachers see every student of their schools, not only their own "
            "sections (FERPA: leave off unless the district has decided otherwise)."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sourced_id"], condition=~Q(sourced_id=""), name="district_sourced_id_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Level(models.TextChoices):
        ELEMENTARY = "elementary", _("Elementary")
        MIDDLE = "middle", _("Middle")
        HIGH = "high", _("High")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.ELEMENTARY)
    lowest_grade = models.SmallIntegerField(choices=GRADE_CHOICES, default=0)
    highest_grade = models.SmallIntegerField(choices=GRADE_CHOICES, default=5)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="school_sourced_id_uniq",
            ),
            models.UniqueConstraint(fields=["district", "name"], name="school_name_uniq"),
            models.CheckConstraint(
                condition=Q(lowest_grade__lte=models.F("highest_grade"))
                & Q(lowest_grade__gte=GRADE_MIN)
                & Q(highest_grade__lte=GRADE_MAX),
                name="school_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="school_years")
    name = models.CharField(max_length=20, help_text=_("For example 2026-2027"))
    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="school_year_name_uniq"),
            models.UniqueConstraint(
                fields=["district"], condition=Q(is_current=True), name="one_current_year"
            ),
            models.CheckConstraint(
                condition=Q(start_date__lt=models.F("end_date")), name="school_year_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RaceEthnicity(models.TextChoices):
    """Federal reporting categories, in the order of domain.md section 5."""

    HISPANIC_LATINO = "hispanic_latino", _("Hispanic/Latino")
    AMERICAN_INDIAN = "american_indian", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black or African American")
    PACIFIC_ISLANDER = "pacific_islander", _("Native Hawaiian or Other Pacific Islander")
    WHITE = "white", _("White")
    TWO_OR_MORE = "two_or_more", _("Two or more races")
    UNKNOWN = "unknown", _("Not reported")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    NONBINARY = "X", _("Non-binary")
    UNKNOWN = "U", _("Not reported")


class Student(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="students")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    local_id = models.CharField(_("student ID"), max_length=64)
    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    race_ethnicity = models.CharField(
        max_length=20, choices=RaceEthnicity.choices, default=RaceEthnicity.UNKNOWN
    )
    english_learner = models.BooleanField(default=False)
    iep = models.BooleanField(_("IEP"), default=False)
    section_504 = models.BooleanField(_("504 plan"), default=False)
    economically_disadvantaged = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "local_id"], name="student_local_id_uniq"),
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="student_sourced_id_uniq",
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=GRADE_MIN) & Q(grade__lte=GRADE_MAX),
                name="student_grade_range",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "grade"]),
            models.Index(fields=["last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def short_name(self) -> str:
        """'Maria G.' as used in minutes and agendas."""
        return f"{self.preferred_name or self.first_name} {self.last_name[:1]}."

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)


class Section(models.Model):
    """A class section, taught by one or more teachers."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sections")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="sections")
    name = models.CharField(max_length=200)
    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, blank=True)
    course_name = models.CharField(max_length=200, blank=True)
    grade = models.SmallIntegerField(choices=GRADE_CHOICES, null=True, blank=True)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="sections", blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="section_sourced_id_uniq",
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True)
                | (Q(grade__gte=GRADE_MIN) & Q(grade__lte=GRADE_MAX)),
                name="section_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="enrollments")
    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "section"], name="enrollment_uniq"),
        ]
        indexes = [models.Index(fields=["section", "active"])]


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    INTERVENTIONIST = "interventionist", _("Interventionist")
    TEAM_MEMBER = "team_member", _("School team member")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    DISTRICT_ADMIN = "district_admin", _("District administrator")


SCHOOL_WIDE_ROLES = (Role.TEAM_MEMBER, Role.SCHOOL_ADMIN)


class Membership(models.Model):
    """A staff role, scoped to one school (or to the district for district administrators)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="memberships", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "district", "school"],
                nulls_distinct=False,
                name="membership_uniq",
            ),
            models.CheckConstraint(
                condition=Q(role="district_admin") | Q(school__isnull=False),
                name="membership_school_required",
            ),
        ]

    def __str__(self) -> str:
        where = self.school or self.district
        return f"{self.user} - {self.get_role_display()} - {where}"


class AccessLog(models.Model):
    """Record of access (34 CFR 99.32): who viewed or changed which student record, when, from where."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The actor's name when the row was written, so it outlives a deleted account. Empty
    # for rows the platform writes itself (no user, no address).
    user_name = models.CharField(max_length=200, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    # No index of its own: the (student, -at) index below serves every lookup by student,
    # and each page view writes tens of rows (one index fewer to keep up on each).
    student = models.ForeignKey(
        Student,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_logs",
        db_index=False,
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    purpose = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["student", "-at"])]


class ApiToken(models.Model):
    """An API token of a user, kept only as its SHA-256 (students/tokens.py).

    The key itself is shown once when it is made. `prefix` (its first characters) lets a
    person tell their tokens apart; `password_fingerprint` ties the token to the password
    its user had then, so changing the password, by any route, ends the token.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(
        default=False,
        help_text=_("Read-only tokens are refused on anything but GET, HEAD, OPTIONS."),
    )
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        scope = "read-only" if self.read_only else "read-write"
        return f"{self.prefix}... ({scope}) for {self.user}, expires {self.expires_at:%Y-%m-%d}"


# Django finds an app's models through its models module; import jobs and the outbox live
# in their own.
from students.models_family import Guardian, Relationship, StudentGuardian  # noqa: E402,F401
from students.models_idempotency import IdempotencyKey  # noqa: E402,F401
from students.models_imports import DistrictImportSettings, ImportJob  # noqa: E402,F401
from students.models_outbox import OutboxEvent  # noqa: E402,F401
