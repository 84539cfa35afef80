"""Tier 1 small groups a teacher keeps for a class, and the district's resources per skill
(issue 20 item 2). The proposal itself is decisions.group_proposal (pure); this app keeps what
the teacher adjusted and saved, window by window, so a new window's proposal never overwrites
the groups kept from the one before."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mtss.lib.vocabulary import Skill
from students.models import GRADE_CHOICES


class SkillResource(models.Model):
    """Content or an activity for one skill, online (a link) or offline (a description of what
    to do and with what), for a band of grades. District administrators keep the list."""

    class Kind(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline")

    district = models.ForeignKey(
        "students.District", on_delete=models.CASCADE, related_name="skill_resources"
    )
    title = models.CharField(max_length=200)
    skill = models.CharField(max_length=30, choices=Skill.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    url = models.URLField(blank=True, help_text=_("Where an online resource lives."))
    description = models.TextField(
        blank=True, help_text=_("What the activity is and what it needs (offline resources).")
    )
    lowest_grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    highest_grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skill", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lowest_grade__lte=F("highest_grade")),
                name="skill_resource_grade_band",
                violation_error_message="The highest grade comes after the lowest.",
            ),
            models.CheckConstraint(
                condition=Q(kind="offline") | ~Q(url=""),
                name="skill_resource_online_has_link",
                violation_error_message="An online resource needs its link.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GroupSet(models.Model):
    """The groups a teacher kept for one class from one window's scores. Keeping again in the
    same window replaces the set; a later window gets a set of its own, so the earlier one
    stays readable ("kept from the fall window")."""

    section = models.ForeignKey(
        "students.Section", on_delete=models.CASCADE, related_name="group_sets"
    )
    window = models.ForeignKey(
        "screening.ScreeningWindow", on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField(
        max_length=40, help_text=_('How they were proposed: "skill" or "risk:<measure id>".')
    )
    max_size = models.PositiveSmallIntegerField()
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kept_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-kept_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "window"], name="group_set_one_per_window")
        ]


class SmallGroup(models.Model):
    group_set = models.ForeignKey(GroupSet, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    skill = models.CharField(max_length=30, choices=Skill.choices, blank=True)
    resources = models.ManyToManyField(SkillResource, blank=True, related_name="groups")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_set", "position"], name="small_group_position_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A student in a kept group; `group_set` repeats the group's set so the database itself
    holds a student to one group per set."""

    group_set = models.ForeignKey(GroupSet, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(SmallGroup, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["id"]  # the order they were kept in (the proposal's: neediest first)
        constraints = [
            models.UniqueConstraint(
                fields=["group_set", "student"], name="group_member_once_per_set"
            )
        ]
