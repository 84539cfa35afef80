"""Office discipline referrals (ODRs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Referral(models.Model):
    """An office discipline referral (ODR), recorded in the spirit of SWIS.

    Counted per school year (domain.md: 0-1 Tier 1, 2-5 Tier 2, 6+ Tier 3).
    """

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor (handled by staff)")
        MAJOR = "major", _("Major (office-managed)")

    class Location(models.TextChoices):
        CLASSROOM = "classroom", _("Classroom")
        HALLWAY = "hallway", _("Hallway")
        CAFETERIA = "cafeteria", _("Cafeteria")
        PLAYGROUND = "playground", _("Playground or recess area")
        RESTROOM = "restroom", _("Restroom")
        GYM = "gym", _("Gym")
        LIBRARY = "library", _("Library")
        BUS = "bus", _("Bus")
        BUS_AREA = "bus_area", _("Bus loading zone")
        OFFICE = "office", _("Office")
        SPECIAL_EVENT = "special_event", _("Assembly or special event")
        PARKING_LOT = "parking_lot", _("Parking lot")
        OFF_CAMPUS = "off_campus", _("Off campus")
        OTHER = "other", _("Other location")
        UNKNOWN = "unknown", _("Unknown location")

    class ProblemBehavior(models.TextChoices):
        PHYSICAL_AGGRESSION = "physical_aggression", _("Physical aggression")
        FIGHTING = "fighting", _("Fighting")
        ABUSIVE_LANGUAGE = "abusive_language", _("Abusive or inappropriate language")
        DEFIANCE = "defiance", _("Defiance or disrespect")
        DISRUPTION = "disruption", _("Disruption")
        HARASSMENT = "harassment", _("Harassment or bullying")
        PROPERTY_DAMAGE = "property_damage", _("Property damage or vandalism")
        THEFT = "theft", _("Theft")
        LYING_CHEATING = "lying_cheating", _("Lying or cheating")
        TECHNOLOGY = "technology", _("Technology misuse")
        SKIPPING = "skipping", _("Skipping class or leaving the area")
        TARDY = "tardy", _("Repeated tardiness")
        DRESS_CODE = "dress_code", _("Dress code")
        TOBACCO_DRUGS = "tobacco_drugs", _("Tobacco, alcohol or drugs")
        WEAPONS = "weapons", _("Weapons")
        PHYSICAL_CONTACT = "physical_contact", _("Inappropriate physical contact")
        OTHER = "other", _("Other behavior")

    class Motivation(models.TextChoices):
        PEER_ATTENTION = "peer_attention", _("Get attention from peers")
        ADULT_ATTENTION = "adult_attention", _("Get attention from adults")
        OBTAIN_ITEM = "obtain_item", _("Get an item or activity")
        AVOID_TASK = "avoid_task", _("Avoid a task or work")
        AVOID_PEERS = "avoid_peers", _("Avoid peers")
        AVOID_ADULTS = "avoid_adults", _("Avoid adults")
        AVOID_ACTIVITY = "avoid_activity", _("Avoid an activity")
        UNKNOWN = "unknown", _("Don't know")
        OTHER = "other", _("Other")

    class OthersInvolved(models.TextChoices):
        NONE = "none", _("Nobody else")
        PEERS = "peers", _("Peers")
        STAFF = "staff", _("Staff")
        TEACHER = "teacher", _("Teacher")
        SUBSTITUTE = "substitute", _("Substitute")
        UNKNOWN = "unknown", _("Unknown")
        OTHER = "other", _("Other")

    class Action(models.TextChoices):
        CONFERENCE = "conference", _("Talk with the student")
        LOSS_OF_PRIVILEGE = "loss_of_privilege", _("Loss of privilege")
        TIME_IN_OFFICE = "time_in_office", _("Time in the office")
        PARENT_CONTACT = "parent_contact", _("Family contacted")
        DETENTION = "detention", _("Detention")
        RESTITUTION = "restitution", _("Repair or restitution")
        REFLECTION = "reflection", _("Reflection or re-teaching the expectation")
        IN_SCHOOL_SUSPENSION = "in_school_suspension", _("In-school suspension")
        OUT_OF_SCHOOL_SUSPENSION = (
            "out_of_school_suspension",
            _("Out-of-school suspension"),
        )
        OTHER = "other", _("Other action")
        PENDING = "pending", _("Action pending")

    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="referrals"
    )
    school = models.ForeignKey("students.School", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey(
        "students.SchoolYear", on_delete=models.PROTECT, related_name="referrals"
    )
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    location = models.CharField(max_length=20, choices=Location.choices)
    problem_behavior = models.CharField(max_length=30, choices=ProblemBehavior.choices)
    perceived_motivation = models.CharField(
        max_length=20, choices=Motivation.choices, default=Motivation.UNKNOWN
    )
    others_involved = models.CharField(
        max_length=20, choices=OthersInvolved.choices, default=OthersInvolved.NONE
    )
    action_taken = models.CharField(max_length=30, choices=Action.choices, default=Action.PENDING)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The staff member who saw the behavior, when they have an account."),
    )
    staff_name = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-time", "-id"]
        indexes = [
            models.Index(fields=["school_year", "student"]),
            models.Index(fields=["school", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_problem_behavior_display()}"
