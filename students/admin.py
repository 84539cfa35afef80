"""Django admin for the roster, staff roles and the record of access.

Student rows (and rows that name a student) are narrowed by `students_visible_to`, so a
staff account sees in the admin exactly the students it sees on the pages; superusers see
everything. Opening or saving a student here is written to the record of access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from students.audit import audit_record
from students.models import (
    AccessLog,
    District,
    Enrollment,
    LoginFailure,
    Membership,
    School,
    SchoolYear,
    Section,
    Student,
    User,
)
from students.selectors import students_visible_to
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Student]:
        # The scoping function lets superusers see everyone and everyone else their scope.
        return students_visible_to(request.user, queryset=super().get_queryset(request))

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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enrollment]:
        qs = super().get_queryset(request)
        return qs.filter(student__in=students_visible_to(request.user))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "district"]
    list_filter = ["role", "district", "school"]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user", "school", "district"]
    raw_id_fields = ["user"]


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
    inlines = [MembershipInline]
    actions = ["create_api_token"]

    @admin.action(description="Create API token (shows the key once)")
    def create_api_token(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            key = token_issue(user=user)
            self.message_user(
                request,
                f"API token for {user.username}: {key} (send it to the integration over a "
                "secure channel; anyone holding it acts as this user).",
                messages.SUCCESS,
            )


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the record of access is never edited or deleted by hand."""

    list_display = ["at", "user", "action", "object_type", "object_id", "student", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "object_id", "student__last_name", "student__local_id"]
    list_select_related = ["user", "student"]
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccessLog]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(student__in=students_visible_to(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed sign-ins. Deleting a username's rows lifts its lockout early."""

    list_display = ["username", "ip", "at"]
    search_fields = ["username", "ip"]
    readonly_fields = ["username", "ip", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
