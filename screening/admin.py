"""Admin for the screening setup and a read-only view of the data.

- Reference measures and cut-score sets (district empty) are read-only here too.
- A district's cut-score set is editable only while it is a draft (not in use) and no score
  points at it. A set added here is a draft. Switching a version on always goes through the
  what-if preview on the settings page (issue 17: activation records who read the preview),
  so the admin has no "activate" of its own: its actions open the settings page and the
  preview instead.
- Scores, ratings and referrals are recorded through the pages, the API and the imports (the
  services write the audit rows); here they can be looked at, not changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from screening.models.cut_scores import CutScore, CutScoreSet
from screening.models.measures import Measure
from screening.models.referrals import Referral
from screening.models.scores import BehaviorRating, ScoreChange, ScreeningScore
from screening.models.windows import ScreeningWindow
from screening.services.cut_scores import cut_score_set_next_version
from screening.services.windows import window_close, window_open
from students import slots


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

    @admin.action(description=_("Open the selected windows to score entry"))
    def open_windows(self, request: HttpRequest, queryset: QuerySet[ScreeningWindow]) -> None:
        for window in queryset.select_related("school_year"):
            window_open(window=window, actor=request.user)

    @admin.action(description=_("Close the selected windows (and settle percentile ranks)"))
    def close_windows(self, request: HttpRequest, queryset: QuerySet[ScreeningWindow]) -> None:
        for window in queryset.select_related("school_year"):
            window_close(window=window, actor=request.user)


def _set_is_locked(cut_set: CutScoreSet | None) -> bool:
    """Reference sets, the version in use, and sets that already classified scores are never
    edited in place (a change is a new version, previewed before it is switched on)."""
    if cut_set is None or cut_set.pk is None:
        return False
    return cut_set.is_reference or cut_set.is_active or cut_set.scores.exists()


def _preview_url(cut_set: CutScoreSet) -> str | None:
    # Through the slot: decisions (a layer above) offers the what-if page.
    entry = slots.PREVIEW_PAGES.get("cut_score_set")
    return reverse(entry.url_name, args=[cut_set.pk]) if entry else None


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
    readonly_fields = ("version", "is_active", "based_on", "created_by", "created_at")
    actions = ("open_settings", "preview_and_activate")

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
            obj.is_active = False  # a draft: switched on only after its what-if preview
        super().save_model(request, obj, form, change)
        url = _preview_url(obj)
        if url:
            self.message_user(
                request,
                format_html(
                    '{} is a draft. <a href="{}">Read its what-if preview</a> to switch it on.',
                    obj,
                    url,
                ),
            )

    @admin.action(description=_("Edit on the settings page (a new version with a reason)"))
    def open_settings(self, request: HttpRequest, queryset: QuerySet[CutScoreSet]) -> Any:
        first = queryset.first()
        return HttpResponseRedirect(reverse("screening_settings:cut_score_set", args=[first.pk]))

    @admin.action(description=_("Preview what switching it on would change, then switch it on"))
    def preview_and_activate(self, request: HttpRequest, queryset: QuerySet[CutScoreSet]) -> Any:
        if queryset.count() != 1:
            self.message_user(request, "Choose one version to preview.", messages.WARNING)
            return None
        cut_set = queryset.get()
        url = _preview_url(cut_set)
        if cut_set.is_reference or url is None:
            self.message_user(
                request,
                f"{cut_set}: reference sets are copied into a district first (settings page).",
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(url)


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
