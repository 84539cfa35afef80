"""Admin of the decision rules.

- Rule sets: versions are read-only once saved; "Add" (or the action "New version from this
  one") shows every threshold with the district's current values and saves the changes as
  version + 1 through services.rule_set_revise, so old flags keep their version. The new
  version is a draft: it is switched on from its what-if page (settings), which records who
  read the preview, never from here.
- Rule runs: the record of every sweep (status, counts, duration, error), read-only.
- Flags: read-only; the team changes a flag's status on the flag pages or in meetings.
- The nightly schedule itself is under "Periodic tasks" (django-celery-beat).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from decisions import services
from decisions.models import Flag, RuleRun, RuleSet
from decisions.thresholds import DEFAULT_THRESHOLDS, Thresholds
from students.audit import AuditContext
from students.models import District

HELP = {
    "percentile_high_risk_below": "Percentile rule: a rank below this is high risk (default 10).",
    "percentile_some_risk_below": "Percentile rule: a rank below this is some risk (default 25).",
    "min_points_trend": "Points needed for the trend-line rule (default 8).",
    "min_points_data_point": "Points needed for the data-point rule (default 6).",
    "data_point_run": "Consecutive points the data-point rule looks at (default 4).",
    "default_tolerance": "Score units per week either side of the aim line (default 0.5).",
    "goal_met_points": "Consecutive points at or above the goal that mean 'goal met' (default 3; "
    "an intervention's own exit criteria win).",
    "exit_at_benchmark_screening": "Exit a plan when the next screening is at benchmark, for "
    "interventions whose exit criteria do not say (default off).",
    "fidelity_minimum": "Share of planned sessions delivered, 0 to 1 (default 0.8).",
    "dual_discrepancy_growth_percentile": "Dual discrepancy: growth below this percentile of "
    "same-grade peers' growth, with a score below benchmark (default 25).",
    "odr_tier2_at": "Office referrals this year from which Tier 2 is recommended (default 2).",
    "odr_tier3_at": "Office referrals this year from which Tier 3 is recommended (default 6).",
    "october_catch_count": "Referrals by the catch date that raise the early flag (default 2).",
    "october_catch_month": "Month of the catch date (default 10, October).",
    "october_catch_day": "Day of the catch date (default 31).",
    "odr_count_minors": "Count minor referrals in the bands and the October catch too (SWIS "
    "counts majors only; default off).",
    "classwide_enabled": "Flag classes whose median is below the benchmark.",
    "chronic_absence_at": "Share of enrolled days missed that is chronic absence, 0 to 1 "
    "(default 0.10).",
    "chronic_absence_severe_at": "Share of enrolled days missed that is severe chronic absence, "
    "Tier 3 (default 0.20).",
    "chronic_absence_min_days": "School days enrolled before chronic absence is judged (default 10).",
    "absence_trend_days": "Recent school days the rising-absence rule looks at (default 20).",
    "course_failures_flag_at": "Failing courses in the latest grading period that raise the "
    "course flag (default 1: any F).",
    "core_failures_tier3_at": "Failing core courses from which Tier 3 is recommended (default 2).",
    "suspensions_tier2_at": "Suspensions this year from which Tier 2 is recommended (default 1).",
    "suspensions_tier3_at": "Suspensions this year from which Tier 3 is recommended (default 2).",
}


def _threshold_field(name: str, kind: str) -> forms.Field:
    label = name.replace("_", " ").capitalize()
    if kind == "bool":
        return forms.BooleanField(label=label, required=False, help_text=HELP.get(name, ""))
    if kind == "int":
        return forms.IntegerField(label=label, help_text=HELP.get(name, ""))
    return forms.FloatField(label=label, help_text=HELP.get(name, ""))


class _RuleSetVersionFormBase(forms.ModelForm):
    """District, notes, and one field per threshold (the JSON is built from them)."""

    class Meta:
        model = RuleSet
        fields = ("district", "notes")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values = {f.name: data.get(f.name) for f in fields(Thresholds) if f.name in data}
        if len(values) == len(fields(Thresholds)):
            try:
                self.thresholds = Thresholds.from_dict(values)
            except ValueError as exc:
                raise ValidationError(str(exc)) from None
        return data


# Declared (class-level) fields, one per threshold, so the admin's form factory knows them.
RuleSetVersionForm = type(
    "RuleSetVersionForm",
    (_RuleSetVersionFormBase,),
    {f.name: _threshold_field(f.name, str(f.type)) for f in fields(Thresholds)},
)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("district", "version", "is_active", "created_by", "created_at", "notes")
    list_filter = ("is_active", "district")
    readonly_fields = ("district", "version", "is_active", "thresholds", "notes", "created_by")
    actions = ["new_version"]
    form = RuleSetVersionForm

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a version never changes; make a new one

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None:
            return list(self.readonly_fields)
        return ["district", *[f.name for f in fields(Thresholds)], "notes"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = dict(DEFAULT_THRESHOLDS.to_dict())
        district_id = request.GET.get("district")
        if district_id and district_id.isdigit():
            initial["district"] = int(district_id)
            active = RuleSet.objects.filter(district_id=district_id, is_active=True).first()
            if active is not None:
                initial.update(active.as_thresholds().to_dict())
        return initial

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        current = services.rule_set_ensure(district_id=obj.district_id)
        changes = {
            k: v
            for k, v in form.thresholds.to_dict().items()
            if current.as_thresholds().to_dict()[k] != v
        }
        if not changes:
            messages.warning(request, _("Nothing changed: the district keeps its current version."))
            form.instance = current
            obj.pk = current.pk
            return
        new = services.rule_set_revise(
            district=District.objects.get(pk=obj.district_id),
            changes=changes,
            actor=request.user,
            notes=obj.notes,
            audit=AuditContext.from_request(request, via="admin"),
            # A draft: like the settings page, the admin switches a version on only after
            # its what-if preview (the activation records who read it).
            activate=False,
        )
        obj.pk = new.pk
        obj.version = new.version
        messages.info(
            request,
            format_html(
                'Version {} is a draft. <a href="{}">Read its what-if preview</a> to switch it on.',
                new.version,
                reverse("decisions_settings:rule_set_whatif", args=[new.pk]),
            ),
        )

    @admin.action(description=_("New version from this one"))
    def new_version(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> Any:
        first = queryset.first()
        url = reverse("admin:decisions_ruleset_add")
        return HttpResponseRedirect(f"{url}?{urlencode({'district': first.district_id})}")


@admin.register(RuleRun)
class RuleRunAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "district",
        "school",
        "status",
        "triggered_by",
        "as_of",
        "started_at",
        "duration",
        "created",
        "updated",
        "resolved",
        "unchanged",
        "short_error",
    )
    list_filter = ("status", "triggered_by", "district")
    list_select_related = ("district", "school")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Seconds"))
    def duration(self, run: RuleRun) -> str:
        seconds = run.duration_seconds
        return "" if seconds is None else f"{seconds:.2f}"

    @admin.display(description=_("Created"))
    def created(self, run: RuleRun) -> int:
        return run.total("created")

    @admin.display(description=_("Updated"))
    def updated(self, run: RuleRun) -> int:
        return run.total("updated")

    @admin.display(description=_("Resolved"))
    def resolved(self, run: RuleRun) -> int:
        return run.total("resolved")

    @admin.display(description=_("Unchanged"))
    def unchanged(self, run: RuleRun) -> int:
        return run.total("unchanged")

    @admin.display(description=_("Error"))
    def short_error(self, run: RuleRun) -> str:
        if not run.error:
            return ""
        return format_html('<span title="{}">{}</span>', run.error, run.error[:80])


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "domain",
        "student",
        "section",
        "school",
        "recommended_tier",
        "status",
        "created_at",
        "resolved_at",
    )
    list_filter = ("status", "kind", "domain", "recommended_tier")
    list_select_related = ("student", "section", "school")
    raw_id_fields = ("student", "section", "plan")
    search_fields = ("student__last_name", "student__local_id", "section__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
