"""The equity pipeline's vocabulary: the student groups it compares (dimensions and their
labels) and its steps, each with its population, its outcome and whether that outcome is
desirable or adverse."""

from __future__ import annotations

from dataclasses import dataclass

from dashboards import equity

RACE_LABELS = [
    ("hispanic_latino", "Hispanic/Latino"),
    ("american_indian", "American Indian or Alaska Native"),
    ("asian", "Asian"),
    ("black", "Black or African American"),
    ("pacific_islander", "Native Hawaiian or Other Pacific Islander"),
    ("white", "White"),
    ("two_or_more", "Two or more races"),
    ("unknown", "Race/ethnicity not reported"),
]
SEX_LABELS = [("F", "Female"), ("M", "Male"), ("X", "Non-binary"), ("U", "Sex not reported")]

DIMENSIONS: tuple[equity.Dimension, ...] = (
    equity.Dimension(
        "race_ethnicity",
        "Race/ethnicity",
        tuple(
            equity.GroupSpec("race_ethnicity", f"race:{v}", label, "race_ethnicity", v)
            for v, label in RACE_LABELS
        ),
        complete=True,
    ),
    equity.Dimension(
        "sex",
        "Sex",
        tuple(equity.GroupSpec("sex", f"sex:{v}", label, "sex", v) for v, label in SEX_LABELS),
        complete=True,
    ),
    equity.Dimension(
        "english_learner",
        "English learners",
        (
            equity.GroupSpec(
                "english_learner", "english_learner", "English learners", "english_learner", True
            ),
        ),
        complete=False,
    ),
    equity.Dimension(
        "iep",
        "Students with an IEP",
        (equity.GroupSpec("iep", "iep", "Students with an IEP", "iep", True),),
        complete=False,
    ),
    equity.Dimension(
        "section_504",
        "Students with a 504 plan",
        (
            equity.GroupSpec(
                "section_504", "section_504", "Students with a 504 plan", "section_504", True
            ),
        ),
        complete=False,
    ),
    equity.Dimension(
        "economically_disadvantaged",
        "Economically disadvantaged",
        (
            equity.GroupSpec(
                "economically_disadvantaged",
                "economically_disadvantaged",
                "Economically disadvantaged",
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
    label: str
    eligible_label: str  # who N counts
    outcome_label: str  # who X counts
    eligible: str  # column of the pipeline frame (or "all")
    outcome: str
    source: str  # pipeline_sources() key
    # A desirable outcome (being placed when at risk, responding, exiting with the goal met):
    # the concern is a group receiving it less often, and the bands say "less access".
    # Otherwise adverse (flagged, referred, overridden): the concern is over-representation.
    desirable: bool = False


STEPS: tuple[Step, ...] = (
    Step(
        "screened",
        "Screened",
        "Active students",
        "Screened this window",
        "all",
        "screened",
        "screened",
        desirable=True,
    ),
    Step(
        "at_risk",
        "At risk",
        "Students screened with a cut score",
        "At some or high risk",
        "classified",
        "at_risk",
        "at_risk",
    ),
    Step(
        "flagged",
        "Flagged by the rules",
        "Active students",
        "Flagged this school year",
        "all",
        "flagged",
        "flagged",
    ),
    Step(
        "placed",
        "Placed in Tier 2/3 (given at risk)",
        "Students at risk",
        "In an intervention plan this year",
        "at_risk",
        "placed",
        "placed",
        desirable=True,
    ),
    Step(
        "fidelity",
        "Plan delivered with fidelity of 80% or more",
        "Students with a plan and logged sessions",
        "Fidelity of 80% or more",
        "fidelity_known",
        "fidelity_ok",
        "fidelity",
        desirable=True,
    ),
    Step(
        "responding",
        "Responding",
        "Students with a plan and a trend",
        "Trend at or above the aim line",
        "trend_known",
        "responding",
        "responding",
        desirable=True,
    ),
    Step(
        "exited",
        "Exited with the goal met",
        "Students with a plan this year",
        "Plan completed with the goal met",
        "placed_any",
        "exited",
        "exited",
        desirable=True,
    ),
    Step(
        "referred",
        "Referred for special-education evaluation",
        "Active students",
        "Referred for evaluation",
        "all",
        "referred",
        "referred",
    ),
    Step(
        "overridden",
        "Rules overridden by the team",
        "Students with a flag or a plan the team decided",
        "A decision against the rule that applies to it (the plan's analysis, the fidelity "
        "gate or the flag), or a flag the team dismissed",
        "decided",
        "overridden",
        "overridden",
    ),
    # Behavior equity beside the academic steps, as SWIS's equity report sets it: students
    # with one or more major (office-managed) referrals, and students suspended (a referral
    # whose action taken was an in- or out-of-school suspension).
    Step(
        "major_referral",
        "One or more major office referrals",
        "Active students",
        "With a major (office-managed) referral this school year",
        "all",
        "major_referral",
        "discipline",
    ),
    Step(
        "suspended",
        "Suspended (in or out of school)",
        "Active students",
        "With a referral whose action was a suspension this school year",
        "all",
        "suspended",
        "discipline",
    ),
)
STEP_BY_KEY = {s.key: s for s in STEPS}
