"""Admin of the meetings app: read-mostly views of meetings, decisions and action items.

Decisions are read-only here (recording one applies its effects: use meeting mode or the
API). Meetings and action items can be looked up and corrected by operators; the minutes of
a closed meeting stay frozen.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from meetings.models import ActionItem, AgendaItem, Concern, Decision, Meeting, MeetingSeries


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("position", "kind", "student", "section", "priority", "reason", "status")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school", "scheduled_at", "status", "facilitator")
    list_filter = ("status", "kind", "school__district")
    search_fields = ("school__name",)
    date_hierarchy = "scheduled_at"
    raw_id_fields = ("school", "facilitator", "note_taker", "timekeeper", "window", "series")
    filter_horizontal = ("attendees",)
    readonly_fields = (
        "version",
        "minutes_text",
        "minutes_data",
        "prepared_at",
        "started_at",
        "closed_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = [AgendaItemInline]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "school", "created_at")
    raw_id_fields = ("school", "created_by")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("student", "type", "meeting", "is_override", "recorded_by", "created_at")
    list_filter = ("type", "is_override", "follows_rule")
    search_fields = ("student__last_name", "student__local_id")
    raw_id_fields = ("meeting", "item", "student", "intervention", "plan", "recorded_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("description", "owner", "due_date", "status", "meeting")
    list_filter = ("status",)
    search_fields = ("description", "owner__last_name")
    raw_id_fields = ("meeting", "student", "owner", "created_by")
    readonly_fields = ("version", "created_at")


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ("student", "school", "submitted_by", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("school", "student", "submitted_by")
