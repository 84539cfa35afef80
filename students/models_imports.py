"""Import jobs and the district's drop-folder setting.

`ImportJob` is generic: the OneRoster roster, the student-group file and any later importer
(screening scores, ...) record one row per run with the same fields, so one progress bar, one
report page and one API serve them all (docs/imports.md).

Imported by students/models.py (Django discovers models through the app's models module).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DistrictImportSettings", "ImportJob"]


class ImportJob(models.Model):
    """One run of an importer: what was uploaded, how far it got, what it did."""

    class Kind(models.TextChoices):
        ONEROSTER = "oneroster", _("OneRoster roster")
        STUDENT_GROUPS = "student_groups", _("Student groups (EL, IEP, 504, economic)")
        SCREENING_SCORES = "screening_scores", _("Screening scores")
        SCHOOL_CALENDAR = "school_calendar", _("School calendar")
        ATTENDANCE = "attendance", _("Daily attendance")
        COURSE_MARKS = "course_marks", _("Course marks")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Nothing imported")

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded in the browser")
        API = "api", _("Uploaded through the API")
        DROP_FOLDER = "drop_folder", _("Drop folder")
        COMMAND = "command", _("Command line")

    district = models.ForeignKey(
        "students.District", on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.UPLOAD)
    file_path = models.CharField(
        max_length=500,
        help_text=_("Where the uploaded file or folder sits on the server."),
    )
    original_name = models.CharField(max_length=255, blank=True)
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("SHA-256 of the file set; the drop folder imports each set once."),
    )
    options = models.JSONField(
        default=dict, blank=True, help_text=_('For example {"all_or_nothing": true}.')
    )
    progress = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('{"users.csv": {"done": 1200, "total": 5000}, ...}'),
    )
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Stamped while the job runs: its worker is alive."),
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def all_or_nothing(self) -> bool:
        return bool(self.options.get("all_or_nothing", True))


class DistrictImportSettings(models.Model):
    """Where the district's SIS drops its nightly OneRoster set, and whether to pick it up.

    The folder is a name under settings.IMPORT_DROP_ROOT (never an arbitrary server path:
    a district administrator must not be able to make the server read /etc).
    """

    district = models.OneToOneField(
        "students.District", on_delete=models.CASCADE, related_name="import_settings"
    )
    drop_folder = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Folder name under the server's drop root, for example 'riverside'."),
    )
    enabled = models.BooleanField(default=False)
    keep_valid_rows = models.BooleanField(
        default=False,
        help_text=_(
            "Import the rows that are fine and list the others, instead of importing "
            "nothing when any row has a problem."
        ),
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("district import settings")
        constraints = [
            # One folder, one district: a shared folder would import one district's
            # students into another (the form and the sweep also compare resolved paths).
            models.UniqueConstraint(
                fields=["drop_folder"],
                condition=~models.Q(drop_folder=""),
                name="drop_folder_one_district",
            )
        ]

    def __str__(self) -> str:
        return f"Import settings of {self.district}"
