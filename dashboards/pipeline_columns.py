"""The columns of the equity pipeline's rows, read by its query and by its frame (no Django)."""

# Steps worked out per plan in Python (analysis.interventions.student_plan_flags) and handed to
# the query as one bit per step.
PLAN_SETS = ("fidelity_known", "fidelity_ok", "trend_known", "responding", "exited")
PIPELINE_COLUMNS = (
    "race_ethnicity",
    "sex",
    "english_learner",
    "iep",
    "section_504",
    "economically_disadvantaged",
    "screened",
    "classified",
    "at_risk",
    "flagged",
    "placed",
    "decided",
    "overridden",
    "referred",
    "major_referral",
    "suspended",
    "attendance_known",
    "chronic_absent",
    "marks_known",
    "course_failing",
    *PLAN_SETS,
)
