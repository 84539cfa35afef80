"""Django admin for the roster, staff roles, API tokens and the record of access.

The admin site admits active superusers only (mtss/admin.py): it lists the rows of every
district, and only the pages and the API narrow what a person sees to their role. So
nothing here is filtered by role; a staff account without the superuser flag, whatever its
permissions, gets no admin page. Opening or saving a student here is written to the record
of access.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from students.audit import audit_record
from students.models import (
    AccessLog,
    ApiToken,
    District,
    Enrollment,
    Membership,
    School,
    SchoolYear,
    Section,
    Student,
    User,
)
from students.models_imports import DistrictImportSettings, ImportJob
from students.oneroster.dropfolder import drop_folder_owner, drop_folder_path, drop_root
from students.tokens import token_issue


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "sourced_id", "teachers_see_whole_school"]
    search_fields = ["name", "sourced_id"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "level", "lowest_grade", "highest_grade", "active"]
    list_filter = ["district", "level", "active"]
    search_fields = ["name", "sourced_id"]
    list_select_related = ["district"]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "start_date", "end_date", "is_current"]
    list_filter = ["district", "is_current"]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["section"]
    fields = ["section", "start_date", "end_date", "active"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "local_id", "school", "grade", "active"]
    list_filter = ["school", "grade", "active", "english_learner", "iep", "section_504"]
    search_fields = ["last_name", "first_name", "preferred_name", "local_id", "sourced_id"]
    list_select_related = ["school"]
    raw_id_fields = ["school", "district"]
    inlines = [EnrollmentInline]
    readonly_fields = ["created_at", "updated_at"]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_record(
                user=request.user,
                action=AccessLog.Action.VIEW,
                object_type="student",
                object_id=object_id,
                student=int(object_id),
                request=request,
                detail={"via": "admin"},
            )
        return response

    def save_model(self, request: HttpRequest, obj: Student, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Same transaction as the save (the admin wraps it), so both or neither are kept.
        audit_record(
            user=request.user,
            action=AccessLog.Action.UPDATE if change else AccessLog.Action.CREATE,
            object_type="student",
            object_id=obj.pk,
            student=obj,
            request=request,
            detail={"via": "admin", "fields": sorted(form.changed_data)},
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "school_year", "grade", "active"]
    list_filter = ["school", "school_year", "active"]
    search_fields = ["name", "course_name", "sourced_id"]
    list_select_related = ["school", "school_year"]
    filter_horizontal = ["teachers"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "section", "start_date", "end_date", "active"]
    list_filter = ["active"]
    search_fields = ["student__last_name", "student__local_id", "section__name"]
    list_select_related = ["student", "section"]
    raw_id_fields = ["student", "section"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "district"]
    list_filter = ["role", "district", "school"]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user", "school", "district"]
    raw_id_fields = ["user"]


class ApiTokenInline(admin.TabularInline):
    """The user's tokens, by prefix: deleting one revokes it. Keys are never shown again."""

    model = ApiToken
    extra = 0
    fields = ["prefix", "read_only", "created_at", "expires_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["role", "district", "school"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Roster", {"fields": ("title", "sourced_id")}),
    )
    inlines = [MembershipInline, ApiTokenInline]
    actions = ["create_api_token", "create_read_only_api_token"]

    def _issue_tokens(self, request: HttpRequest, users: QuerySet[User], read_only: bool) -> None:
        for user in users:
            key = token_issue(user=user, read_only=read_only)
            self.message_user(
                request,
                f"API token for {user.username}: {key} (shown only now: copy it and send it to "
                "the integration over a secure channel; anyone holding it acts as this user "
                f"until it expires in {settings.API_TOKEN_EXPIRY_DAYS} days).",
                messages.SUCCESS,
            )

    @admin.action(description=_("Create API token (shows the key once)"))
    def create_api_token(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._issue_tokens(request, queryset, read_only=False)

    @admin.action(description=_("Create read-only API token (shows the key once)"))
    def create_read_only_api_token(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._issue_tokens(request, queryset, read_only=True)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the record of access is never edited or deleted by hand."""

    list_display = ["at", "user", "action", "object_type", "object_id", "student", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "object_id", "student__last_name", "student__local_id"]
    list_select_related = ["user", "student"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False


# -- imports (docs/imports.md) ----------------------------------------------------------


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Import runs, read-only: a job is written by its importer, never by hand. The report
    page (/data/imports/<id>/report/) is the readable view; this list is for support."""

    list_display = [
        "id",
        "kind",
        "district",
        "status",
        "progress_summary",
        "rejected_and_warnings",
        "source",
        "created_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "source", "district"]
    list_select_related = ["district", "created_by"]
    search_fields = ["original_name", "created_by__username", "district__name"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    @admin.display(description=_("progress (rows done / total)"))
    def progress_summary(self, obj: ImportJob) -> str:
        files = (obj.progress or {}).values()
        done = sum(int(f.get("done", 0)) for f in files)
        total = sum(int(f.get("total", 0)) for f in files)
        return f"{done:,} / {total:,}" if total else "—"

    @admin.display(description=_("rejected / warnings"))
    def rejected_and_warnings(self, obj: ImportJob) -> str:
        report = obj.report or {}
        return f"{report.get('rejected_total', 0):,} / {report.get('warnings_total', 0):,}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False


class DistrictImportSettingsForm(forms.ModelForm):
    class Meta:
        model = DistrictImportSettings
        fields = ["district", "enabled", "drop_folder", "keep_valid_rows"]

    def clean_drop_folder(self) -> str:
        name = self.cleaned_data["drop_folder"].strip()
        if name and drop_folder_path(name) is None:
            # The same rule as the settings page: a plain folder name inside the drop root.
            raise forms.ValidationError(
                _("'%(name)s' is not a folder inside %(root)s; use a plain folder name.")
                % {"name": name, "root": drop_root()}
            )
        if name:
            name = str(drop_folder_path(name).relative_to(drop_root()))
            if drop_folder_owner(name, exclude=self.cleaned_data.get("district")) is not None:
                raise forms.ValidationError(_("That folder belongs to another district."))
        return name


@admin.register(DistrictImportSettings)
class DistrictImportSettingsAdmin(admin.ModelAdmin):
    form = DistrictImportSettingsForm
    list_display = ["district", "enabled", "drop_folder", "keep_valid_rows", "last_checked_at"]
    list_filter = ["enabled"]
    list_select_related = ["district"]
    readonly_fields = ["last_checked_at"]
