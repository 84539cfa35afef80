"""The equity pipeline's vocabulary: the student groups it compares (dimensions and their
labels) and its steps, each with its population, its outcome and whether that outcome is
desirable or adverse."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from dashboards import equity

RACE_LABELS = [
    ("hispanic_latino", gettext_noop("Hispanic/Latino")),
    ("american_indian", gettext_noop("American Indian or Alaska Native")),
    ("asian", gettext_noop("Asian")),
    ("black", gettext_noop("Black or African American")),
    ("pacific_islander", gettext_noop("Native Hawaiian or Other Pacific Islander")),
    ("white", gettext_noop("White")),
    ("two_or_more", gettext_noop("Two or more races")),
    ("unknown", gettext_noop("Race/ethnicity not reported")),
]
SEX_LABELS = [
    ("F", gettext_noop("Female")),
    ("M", gettext_noop("Male")),
    ("X", gettext_noop("Non-binary")),
    ("U", gettext_noop("Sex not reported")),
]

DIMENSIONS: tuple[equity.Dimension, ...] = (
    equity.Dimension(
        "race_ethnicity",
        gettext_noop("Race/ethnicity"),
        tuple(
            equity.GroupSpec("race_ethnicity", f"race:{v}", label, "race_ethnicity", v)
            for v, label in RACE_LABELS
        ),
        complete=True,
    ),
    equity.Dimension(
        "sex",
        gettext_noop("Sex"),
        tuple(equity.GroupSpec("sex", f"sex:{v}", label, "sex", v) for v, label in SEX_LABELS),
        complete=True,
    ),
    equity.Dimension(
        "english_learner",
        gettext_noop("English learners"),
        (
            equity.GroupSpec(
                "english_learner",
                "english_learner",
                gettext_noop("English learners"),
                "english_learner",
                True,
            ),
        ),
        complete=False,
    ),
    equity.Dimension(
        "iep",
        gettext_noop("Students with an IEP"),
        (equity.GroupSpec("iep", "iep", gettext_noop("Students with an IEP"), "iep", True),),
        complete=False,
    ),
    equity.Dimension(
        "section_504",
        gettext_noop("Students with a 504 plan"),
        (
            equity.GroupSpec(
                "section_504",
                "section_504",
                gettext_noop("Students with a 504 plan"),
                "section_504",
                True,
            ),
        ),
        complete=False,
    ),
    equity.Dimension(
        "economically_disadvantaged",
        gettext_noop("Economically disadvantaged"),
        (
            equity.GroupSpec(
                "economically_disadvantaged",
                "economically_disadvantaged",
                gettext_noop("Economically disadvantaged"),
                "economically_disadvantaged",
                True,
            ),
        ),
        complete=False,
    ),
)


@dataclass(frozen=True)
class Step:
    key: str
    # Written as catalog messages (gettext_noop); the properties below read them in the
    # active language, as plain str for pages, plotly, CSV and JSON.
    msgid: str
    eligible_msgid: str  # who N counts
    outcome_msgid: str  # who X counts
    eligible: str  # column of the pipeline frame (or "all")
    outcome: str
    source: str  # pipeline_sources() key
    # A desirable outcome (being placed when at risk, responding, exiting with the goal met):
    # the concern is a group receiving it less often, and the bands say "less access".
    # Otherwise adverse (flagged, referred, overridden): the concern is over-representation.
    desirable: bool = False

    @property
    def label(self) -> str:
        return gettext(self.msgid)

    @property
    def eligible_label(self) -> str:
        return gettext(self.eligible_msgid)

    @property
    def outcome_label(self) -> str:
        return gettext(self.outcome_msgid)


STEPS: tuple[Step, ...] = (
    Step(
        "screened",
        gettext_noop("Screened"),
        gettext_noop("Active students"),
        gettext_noop("Screened this window"),
        "all",
        "screened",
        "screened",
        desirable=True,
    ),
    Step(
        "at_risk",
        gettext_noop("At risk"),
        gettext_noop("Students screened with a cut score"),
        gettext_noop("At some or high risk"),
        "classified",
        "at_risk",
        "at_risk",
    ),
    Step(
        "flagged",
        gettext_noop("Flagged by the rules"),
        gettext_noop("Active students"),
        gettext_noop("Flagged this school year"),
        "all",
        "flagged",
        "flagged",
    ),
    Step(
        "placed",
        gettext_noop("Placed in Tier 2/3 (given at risk)"),
        gettext_noop("Students at risk"),
        gettext_noop("In an intervention plan this year"),
        "at_risk",
        "placed",
        "placed",
        desirable=True,
    ),
    Step(
        "fidelity",
        gettext_noop("Plan delivered with fidelity of 80% or more"),
        gettext_noop("Students with a plan and logged sessions"),
        gettext_noop("Fidelity of 80% or more"),
        "fidelity_known",
        "fidelity_ok",
        "fidelity",
        desirable=True,
    ),
    Step(
        "responding",
        gettext_noop("Responding"),
        gettext_noop("Students with a plan and a trend"),
        gettext_noop("Trend at or above the aim line"),
        "trend_known",
        "responding",
        "responding",
        desirable=True,
    ),
    Step(
        "exited",
        gettext_noop("Exited with the goal met"),
        gettext_noop("Students with a plan this year"),
        gettext_noop("Plan completed with the goal met"),
        "placed_any",
        "exited",
        "exited",
        desirable=True,
    ),
    Step(
        "referred",
        gettext_noop("Referred for special-education evaluation"),
        gettext_noop("Active students"),
        gettext_noop("Referred for evaluation"),
        "all",
        "referred",
        "referred",
    ),
    Step(
        "overridden",
        gettext_noop("Rules overridden by the team"),
        gettext_noop("Students with a flag or a plan the team decided"),
        gettext_noop(
            "A decision against the rule that applies to it (the plan's analysis, the fidelity "
            "gate or the flag), or a flag the team dismissed"
        ),
        "decided",
        "overridden",
        "overridden",
    ),
    # Behavior equity beside the academic steps, as SWIS's equity report sets it: students
    # with one or more major (office-managed) referrals, and students suspended (a referral
    # whose action taken was an in- or out-of-school suspension).
    Step(
        "major_referral",
        gettext_noop("One or more major office referrals"),
        gettext_noop("Active students"),
        gettext_noop("With a major (office-managed) referral this school year"),
        "all",
        "major_referral",
        "discipline",
    ),
    Step(
        "suspended",
        gettext_noop("Suspended (in or out of school)"),
        gettext_noop("Active students"),
        gettext_noop("With a referral whose action was a suspension this school year"),
        "all",
        "suspended",
        "discipline",
    ),
    # Early-warning indicators (issue 19): chronic absence among students with attendance
    # recorded (the summary judges after the minimum days enrolled), and failing a course in
    # the latest grading period among students with marks.
    Step(
        "chronic_absent",
        gettext_noop("Chronically absent (10% or more of school days missed)"),
        gettext_noop("Students with attendance recorded this school year"),
        gettext_noop("Chronically absent"),
        "attendance_known",
        "chronic_absent",
        "attendance",
    ),
    Step(
        "course_failing",
        gettext_noop("Failing a course (latest grading period)"),
        gettext_noop("Students with course marks this school year"),
        gettext_noop("Failing one or more courses"),
        "marks_known",
        "course_failing",
        "marks",
    ),
)
STEP_BY_KEY = {s.key: s for s in STEPS}
