"""Admin of the interventions app.

- Catalog entries are edited here (the shared catalog by superusers; a district's own entries
  too): the entry and exit criteria and the fidelity checklist are checked by
  interventions/criteria.py, so a typo is refused with a message instead of admitting everyone.
- Plans, phases, scores, sessions and tier placements are read-only: they change through the
  services (plan pages, API, meetings), which check the rules and write the record of access.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from interventions.criteria import (
    validate_checklist,
    validate_entry_criteria,
    validate_exit_criteria,
)
from interventions.models import (
    Intervention,
    InterventionGroup,
    InterventionPlan,
    PlanPhase,
    TierPlacement,
)


class InterventionForm(forms.ModelForm):
    evidence_url = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Intervention
        fields = [
            "district",
            "name",
            "domain",
            "description",
            "tiers",
            "evidence_level",
            "evidence_url",
            "skills",
            "minutes_per_session",
            "sessions_per_week",
            "group_size_min",
            "group_size_max",
            "weeks",
            "entry_criteria",
            "exit_criteria",
            "fidelity_checklist",
            "active",
        ]

    def clean_entry_criteria(self) -> dict[str, Any]:
        return validate_entry_criteria(self.cleaned_data.get("entry_criteria"))

    def clean_exit_criteria(self) -> dict[str, Any]:
        return validate_exit_criteria(self.cleaned_data.get("exit_criteria"))

    def clean_fidelity_checklist(self) -> list[str]:
        return validate_checklist(self.cleaned_data.get("fidelity_checklist"))

    def clean_tiers(self) -> list[int]:
        tiers = sorted(set(self.cleaned_data.get("tiers") or []))
        if not tiers or not set(tiers) <= {2, 3}:
            raise ValidationError(_("Tiers must be 2, 3 or both (for example: 2,3)."))
        return tiers


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    form = InterventionForm
    list_display = ("name", "domain", "tiers", "evidence_level", "district", "active")
    list_filter = ("domain", "evidence_level", "active", "district")
    search_fields = ("name", "description", "skills")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PhaseInline(admin.TabularInline):
    model = PlanPhase
    extra = 0
    can_delete = False
    fields = ("number", "start_date", "intervention", "baseline", "goal", "goal_date", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(InterventionPlan)
class InterventionPlanAdmin(ReadOnlyAdmin):
    list_display = ("student", "intervention", "tier", "domain", "interventionist", "status")
    list_filter = ("status", "domain", "tier")
    list_select_related = ("student", "intervention", "interventionist")
    raw_id_fields = ("student", "interventionist", "group", "measure", "created_by")
    inlines = [PhaseInline]


@admin.register(InterventionGroup)
class InterventionGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "interventionist", "active")
    list_filter = ("active",)
    raw_id_fields = ("school", "interventionist")
    search_fields = ("name",)


@admin.register(TierPlacement)
class TierPlacementAdmin(ReadOnlyAdmin):
    list_display = ("student", "domain", "tier", "start_date", "end_date", "decided_by")
    list_filter = ("domain", "tier")
    list_select_related = ("student", "decided_by")
