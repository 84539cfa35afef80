"""Input and output shapes of the plan endpoints (plans, progress, sessions, analysis)."""

from __future__ import annotations

from rest_framework import serializers

from interventions.analysis.facts import Recommendation, Rule
from interventions.analysis.reconcile import ORDER
from interventions.models import InterventionPlan
from mtss.lib.vocabulary import Domain


class PlanOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student = serializers.IntegerField(source="student_id")
    school = serializers.IntegerField(source="student.school_id")
    intervention = serializers.IntegerField(source="intervention_id")
    intervention_name = serializers.CharField(source="intervention.name")
    tier = serializers.IntegerField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    measure = serializers.IntegerField(source="measure_id", allow_null=True)
    interventionist = serializers.IntegerField(source="interventionist_id", allow_null=True)
    group = serializers.IntegerField(source="group_id", allow_null=True)
    start_date = serializers.DateField()
    phase_start = serializers.DateField(
        source="current_phase_start", help_text="Start of the current phase."
    )
    phase_version = serializers.IntegerField(
        help_text="The current phase's number: send it as `phase_version` with a goal or "
        "intervention change, so a phase a colleague started meanwhile is not replaced (409)."
    )
    planned_weeks = serializers.IntegerField(allow_null=True)
    sessions_per_week = serializers.IntegerField(allow_null=True)
    minutes_per_session = serializers.IntegerField(allow_null=True)
    baseline = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text="Null: the median of the phase's first three points.",
    )
    goal = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    goal_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=InterventionPlan.Status.choices)
    end_date = serializers.DateField(allow_null=True)
    exit_reason = serializers.CharField()
    entry_criteria_met = serializers.BooleanField(allow_null=True)
    entry_override_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


OVERRIDE_HELP = (
    "Required when the change goes against the rules: escalating (a higher tier, more minutes "
    "a week, a new intervention) while the current plan's fidelity is below the district's "
    "minimum or unknown, or a decision the plan's analysis does not support (docs/rules.md, "
    "'Judging decisions'). The change is recorded as an override with this reason."
)


class PlanCreateSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1)
    intervention = serializers.IntegerField(min_value=1)
    tier = serializers.IntegerField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    measure = serializers.IntegerField(min_value=1, help_text="A progress-monitoring measure.")
    start_date = serializers.DateField()
    baseline = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="Null: the median of the first three points.",
    )
    goal = serializers.CharField()
    goal_date = serializers.DateField()
    sessions_per_week = serializers.IntegerField()
    minutes_per_session = serializers.IntegerField()
    interventionist = serializers.IntegerField(
        required=False, min_value=1, help_text="A user id; you by default."
    )
    group = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    planned_weeks = serializers.IntegerField(required=False, allow_null=True, default=None)
    entry_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the student does not meet the intervention's entry criteria.",
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=OVERRIDE_HELP,
    )


class PlanUpdateSerializer(serializers.Serializer):
    """Every field optional. Schedule fields change the plan; intervention, goal, goal_date
    or baseline start a new phase and need `phase_reason`; status completed/discontinued
    closes the plan and needs `exit_reason`."""

    interventionist = serializers.IntegerField(required=False, min_value=1)
    group = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    planned_weeks = serializers.IntegerField(required=False, allow_null=True)
    sessions_per_week = serializers.IntegerField(required=False)
    minutes_per_session = serializers.IntegerField(required=False)
    intervention = serializers.IntegerField(required=False, min_value=1)
    goal = serializers.CharField(required=False)
    goal_date = serializers.DateField(required=False)
    baseline = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    phase_start_date = serializers.DateField(required=False, help_text="Default: today.")
    phase_reason = serializers.CharField(required=False, allow_blank=True)
    phase_version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The `phase_version` you read; 409 with both versions when another phase "
        "started since. Leave it out to skip the check.",
    )
    status = serializers.ChoiceField(
        choices=[InterventionPlan.Status.COMPLETED, InterventionPlan.Status.DISCONTINUED],
        required=False,
    )
    exit_reason = serializers.CharField(required=False, allow_blank=True)
    next_tier = serializers.IntegerField(required=False, min_value=1, max_value=3)
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=OVERRIDE_HELP,
    )


class PlanFilterSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, min_value=1)
    school = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=InterventionPlan.Status.choices, required=False)
    domain = serializers.ChoiceField(choices=Domain.choices, required=False)


class ProgressInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    score = serializers.CharField(
        max_length=40, help_text="A number inside the measure's range (at most 2 decimals)."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The day's score `version` you read (0: there was none). 409 with both "
        "scores when a colleague saved the day since. Leave it out to skip the check.",
    )


class ProgressOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    version = serializers.IntegerField()


class SessionInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    minutes = serializers.IntegerField()
    attended = serializers.BooleanField()


class SessionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    minutes = serializers.IntegerField()
    attended = serializers.BooleanField()
    group = serializers.IntegerField(source="group_id", allow_null=True)


class ReconciledSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=[*ORDER, "none"])
    label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class AnalysisOutputSerializer(serializers.Serializer):
    points = serializers.IntegerField(help_text="Points in the current phase.")
    trend_slope = serializers.FloatField(
        allow_null=True, help_text="OLS slope per week; null below 2 points."
    )
    aim_slope = serializers.FloatField(allow_null=True)
    tolerance = serializers.FloatField()
    fidelity = serializers.FloatField(allow_null=True, help_text="0..1, null when unknown.")
    recommendation = serializers.ChoiceField(choices=Recommendation.values)
    rule = serializers.ChoiceField(choices=Rule.values)
    dual_discrepancy = serializers.BooleanField()
    reconciled = ReconciledSerializer(
        help_text="One recommendation for the plan where several rules speak (the analysis, "
        "dual discrepancy, the fidelity gate, flags the plan already serves), with the "
        "reasons, in the order of docs/rules.md ('One recommendation per plan')."
    )
