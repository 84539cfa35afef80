"""Admin for the screening setup and a read-only view of the data.

- Reference measures and cut-score sets (district empty) are read-only here too.
- A district's cut-score set is editable only while no score points at it; after that it is
  read-only and the action "Make a new version" copies it (services.cut_score_set_copy), so
  old scores keep the numbers that produced their risk level.
- Scores, ratings and referrals are recorded through the pages, the API and the imports (the
  services write the audit rows); here they can be looked at, not changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from screening.models.cut_scores import CutScore, CutScoreSet
from screening.models.measures import Measure
from screening.models.referrals import Referral
from screening.models.scores import BehaviorRating, ScoreChange, ScreeningScore
from screening.models.windows import ScreeningWindow
from screening.services.cut_scores import (
    cut_score_set_activate,
    cut_score_set_copy,
    cut_score_set_next_version,
)
from screening.services.windows import window_close, window_open


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "district",
        "domain",
        "purpose",
        "min_score",
        "max_score",
        "higher_is_better",
        "lowest_grade",
        "highest_grade",
        "active",
    )
    list_filter = ("domain", "area", "purpose", "active", ("district", admin.EmptyFieldListFilter))
    search_fields = ("name", "code", "instrument")

    def has_change_permission(self, request: HttpRequest, obj: Measure | None = None) -> bool:
        if obj is not None and obj.is_reference:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Measure | None = None) -> bool:
        if obj is not None and obj.is_reference:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ScreeningWindow)
class ScreeningWindowAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school_year", "season", "start_date", "end_date", "is_open")
    list_filter = ("season", "is_open", "school_year__district")
    actions = ("open_windows", "close_windows")

    @admin.action(description="Open the selected windows to score entry")
    def open_windows(self, request: HttpRequest, queryset: QuerySet[ScreeningWindow]) -> None:
        for window in queryset.select_related("school_year"):
            window_open(window=window, actor=request.user)

    @admin.action(description="Close the selected windows (and settle percentile ranks)")
    def close_windows(self, request: HttpRequest, queryset: QuerySet[ScreeningWindow]) -> None:
        for window in queryset.select_related("school_year"):
            window_close(window=window, actor=request.user)


def _set_is_locked(cut_set: CutScoreSet | None) -> bool:
    """Reference sets, and sets that already classified scores, are never edited in place."""
    if cut_set is None or cut_set.pk is None:
        return False
    return cut_set.is_reference or cut_set.scores.exists()


class CutScoreInline(admin.TabularInline):
    model = CutScore
    extra = 0
    fields = ("grade", "season", "benchmark", "high_risk_cut", "p10", "p25", "p50", "p75", "p90")

    def has_add_permission(self, request: HttpRequest, obj: CutScoreSet | None = None) -> bool:
        return not _set_is_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: CutScoreSet | None = None) -> bool:
        return not _set_is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: CutScoreSet | None = None) -> bool:
        return not _set_is_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(CutScoreSet)
class CutScoreSetAdmin(admin.ModelAdmin):
    list_display = ("name", "measure", "district", "version", "method", "is_active", "created_at")
    list_filter = ("method", "is_active", ("district", admin.EmptyFieldListFilter))
    search_fields = ("name", "measure__name")
    inlines = (CutScoreInline,)
    readonly_fields = ("version", "based_on", "created_by", "created_at")
    actions = ("new_version", "activate")

    def has_change_permission(self, request: HttpRequest, obj: CutScoreSet | None = None) -> bool:
        if _set_is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: CutScoreSet | None = None) -> bool:
        if _set_is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: CutScoreSet, form: Any, change: bool) -> None:
        if not change:
            if obj.district_id is None:
                # Reference data is shipped by migrations, never typed into the admin.
                raise PermissionError("Reference sets are read-only.")
            obj.version = cut_score_set_next_version(
                district_id=obj.district_id, measure_id=obj.measure_id
            )
            obj.created_by = request.user
        if obj.is_active:
            CutScoreSet.objects.filter(
                district_id=obj.district_id, measure_id=obj.measure_id, is_active=True
            ).exclude(pk=obj.pk).update(is_active=False)
        super().save_model(request, obj, form, change)

    @admin.action(description="Make a new version (copy) for editing, and make it active")
    def new_version(self, request: HttpRequest, queryset: QuerySet[CutScoreSet]) -> None:
        for cut_set in queryset.select_related("measure"):
            if cut_set.is_reference:
                self.message_user(
                    request,
                    f"{cut_set}: reference sets are copied into a district through the API "
                    "(POST /api/v1/cut-score-sets/{id}/copy/) or by a district administrator.",
                    messages.WARNING,
                )
                continue
            new = cut_score_set_copy(source=cut_set, district=cut_set.district, actor=request.user)
            self.message_user(request, f"Created {new}; edit its rows.")

    @admin.action(description="Make the selected version the active one")
    def activate(self, request: HttpRequest, queryset: QuerySet[CutScoreSet]) -> None:
        for cut_set in queryset:
            cut_score_set_activate(cut_score_set=cut_set, actor=request.user)


@admin.register(ScreeningScore)
class ScreeningScoreAdmin(ReadOnlyAdmin):
    list_display = (
        "student",
        "measure",
        "window",
        "grade",
        "score",
        "risk_level",
        "percentile_rank",
        "cut_score_set",
        "source",
        "updated_at",
    )
    list_filter = ("risk_level", "source", "window__season", "measure")
    list_select_related = ("student", "measure", "window__school_year", "cut_score_set")
    raw_id_fields = ("student",)


@admin.register(ScoreChange)
class ScoreChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "score",
        "old_value",
        "new_value",
        "old_risk_level",
        "new_risk_level",
        "changed_by",
        "changed_at",
    )


@admin.register(BehaviorRating)
class BehaviorRatingAdmin(ReadOnlyAdmin):
    list_display = (
        "student",
        "window",
        "school_level",
        "externalizing_total",
        "internalizing_total",
        "instrument_version",
        "rater",
    )
    list_select_related = ("student", "window__school_year", "rater")


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = (
        "date",
        "student",
        "school",
        "severity",
        "problem_behavior",
        "location",
        "action_taken",
        "staff_name",
    )
    list_filter = ("severity", "problem_behavior", "location", "school")
    list_select_related = ("student", "school")
    date_hierarchy = "date"
