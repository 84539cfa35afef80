"""Universal screening: measures, windows, versioned cut scores, scores, behavior data.

The rules (domain.md sections 1-2) live in `screening/risk.py` as pure functions; writes go
through `screening/services/`. Integrity is kept by the database: one score per student,
measure and window; one active cut-score set per district and measure; ranges checked.

Reference data (district = NULL) is shipped by a data migration and is read-only: a district
copies a reference set into its own and edits the copy (a new version each time).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from mtss.lib.vocabulary import Domain, RiskLevel
from students.models import GRADE_CHOICES, GRADE_MAX, GRADE_MIN

SCORE_DIGITS = 8
SCORE_PLACES = 2


def _score_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=SCORE_DIGITS, decimal_places=SCORE_PLACES, **kwargs)


class Season(models.TextChoices):
    FALL = "fall", "Fall"
    WINTER = "winter", "Winter"
    SPRING = "spring", "Spring"


SEASON_ORDER = {Season.FALL: 0, Season.WINTER: 1, Season.SPRING: 2}


class Measure(models.Model):
    """An assessment: its score range, direction, grades and use (screening, progress or both).

    `district` NULL marks a shipped reference measure (read-only); a district's own measures
    carry its id. `code` is a short slug unique per district (and among reference measures).
    """

    class Area(models.TextChoices):
        ACADEMIC = "academic", "Academic"
        BEHAVIOR = "behavior", "Behavior"
        SEL = "sel", "Social-emotional"

    class Purpose(models.TextChoices):
        SCREENING = "screening", "Screening"
        PROGRESS = "progress", "Progress monitoring"
        BOTH = "both", "Screening and progress monitoring"

    district = models.ForeignKey(
        "students.District",
        on_delete=models.PROTECT,
        related_name="measures",
        null=True,
        blank=True,
        help_text="Empty for shipped reference measures, which nobody can edit.",
    )
    code = models.SlugField(max_length=50, help_text="Short unique name, e.g. orf or srss-e7.")
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    area = models.CharField(max_length=20, choices=Area.choices, default=Area.ACADEMIC)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SCREENING)
    unit = models.CharField(
        max_length=100, blank=True, help_text="What the number counts, e.g. words correct/minute."
    )
    min_score = _score_field(default=Decimal("0"))
    max_score = _score_field()
    higher_is_better = models.BooleanField(
        default=True,
        help_text="Off for measures where a lower score is better (errors, problem behavior).",
    )
    lowest_grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    highest_grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    slope_tolerance = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.5"),
        help_text="Progress-monitoring trend-line rule: score units per week either side of the "
        "aim line that still count as on track.",
    )
    instrument = models.CharField(
        max_length=100, blank=True, help_text="Instrument and version, e.g. SRSS-IE 2016."
    )
    description = models.TextField(blank=True, help_text="What it measures and its source.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"], nulls_distinct=False, name="measure_code_uniq"
            ),
            models.CheckConstraint(
                condition=Q(min_score__lt=F("max_score")), name="measure_score_range"
            ),
            models.CheckConstraint(
                condition=Q(lowest_grade__lte=F("highest_grade"))
                & Q(lowest_grade__gte=GRADE_MIN)
                & Q(highest_grade__lte=GRADE_MAX),
                name="measure_grade_range",
            ),
            models.CheckConstraint(
                condition=Q(slope_tolerance__gte=0), name="measure_slope_tolerance"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_reference(self) -> bool:
        return self.district_id is None

    def serves_grade(self, grade: int) -> bool:
        return self.lowest_grade <= grade <= self.highest_grade


class ScreeningWindow(models.Model):
    """Fall, winter or spring screening of one school year (and so of one district)."""

    school_year = models.ForeignKey(
        "students.SchoolYear", on_delete=models.PROTECT, related_name="screening_windows"
    )
    season = models.CharField(max_length=10, choices=Season.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    is_open = models.BooleanField(
        default=False, help_text="Teachers can enter scores only while the window is open."
    )

    class Meta:
        ordering = ["school_year", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "season"], name="window_season_uniq"),
            models.CheckConstraint(condition=Q(start_date__lte=F("end_date")), name="window_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_season_display()} {self.school_year.name}"


class CutScoreSet(models.Model):
    """One version of the cut scores for a measure, for a district (or a reference set).

    Never edited in place once scores point at it: `cut_score_set_revise` makes version + 1.
    `method` criterion uses the rows' benchmark / high-risk cut; percentile ranks each score in
    its local norm group (measure, grade, window, district) and applies the two PR edges.
    """

    class Method(models.TextChoices):
        CRITERION = "criterion", "Criterion (benchmark scores)"
        PERCENTILE = "percentile", "Percentile rank in the district"

    district = models.ForeignKey(
        "students.District",
        on_delete=models.PROTECT,
        related_name="cut_score_sets",
        null=True,
        blank=True,
        help_text="Empty for shipped reference sets, which are read-only.",
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="cut_score_sets")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.CRITERION)
    high_risk_below_pr = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Percentile method: a percentile rank below this is high risk.",
    )
    some_risk_below_pr = models.PositiveSmallIntegerField(
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Percentile method: a percentile rank below this (and not high risk) is "
        "some risk.",
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived_sets",
        help_text="The set (previous version or reference) this one was made from.",
    )
    is_active = models.BooleanField(default=True)
    source = models.TextField(blank=True, help_text="Where the numbers come from.")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "district", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "district", "version"],
                nulls_distinct=False,
                name="cut_score_set_version_uniq",
            ),
            models.UniqueConstraint(
                fields=["district", "measure"],
                condition=Q(is_active=True),
                nulls_distinct=False,
                name="cut_score_set_one_active",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="cut_score_set_version"),
            models.CheckConstraint(
                condition=Q(high_risk_below_pr__gte=1)
                & Q(high_risk_below_pr__lte=F("some_risk_below_pr"))
                & Q(some_risk_below_pr__lte=99),
                name="cut_score_set_pr_edges",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_reference(self) -> bool:
        return self.district_id is None


class CutScore(models.Model):
    """The boundaries for one grade and season of a cut-score set.

    Higher-is-better measure: score >= benchmark is at or above; high_risk_cut <= score <
    benchmark is some risk; score < high_risk_cut is high risk.
    Lower-is-better measure (mirror): score <= benchmark is at or above; benchmark < score <=
    high_risk_cut is some risk; score > high_risk_cut is high risk.
    The p10..p90 columns keep published norms (e.g. Hasbrouck & Tindal) for display.
    """

    cut_score_set = models.ForeignKey(CutScoreSet, on_delete=models.CASCADE, related_name="rows")
    grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    season = models.CharField(max_length=10, choices=Season.choices)
    benchmark = _score_field(
        help_text="Higher is better: the lowest score that is at or above benchmark. "
        "Lower is better: the highest score that is at or above benchmark."
    )
    high_risk_cut = _score_field(
        help_text="Higher is better: scores below this are high risk. "
        "Lower is better: scores above this are high risk."
    )
    p10 = _score_field(null=True, blank=True)
    p25 = _score_field(null=True, blank=True)
    p50 = _score_field(null=True, blank=True)
    p75 = _score_field(null=True, blank=True)
    p90 = _score_field(null=True, blank=True)

    class Meta:
        ordering = ["cut_score_set", "grade", "season"]
        constraints = [
            models.UniqueConstraint(
                fields=["cut_score_set", "grade", "season"], name="cut_score_row_uniq"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=GRADE_MIN) & Q(grade__lte=GRADE_MAX),
                name="cut_score_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return f"grade {self.grade} {self.season}: {self.benchmark} / {self.high_risk_cut}"


class BehaviorRating(models.Model):
    """An SRSS-IE rating of one student in one window (each item 0-3).

    Saving one (services.behavior_rating_record) also records the subscale totals as
    screening scores of the SRSS-E7 and SRSS-I5 / SRSS-I6 measures, so the decision rules
    treat behavior like any other screening measure.
    """

    class SchoolLevel(models.TextChoices):
        ELEMENTARY = "elementary", "Elementary (SRSS-I5)"
        SECONDARY = "secondary", "Middle and high school (SRSS-I6)"

    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="behavior_ratings"
    )
    window = models.ForeignKey(
        ScreeningWindow, on_delete=models.PROTECT, related_name="behavior_ratings"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    instrument_version = models.CharField(max_length=50, default="SRSS-IE 2016")
    school_level = models.CharField(max_length=20, choices=SchoolLevel.choices)
    items = models.JSONField(help_text="Item key -> rating 0 (never) to 3 (frequently).")
    externalizing_total = models.PositiveSmallIntegerField()
    internalizing_total = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "window"], name="behavior_rating_uniq"),
            models.CheckConstraint(
                condition=Q(externalizing_total__lte=21), name="behavior_rating_e7_range"
            ),
            models.CheckConstraint(
                condition=Q(internalizing_total__lte=18), name="behavior_rating_i_range"
            ),
        ]


class ScreeningScore(models.Model):
    """One student's score on one measure in one window, with the risk it was given.

    `cut_score_set` is the exact version that classified it (NULL when no cut score applied,
    and then `risk_level` is NULL too: "no rule", never "no risk"). `grade` is the student's
    grade when screened, so history stays right after promotion.
    """

    class Source(models.TextChoices):
        ENTERED = "entered", "Entered by hand"
        IMPORTED = "imported", "Imported from a file"
        RATING = "rating", "From a behavior rating"

    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="screening_scores"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="scores")
    window = models.ForeignKey(ScreeningWindow, on_delete=models.PROTECT, related_name="scores")
    grade = models.SmallIntegerField(choices=GRADE_CHOICES)
    score = _score_field()
    risk_level = models.CharField(
        max_length=20, choices=RiskLevel.choices, null=True, blank=True, db_index=True
    )
    percentile_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 to 99, within the district's grade for this window."
    )
    cut_score_set = models.ForeignKey(
        CutScoreSet, on_delete=models.PROTECT, null=True, blank=True, related_name="scores"
    )
    behavior_rating = models.ForeignKey(
        BehaviorRating, on_delete=models.SET_NULL, null=True, blank=True, related_name="scores"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["window", "measure", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "measure", "window"], name="screening_score_uniq"
            ),
            models.CheckConstraint(
                condition=Q(percentile_rank__isnull=True)
                | (Q(percentile_rank__gte=1) & Q(percentile_rank__lte=99)),
                name="screening_score_pr_range",
            ),
            models.CheckConstraint(
                condition=Q(risk_level__isnull=True) | Q(risk_level__in=RiskLevel.values),
                name="screening_score_risk_level",
            ),
        ]
        indexes = [
            # The local norm group and completion counts: one window, measure and grade.
            models.Index(fields=["window", "measure", "grade"]),
            models.Index(fields=["student", "measure"]),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.measure_id} {self.window_id}: {self.score}"

    @property
    def cut_score_version(self) -> int | None:
        return self.cut_score_set.version if self.cut_score_set_id else None


class ScoreChange(models.Model):
    """A re-entered score: what it was, what it became, who changed it and when."""

    score = models.ForeignKey(ScreeningScore, on_delete=models.CASCADE, related_name="changes")
    old_value = _score_field()
    new_value = _score_field()
    old_risk_level = models.CharField(max_length=20, choices=RiskLevel.choices, blank=True)
    new_risk_level = models.CharField(max_length=20, choices=RiskLevel.choices, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]


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
