"""The what-if preview of a draft settings version, kept as a job and as the record of who read
it (issue 17). Imported by decisions/models.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SettingsPreview(models.Model):
    """A what-if preview of a draft cut-score or rule-set version (decisions/whatif.py), worked
    out as a job on a Celery worker (decisions/whatif_jobs.py) with the same life as an
    import job or a rule run: queued, running (its worker stamps `heartbeat_at`), then
    succeeded with its result or failed with the reason. The every-minute check fails a job
    whose worker stopped. Who read the finished result, and when, is recorded by
    decisions.whatif_services.preview_seen; activation names the preview it followed."""

    class Subject(models.TextChoices):
        CUT_SCORES = "cut_score_set", _("Cut scores")
        RULE_SET = "rule_set", _("Decision rules")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    district = models.ForeignKey("students.District", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    cut_score_set = models.ForeignKey(
        "screening.CutScoreSet", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rule_set = models.ForeignKey(
        "decisions.RuleSet",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="previews",
    )
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("The draft's version number when it was previewed.")
    )
    as_of = models.DateField(null=True, blank=True, help_text=_("The day whose data is judged."))
    window = models.ForeignKey(
        "screening.ScreeningWindow",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The window whose data the preview judged."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Stamped while the job runs: its worker is alive.")
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.JSONField(
        default=dict, blank=True, help_text=_('{"<step under way>": {"done": 2, "total": 5}}')
    )
    error = models.TextField(blank=True)
    summary = models.JSONField(default=dict, help_text=_("The totals the preview showed."))
    result = models.JSONField(
        default=dict, blank=True, help_text=_("The rows per school, grade and group.")
    )
    viewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    viewed_by_name = models.CharField(max_length=200, blank=True)
    viewed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the finished result was first read.")
    )
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(subject="cut_score_set", cut_score_set__isnull=False, rule_set__isnull=True)
                    | Q(subject="rule_set", rule_set__isnull=False, cut_score_set__isnull=True)
                ),
                name="settings_preview_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"What-if {self.get_subject_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def target(self):
        return self.cut_score_set or self.rule_set

    @classmethod
    def for_draft(cls, *, cut_score_set=None, rule_set=None, **fields) -> SettingsPreview:
        """A new preview of one draft (exactly one of `cut_score_set`, `rule_set`): the page's
        queued job and the API's synchronous answer both start here."""
        target = cut_score_set or rule_set
        return cls.objects.create(
            district_id=target.district_id,
            subject=cls.Subject.CUT_SCORES if cut_score_set else cls.Subject.RULE_SET,
            cut_score_set=cut_score_set,
            rule_set=rule_set,
            version=target.version,
            **fields,
        )
