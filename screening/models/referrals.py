"""Office discipline referrals (ODRs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Referral(models.Model):
    """An office discipline referral (ODR), recorded in the spirit of SWIS.

    Counted per school year (domain.md: 0-1 Tier 1, 2-5 Tier 2, 6+ Tier 3).
    """

    class Severity(models.TextChoices):
        MINOR = "minor", "Minor (handled by staff)"
        MAJOR = "major", "Major (office-managed)"

    class Location(models.TextChoices):
        CLASSROOM = "classroom", "Classroom"
        HALLWAY = "hallway", "Hallway"
        CAFETERIA = "cafeteria", "Cafeteria"
        PLAYGROUND = "playground", "Playground or recess area"
        RESTROOM = "restroom", "Restroom"
        GYM = "gym", "Gym"
        LIBRARY = "library", "Library"
        BUS = "bus", "Bus"
        BUS_AREA = "bus_area", "Bus loading zone"
        OFFICE = "office", "Office"
        SPECIAL_EVENT = "special_event", "Assembly or special event"
        PARKING_LOT = "parking_lot", "Parking lot"
        OFF_CAMPUS = "off_campus", "Off campus"
        OTHER = "other", "Other location"
        UNKNOWN = "unknown", "Unknown location"

    class ProblemBehavior(models.TextChoices):
        PHYSICAL_AGGRESSION = "physical_aggression", "Physical aggression"
        FIGHTING = "fighting", "Fighting"
        ABUSIVE_LANGUAGE = "abusive_language", "Abusive or inappropriate language"
        DEFIANCE = "defiance", "Defiance or disrespect"
        DISRUPTION = "disruption", "Disruption"
        HARASSMENT = "harassment", "Harassment or bullying"
        PROPERTY_DAMAGE = "property_damage", "Property damage or vandalism"
        THEFT = "theft", "Theft"
        LYING_CHEATING = "lying_cheating", "Lying or cheating"
        TECHNOLOGY = "technology", "Technology misuse"
        SKIPPING = "skipping", "Skipping class or leaving the area"
        TARDY = "tardy", "Repeated tardiness"
        DRESS_CODE = "dress_code", "Dress code"
        TOBACCO_DRUGS = "tobacco_drugs", "Tobacco, alcohol or drugs"
        WEAPONS = "weapons", "Weapons"
        PHYSICAL_CONTACT = "physical_contact", "Inappropriate physical contact"
        OTHER = "other", "Other behavior"

    class Motivation(models.TextChoices):
        PEER_ATTENTION = "peer_attention", "Get attention from peers"
        ADULT_ATTENTION = "adult_attention", "Get attention from adults"
        OBTAIN_ITEM = "obtain_item", "Get an item or activity"
        AVOID_TASK = "avoid_task", "Avoid a task or work"
        AVOID_PEERS = "avoid_peers", "Avoid peers"
        AVOID_ADULTS = "avoid_adults", "Avoid adults"
        AVOID_ACTIVITY = "avoid_activity", "Avoid an activity"
        UNKNOWN = "unknown", "Don't know"
        OTHER = "other", "Other"

    class OthersInvolved(models.TextChoices):
        NONE = "none", "Nobody else"
        PEERS = "peers", "Peers"
        STAFF = "staff", "Staff"
        TEACHER = "teacher", "Teacher"
        SUBSTITUTE = "substitute", "Substitute"
        UNKNOWN = "unknown", "Unknown"
        OTHER = "other", "Other"

    class Action(models.TextChoices):
        CONFERENCE = "conference", "Talk with the student"
        LOSS_OF_PRIVILEGE = "loss_of_privilege", "Loss of privilege"
        TIME_IN_OFFICE = "time_in_office", "Time in the office"
        PARENT_CONTACT = "parent_contact", "Family contacted"
        DETENTION = "detention", "Detention"
        RESTITUTION = "restitution", "Repair or restitution"
        REFLECTION = "reflection", "Reflection or re-teaching the expectation"
        IN_SCHOOL_SUSPENSION = "in_school_suspension", "In-school suspension"
        OUT_OF_SCHOOL_SUSPENSION = "out_of_school_suspension", "Out-of-school suspension"
        OTHER = "other", "Other action"
        PENDING = "pending", "Action pending"

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
        help_text="The staff member who saw the behavior, when they have an account.",
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
