"""A student's record of access as a page: every row, paged, filtered by date, person and
action, each row in words ("Viewed the student in a list (API)", "The platform (automatic)").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from students.models import AccessLog, Student

ACCESS_LOG_PAGE_ROWS = 50
PLATFORM = "The platform (automatic)"
UNKNOWN = "Unknown or deleted account"

# What a row was about, in words; other apps' object types read well enough with their
# underscores turned into spaces ("screening_score" -> "screening score").
OBJECT_TYPE_LABELS = {"student": "the student's profile", "access_log": "this record of access"}


def entry_who(entry: AccessLog) -> str:
    """Who: the live account's name; else the name kept on the row (the account was deleted);
    else, for a row written with no user and no address, the platform itself."""
    if entry.user_id and entry.user is not None:
        user = entry.user
        full = user.get_full_name().strip()
        return f"{full} ({user.username})" if full else user.username
    if entry.user_name:
        return f"{entry.user_name}, account since deleted"
    if not entry.ip:
        return PLATFORM
    return UNKNOWN


def entry_what(entry: AccessLog) -> str:
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    if detail.get("list"):
        where = "(API)" if detail.get("via") == "api" else "on " + _list_name(entry.object_type)
        return f"the student in a list {where}"
    if entry.object_type == "student" and detail.get("via") == "api":
        return "the student's record (API)"
    return OBJECT_TYPE_LABELS.get(entry.object_type, entry.object_type.replace("_", " "))


def _list_name(object_type: str) -> str:
    return "the " + object_type.replace("_", " ")


def entries_labelled(entries: list[AccessLog]) -> list[AccessLog]:
    for entry in entries:
        entry.who = entry_who(entry)
        entry.what = entry_what(entry)
    return entries


class AccessLogFilterForm(forms.Form):
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    who = forms.CharField(required=False, label="Person", max_length=150)
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *AccessLog.Action.choices]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def filter(self, rows: QuerySet[AccessLog]) -> QuerySet[AccessLog]:
        if not self.is_bound or not self.is_valid():
            return rows
        data = self.cleaned_data
        if data.get("since"):
            rows = rows.filter(at__date__gte=data["since"])
        if data.get("until"):
            rows = rows.filter(at__date__lte=data["until"])
        if data.get("action"):
            rows = rows.filter(action=data["action"])
        who = (data.get("who") or "").strip()
        if who:
            rows = rows.filter(_who_matches(who))
        return rows

    def is_filtering(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


def _who_matches(text: str) -> Any:
    return (
        Q(user__username__icontains=text)
        | Q(user__first_name__icontains=text)
        | Q(user__last_name__icontains=text)
        | Q(user_name__icontains=text)
    )


def access_log_rows(student: Student) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(student=student).select_related("user").order_by("-at", "-id")
