"""What reaches a student's family, and the formal referral for an evaluation.

- `FamilyLetter`: a letter drafted from a team decision (a plan starts, changes, is
  intensified or ends) or a progress report of a plan, in the family's language. Staff edit
  the draft, then mark it sent (printed or e-mailed); a sent letter is kept as it was sent.
- `EvaluationReferral`: the hand-off that a "refer for evaluation" decision (special
  education or Section 504) opens: parent consent, the evaluation timeline counted from
  consent, the outcome, and the documentation of the student's response to intervention
  (34 CFR 300.311(a)(7)) assembled when the record is signed off, then frozen.

Integrity is kept by the database: one letter per decision and kind, a sent letter has its
time and way, consent is either given or refused, a signed-off record has its documentation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    PLAN_START = "plan_start", _("Support starts")
    PLAN_CHANGE = "plan_change", _("Support changes")
    PLAN_INTENSIFY = "plan_intensify", _("Support increases")
    PLAN_END = "plan_end", _("Support ends")
    PROGRESS_REPORT = "progress_report", _("Progress report")


class FamilyLetter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    class SentVia(models.TextChoices):
        PRINT = "print", _("Printed (handed or posted)")
        EMAIL = "email", _("E-mailed")

    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, related_name="family_letters"
    )
    school = models.ForeignKey("students.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family_letters",
    )
    plan = models.ForeignKey(
        "interventions.InterventionPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family_letters",
    )
    language = models.CharField(max_length=10, default="en")
    recipients = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("The family contacts the letter is addressed to."),
    )
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text=_("The letter as staff edited it; frozen once sent."))
    # The progress graph's data when the report was written (points, goal, labels), drawn
    # server-side as an image (families.chart), so a report keeps the data it was sent with.
    chart_data = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_via = models.CharField(max_length=10, choices=SentVia.choices, blank=True)
    sent_to = models.CharField(max_length=500, blank=True, help_text=_("E-mail addresses used."))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "kind"],
                condition=Q(decision__isnull=False),
                name="family_letter_one_per_decision",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | (Q(sent_at__isnull=False) & ~Q(sent_via="")),
                name="family_letter_sent_has_time_and_way",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="family_letter_has_body"),
        ]
        indexes = [models.Index(fields=["student", "-created_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT


class ReferralKind(models.TextChoices):
    SPECIAL_EDUCATION = "special_education", _("Special-education evaluation")
    SECTION_504 = "section_504", _("Section 504 evaluation")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    WITHDRAWN = "withdrawn", _("Referral withdrawn")


class EvaluationReferral(models.Model):
    student = models.ForeignKey(
        "students.Student", on_delete=models.PROTECT, related_name="evaluation_referrals"
    )
    school = models.ForeignKey("students.School", on_delete=models.PROTECT, related_name="+")
    decision = models.OneToOneField(
        "meetings.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_referral",
    )
    kind = models.CharField(max_length=20, choices=ReferralKind.choices)
    referred_on = models.DateField()
    consent_requested_on = models.DateField(null=True, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_refused_on = models.DateField(null=True, blank=True)
    timeline_days = models.PositiveSmallIntegerField(
        help_text=_("Days from consent to the end of the evaluation (the state's timeline).")
    )
    outcome = models.CharField(
        max_length=20, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    outcome_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    documentation = models.JSONField(
        null=True, blank=True, help_text=_("The assembled record, frozen at sign-off.")
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given_on__isnull=True) | Q(consent_refused_on__isnull=True),
                name="referral_consent_given_or_refused",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True) | Q(documentation__isnull=False),
                name="referral_signed_off_has_documentation",
            ),
            models.CheckConstraint(
                condition=Q(timeline_days__gte=1) & Q(timeline_days__lte=365),
                name="referral_timeline_days_range",
            ),
        ]
        indexes = [models.Index(fields=["school", "outcome"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.student}"

    @property
    def is_frozen(self) -> bool:
        return self.signed_off_at is not None
