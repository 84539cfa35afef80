"""Team meetings: the meeting, its agenda, the team's decisions, action items, and the
concerns teachers raise for the team to discuss.

Integrity lives in the database: one agenda item per student per meeting, agenda positions
unique per meeting (deferred, so two items can swap places in one transaction), a closed
meeting always has frozen minutes, a decision that goes against the rule always has a
rationale. `version` columns on meetings, agenda items and action items carry the optimistic
locking of docs/meetings.md (a save says which version it edited; a stale save is refused).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Deferrable, Q
from django.utils.translation import gettext_lazy as _

from mtss.lib.vocabulary import Domain


class MeetingKind(models.TextChoices):
    GRADE_LEVEL = "grade_level", _("Grade-level data meeting")
    PROBLEM_SOLVING = "problem_solving", _("Problem-solving team meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class MeetingSeries(models.Model):
    """Meetings that repeat every N weeks (created together by `meeting_schedule_series`)."""

    school = models.ForeignKey("students.School", on_delete=models.CASCADE, related_name="+")
    every_weeks = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_weeks__gte=1) & Q(every_weeks__lte=12),
                name="meeting_series_every_1_to_12_weeks",
            )
        ]

    def __str__(self) -> str:
        return f"Every {self.every_weeks} week(s)"


class Meeting(models.Model):
    school = models.ForeignKey("students.School", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    grade = models.SmallIntegerField(
        null=True, blank=True, help_text=_("Grade-level meetings: the grade discussed.")
    )
    window = models.ForeignKey(
        "screening.ScreeningWindow",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Grade-level meetings: the screening window whose results are discussed."),
    )
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings_attended", blank=True
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notes = models.TextField(blank=True, help_text=_("General notes of the meeting."))
    version = models.PositiveIntegerField(default=1)
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    minutes_text = models.TextField(blank=True, help_text=_("Frozen when the meeting closes."))
    minutes_data = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="grade_level") | Q(grade__isnull=False),
                name="meeting_grade_level_has_grade",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (Q(closed_at__isnull=False) & Q(minutes_data__isnull=False)),
                name="meeting_closed_has_minutes",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="meeting_version_positive"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="meeting_duration_range",
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "scheduled_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.kind == MeetingKind.GRADE_LEVEL and self.grade is not None:
            from students.models import grade_label

            label = grade_label(self.grade)
            season = f" ({self.window.name} screening)" if self.window_id else ""
            return f"Grade {label} data meeting{season}"
        return self.get_kind_display()

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class Concern(models.Model):
    """A teacher's "please discuss this student" request for the school's team."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a meeting")
        ON_AGENDA = "on_agenda", _("On a meeting agenda")
        DISCUSSED = "discussed", _("Discussed by the team")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    school = models.ForeignKey("students.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="concerns"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="concern_has_note"),
        ]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"Concern about {self.student} ({self.get_status_display()})"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        STUDENT = "student", _("Student")
        CLASSWIDE = "classwide", _("Classwide problem")
        SUMMARY = "summary", _("Screening summary")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not discussed yet")
        DISCUSSED = "discussed", _("Discussed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STUDENT)
    student = models.ForeignKey(
        "students.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    section = models.ForeignKey(
        "students.Section", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField()
    priority = models.PositiveSmallIntegerField(
        default=9, help_text=_("Priority group the agenda builder gave (meetings.agenda).")
    )
    reason = models.CharField(max_length=300, blank=True, help_text=_("Why it is on the agenda."))
    title = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True, help_text=_("Summary figures, if any."))
    flags = models.ManyToManyField("decisions.Flag", related_name="agenda_items", blank=True)
    concerns = models.ManyToManyField(Concern, related_name="agenda_items", blank=True)
    plans = models.ManyToManyField(
        "interventions.InterventionPlan", related_name="agenda_items", blank=True
    )
    target_minutes = models.PositiveSmallIntegerField(default=5)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    version = models.PositiveIntegerField(default=1)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "student"],
                condition=Q(student__isnull=False),
                name="agenda_item_one_per_student",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_position_uniq",
                deferrable=Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=~Q(kind="student") | Q(student__isnull=False),
                name="agenda_item_student_has_student",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="agenda_item_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.STUDENT and self.student_id:
            return self.student.full_name
        return self.title or self.get_kind_display()


class DecisionType(models.TextChoices):
    PLACE_TIER2 = "place_tier2", _("Place in Tier 2")
    PLACE_TIER3 = "place_tier3", _("Place in Tier 3")
    CONTINUE = "continue", _("Continue the plan")
    MODIFY_PLAN = "modify_plan", _("Modify the plan (new phase)")
    INTENSIFY = "intensify", _("Intensify")
    FADE = "fade", _("Fade (less support)")
    EXIT = "exit", _("Exit the intervention")
    REFER_EVALUATION = "refer_evaluation", _("Refer for special-education evaluation")
    REFER_504 = "refer_504", _("Refer for a Section 504 evaluation")
    MONITOR = "monitor", _("Monitor (no new plan)")
    DISMISS_FLAG = "dismiss_flag", _("Dismiss the flag")


class Decision(models.Model):
    """What the team decided for one student; recording it applied its effects
    (meetings.services.decisions.meeting_record_decision)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, related_name="meeting_decisions"
    )
    type = models.CharField(max_length=20, choices=DecisionType.choices)
    domain = models.CharField(max_length=20, choices=Domain.choices, blank=True)
    tier = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The student's tier in the domain after the decision.")
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    plan = models.ForeignKey(
        "interventions.InterventionPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
        help_text=_("The plan created or changed."),
    )
    flags = models.ManyToManyField(
        "decisions.Flag",
        related_name="meeting_decisions",
        blank=True,
        help_text=_("The flags this decision answered."),
    )
    rationale = models.TextField(blank=True)
    follows_rule = models.BooleanField(
        null=True, blank=True, help_text=_("Empty when no rule made a recommendation.")
    )
    is_override = models.BooleanField(default=False)
    recommendation = models.CharField(
        max_length=200, blank=True, help_text=_("What the rules recommended, in words.")
    )
    judged_basis = models.CharField(
        max_length=20,
        blank=True,
        help_text=_(
            "What the decision was judged against: plan (its current analysis), flags, fidelity_gate, not_enough_data or none (meetings.alignment.judge)."
        ),
    )
    judged_rule = models.CharField(
        max_length=40, blank=True, help_text=_("The rule it was judged against (short name).")
    )
    judged_evidence = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "The evidence it was judged against: plan, analysis, points, fidelity, or the governing flag's kind and tier."
        ),
    )
    details = models.JSONField(
        default=dict, blank=True, help_text=_("Dosage, dates and names, as the minutes read them.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_override=True) | ~Q(rationale=""),
                name="decision_override_has_rationale",
            ),
            models.CheckConstraint(
                condition=Q(tier__isnull=True) | (Q(tier__gte=1) & Q(tier__lte=3)),
                name="decision_tier_range",
            ),
        ]
        indexes = [models.Index(fields=["student", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} for {self.student}"

    @property
    def judgement_words(self) -> str:
        """What the decision was judged against, in a sentence for the card and minutes."""
        from meetings.alignment import judgement_words

        return judgement_words(self.judged_basis, self.recommendation)


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    student = models.ForeignKey(
        "students.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_items",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    description = models.CharField(max_length=500)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="action_item_described"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False),
                name="action_item_done_has_time",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.description


# Django finds an app's models through its models module; classwide decisions live in their own.
from meetings.models_classwide import ClasswideDecision, ClasswideDecisionType  # noqa: E402,F401
