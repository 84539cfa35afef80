"""Decision rules as data: a district's versioned RuleSet, the Flags the rules raise, and
the RuleRun record of every sweep.

Integrity is kept by the database: one active rule set per district, version numbers unique
per district, and at most one *live* flag (open or on an agenda) per flag key, so a sweep run
twice, or two sweeps racing, can never leave a duplicate. See docs/decisions.md for the flag
state machine.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mtss.lib.vocabulary import Domain, Tier


class RuleSet(models.Model):
    """One version of a district's decision-rule thresholds (decisions.thresholds.Thresholds).

    Never edited in place: `rule_set_revise` saves version + 1 and makes it the active one,
    so every flag keeps pointing at the exact thresholds that produced it.
    """

    district = models.ForeignKey(
        "students.District", on_delete=models.PROTECT, related_name="rule_sets"
    )
    version = models.PositiveIntegerField()
    thresholds = models.JSONField(
        help_text=_("Thresholds.to_dict(): every number a district sets.")
    )
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True, help_text=_("Why this version was made."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "version"], name="rule_set_version_uniq"),
            models.UniqueConstraint(
                fields=["district"], condition=Q(is_active=True), name="rule_set_one_active"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="rule_set_version_positive"),
        ]

    def __str__(self) -> str:
        return f"Decision rules v{self.version}"

    def as_thresholds(self):  # -> Thresholds (import kept local: models import nothing pure)
        from decisions.thresholds import Thresholds

        return Thresholds.from_dict(self.thresholds)


class FlagKind(models.TextChoices):
    SCREENING_RISK = "screening_risk", _("Screening risk")
    CLASSWIDE = "classwide", _("Classwide problem")
    ODR = "odr", _("Office discipline referrals")
    OCTOBER_CATCH = "october_catch", _("Early referrals (October catch)")
    PROGRESS_RAISE_GOAL = "progress_raise_goal", _("Progress: raise the goal")
    PROGRESS_CHANGE_INTERVENTION = (
        "progress_change_intervention",
        _("Progress: change intervention"),
    )
    PROGRESS_IMPROVE_FIDELITY = (
        "progress_improve_fidelity",
        _("Progress: deliver the plan as written"),
    )
    PROGRESS_EXIT = "progress_exit", _("Progress: goal met, exit or fade")
    DUAL_DISCREPANCY = "dual_discrepancy", _("Dual discrepancy: consider Tier 3")
    CHRONIC_ABSENCE = "chronic_absence", _("Early warning: chronic absence")
    COURSE_FAILURE = "course_failure", _("Early warning: course failures")
    SUSPENSION = "suspension", _("Early warning: suspensions")


# Flags speak of the screening domains, and the early-warning rules of two more areas that
# are not intervention domains (no tiers or plans per domain are kept for them).
FLAG_DOMAINS = [
    *Domain.choices,
    ("attendance", "Attendance"),
    ("course", "Course performance"),
]


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ON_AGENDA = "on_agenda", _("On a meeting agenda")
    ACCEPTED = "accepted", _("Accepted by the team")
    DISMISSED = "dismissed", _("Dismissed")
    RESOLVED = "resolved", _("Resolved by newer data")


LIVE_STATUSES = (FlagStatus.OPEN, FlagStatus.ON_AGENDA)
# Statuses set by people: the same evidence never reopens them (see docs/decisions.md).
DECIDED_STATUSES = (FlagStatus.ACCEPTED, FlagStatus.DISMISSED)


class Flag(models.Model):
    """A rule's prompt to the team about one student (or one class section), with evidence.

    The flag *key* is (student, section, measure, plan, domain, kind, school_year): a student
    flag has student set and section/measure null; a classwide flag (kind "classwide") has
    section and measure set and student null; a progress flag has plan set. At most one flag
    per key is live (open / on_agenda); older, closed flags stay as the record.
    """

    # district, school_year and rule_set are the same for every flag a sweep writes: copies
    # kept for filtering, not references to check. Their database foreign keys are left out
    # (a district sweep would otherwise check the same three rows 60,000 times each); the
    # ORM still cascades and protects, and the sweep writes only ids it has just read under
    # the district's lock. The single-column indexes Django adds for district, school and
    # student are left out too: the composite indexes below start with those columns.
    district = models.ForeignKey(
        "students.District",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    school = models.ForeignKey(
        "students.School", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    school_year = models.ForeignKey(
        "students.SchoolYear", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    student = models.ForeignKey(
        "students.Student",
        on_delete=models.CASCADE,
        related_name="flags",
        null=True,
        blank=True,
        db_index=False,
    )
    section = models.ForeignKey(
        "students.Section", on_delete=models.CASCADE, related_name="flags", null=True, blank=True
    )
    measure = models.ForeignKey(
        "screening.Measure", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    plan = models.ForeignKey(
        "interventions.InterventionPlan",
        on_delete=models.CASCADE,
        related_name="flags",
        null=True,
        blank=True,
    )
    window = models.ForeignKey(
        "screening.ScreeningWindow",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The screening window whose scores the evidence shows."),
    )
    domain = models.CharField(max_length=20, choices=FLAG_DOMAINS)
    kind = models.CharField(max_length=40, choices=FlagKind.choices)
    recommended_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    status = models.CharField(max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    rule = models.CharField(max_length=40, help_text=_("Name of the rule that fired."))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="flags", db_constraint=False
    )
    evidence = models.JSONField()
    evidence_hash = models.CharField(
        max_length=64, help_text=_("SHA-256 of the evidence (without the run date).")
    )
    basis_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text=_(
            "Recorded when people accept or dismiss the flag: SHA-256 of the evidence "
            "the decision rests on (no run date, no percentile ranks of scores classified by cut "
            "scores). The decision stands until the rules' evidence has another basis."
        ),
    )
    context_plan = models.ForeignKey(
        "interventions.InterventionPlan",
        on_delete=models.SET_NULL,
        related_name="context_flags",
        null=True,
        blank=True,
        help_text=_(
            "An active plan in the flag's domain at the recommended tier or higher: the "
            "student is already served, so the flag is context on that plan, not a new referral. "
            "Set and cleared by every sweep."
        ),
    )
    classwide_context = models.BooleanField(
        default=False,
        help_text=_(
            "A Tier 2 flag of a student whose class has a classwide problem: core "
            "instruction comes first."
        ),
    )
    dismissed_reason = models.TextField(blank=True)
    closed_reason = models.TextField(
        blank=True,
        db_default="",  # the sweep's COPY of new flags names its columns
        help_text=_(
            "Why the platform closed a live flag that no rule or person resolved "
            '(for example "Moved to Oak Elementary on 3 December 2026").'
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "section", "measure", "plan", "domain", "kind", "school_year"],
                condition=Q(status__in=["open", "on_agenda"]),
                nulls_distinct=False,
                name="flag_one_live_per_key",
            ),
            models.CheckConstraint(
                condition=Q(student__isnull=False) | Q(section__isnull=False),
                name="flag_has_subject",
            ),
            models.CheckConstraint(
                condition=~Q(kind="classwide")
                | (Q(student__isnull=True) & Q(section__isnull=False) & Q(measure__isnull=False)),
                name="flag_classwide_is_per_section",
            ),
            models.CheckConstraint(
                condition=Q(recommended_tier__gte=1) & Q(recommended_tier__lte=3),
                name="flag_tier_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissed_reason=""),
                name="flag_dismissed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "on_agenda"]) | Q(resolved_at__isnull=False),
                name="flag_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["school", "status", "-created_at"]),
            models.Index(fields=["student", "status"]),
            # The dashboards' pipeline reads a year's flags of a district's schools by student:
            # answered from this index alone (an index-only scan), instead of ~11,000 heap
            # pages of wide flag rows at 50,000 students (150 ms -> 10 ms per read).
            models.Index(
                fields=["school_year", "school"],
                include=["student", "status", "domain"],
                name="flag_year_school_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class RuleRun(models.Model):
    """One sweep of the decision rules over a district (or one school of it).

    Created `running` (or `queued` by the API, before the task starts) and committed before
    the work begins; set to `succeeded` in the same transaction as the flag writes, so a run
    that dies can never look finished. A run left `running` by a dead process is marked
    `failed` by the every-minute check and by the next sweep of the district (its database
    session, `backend_pid`, is gone, or its `heartbeat_at` stopped).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly schedule")
        WINDOW_CLOSE = "window_close", _("Screening window closed")
        SCORES = "scores", _("Scores saved or imported")
        REFERRAL = "referral", _("Office referral recorded")
        IMPORT = "import", _("Data import")
        MANUAL = "manual", _("Command line")
        API = "api", _("API request")
        DEMO = "demo", _("Demo data")
        SETTINGS = "settings", _("District settings changed")

    district = models.ForeignKey(
        "students.District", on_delete=models.CASCADE, related_name="rule_runs"
    )
    school = models.ForeignKey(
        "students.School", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    triggered_by = models.CharField(max_length=20, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField()
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            'Per kind: {"screening_risk": {"created": 3, "updated": 1, "resolved": 0, '
            '"unchanged": 40}, ...}'
        ),
    )
    error = models.TextField(blank=True)
    backend_pid = models.IntegerField(
        null=True, blank=True, help_text=_("PostgreSQL session of the process running the sweep.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Stamped while the sweep runs: its worker is alive.")
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return f"Rule run #{self.pk} ({self.get_status_display()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def total(self, action: str) -> int:
        return sum(int(c.get(action, 0)) for c in (self.counts or {}).values())


# Django finds an app's models through its models module; the classwide plan and the what-if
# previews live in their own.
from decisions.models_classwide import ClasswidePlan  # noqa: E402,F401
from decisions.models_previews import SettingsPreview  # noqa: E402,F401
