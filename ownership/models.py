"""The student's own page: the sign-in codes a teacher prints, and the class reflection checks
students answer there.

What a student writes about a plan (their goal in their own words, "How did it go?" after a
progress check) lands on the plan itself, as interventions.StudentGoalStatement and
interventions.SelfRating rows marked `by_student`; only what has no plan to land on (a Tier 1
class reflection) lives here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The faces of "How did it go?", 1 (not well) to 5 (very well): the same 1-5 scale as the
# plan's self-ratings, so a student's rating and one typed by staff read alike.
RATING_MIN, RATING_MAX = 1, 5


class SignInCode(models.Model):
    """A short-lived code that opens one student's own page.

    The code itself is shown once, on the printed card; the database keeps only its SHA-256
    (a random code needs no slow hash) so a copy of the database opens nothing.
    """

    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="sign_in_codes"
    )
    # The class it was printed for: whose teacher printed it, and which reflection checks
    # the student sees.
    section = models.ForeignKey(
        "students.Section", on_delete=models.CASCADE, related_name="sign_in_codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Printing new codes for a class ends its earlier ones (a lost sheet stops working).
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["section", "student"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="sign_in_code_expires"
            )
        ]

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.ended_at is None and self.expires_at > now


class ReflectionCheck(models.Model):
    """A question a teacher puts to the whole class ("How well did I use my strategies this
    week?"), answered on each student's own page while it is open."""

    section = models.ForeignKey(
        "students.Section", on_delete=models.CASCADE, related_name="reflection_checks"
    )
    question = models.CharField(max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["section", "-opened_at"])]

    def is_open(self, now=None) -> bool:
        return self.closes_at > (now or timezone.now())


class ReflectionAnswer(models.Model):
    """One student's answer to a class reflection check: a rating and their own words."""

    # Not named `check`: that is Django's Model.check().
    reflection = models.ForeignKey(
        ReflectionCheck, on_delete=models.CASCADE, related_name="answers"
    )
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="reflection_answers"
    )
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    # The code the student signed in with: who wrote it, as far as the school can know.
    code = models.ForeignKey(SignInCode, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "student"], name="reflection_answer_once"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN) & Q(rating__lte=RATING_MAX),
                name="reflection_answer_1_to_5",
            ),
        ]
