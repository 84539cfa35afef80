"""A student's record of access as a page: every row, paged, filtered by date, person and
action, each row in words ("Read through the API, in a list of students", "The platform
(score import)").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from students.models import AccessLog, Student

ACCESS_LOG_PAGE_ROWS = 50
PLATFORM = "The platform (automatic)"
# A row with an address but neither an account nor a kept name: written before names were
# kept (migration 0010) by an account deleted before then.
UNKNOWN = "A deleted account (its name was not recorded)"
# The ways in a person uses; any other `via` on a row without a user names a platform job.
PERSON_WAYS = {"page", "api", "admin"}
# A student on their own page, signed in with a code their teacher printed (no account).
STUDENT_CODE = "student code"

# What a row was about, in words; other apps' object types read well enough with their
# underscores turned into spaces ("screening_score" -> "screening score").
OBJECT_TYPE_LABELS = {"student": "the student's profile", "access_log": "this record of access"}
# In "a list of ...": the thing each item of an API list is.
LIST_ITEMS = {"student": "students", "access_log": "records of access"}


def entry_who(entry: AccessLog) -> str:
    """Who: the live account's name; else the name kept on the row (the account was deleted);
    else, for a row written with no user and no address, the platform itself, named after the
    job that wrote it when the row says which (`detail["via"]`)."""
    if not entry.user_id and _detail(entry).get("via") == STUDENT_CODE:
        if entry.student_id:
            return "The student, signed in with a code from their teacher"
        return "Someone trying a student sign-in code"
    if entry.user_id and entry.user is not None:
        user = entry.user
        full = user.get_full_name().strip()
        return f"{full} ({user.username})" if full else user.username
    if entry.user_name:
        return f"{entry.user_name}, account since deleted"
    if not entry.ip:
        via = _detail(entry).get("via")
        if isinstance(via, str) and via and via not in PERSON_WAYS:
            return f"The platform ({via})"
        return PLATFORM
    return UNKNOWN


def entry_what(entry: AccessLog) -> str:
    """What, as a whole phrase: the action, the way in when it was the API, and the thing."""
    detail = _detail(entry)
    action = entry.get_action_display()
    if detail.get("via") == "api":
        if detail.get("list"):
            return f"Read through the API, in a list of {_list_items(entry.object_type)}"
        verb = "Read" if entry.action == AccessLog.Action.VIEW else action
        return f"{verb} through the API: {_thing(entry.object_type)}"
    if detail.get("list"):
        return f"{action} the student in a list on the {_words(entry.object_type)}"
    return f"{action} {_thing(entry.object_type)}"


def _detail(entry: AccessLog) -> dict[str, Any]:
    return entry.detail if isinstance(entry.detail, dict) else {}


def _words(object_type: str) -> str:
    return object_type.replace("_", " ")


def _thing(object_type: str) -> str:
    return OBJECT_TYPE_LABELS.get(object_type, _words(object_type))


def _list_items(object_type: str) -> str:
    return LIST_ITEMS.get(object_type, _words(object_type) + "s")


def entries_labelled(entries: list[AccessLog]) -> list[AccessLog]:
    for entry in entries:
        entry.who = entry_who(entry)
        entry.what = entry_what(entry)
    return entries


class AccessLogFilterForm(forms.Form):
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    who = forms.CharField(required=False, label=_("Person"), max_length=150)
    action = forms.ChoiceField(
        required=False, choices=[("", _("Any action")), *AccessLog.Action.choices]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(gettext("The start date is after the end date."))
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
