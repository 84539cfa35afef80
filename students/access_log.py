"""A student's record of access as a page: every row, paged, filtered by date, person and
action, each row in words ("Read through the API, in a list of students", "The platform
(score import)").

Each phrase is one whole sentence in the catalog, with named placeholders, chosen from a
table by its shape (the way in, a list or not, the action): a translator can put the verb,
the thing and the way in wherever their language wants them. Only the object type's words
for other apps' types and a job's name come from the row itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from students.models import AccessLog, Student

ACCESS_LOG_PAGE_ROWS = 50
PLATFORM = _("The platform (automatic)")
# A row with an address but neither an account nor a kept name: written before names were
# kept (migration 0010) by an account deleted before then.
UNKNOWN = _("A deleted account (its name was not recorded)")
# The ways in a person uses; any other `via` on a row without a user names a platform job.
PERSON_WAYS = {"page", "api", "admin"}
# A student on their own page, signed in with a code their teacher printed (no account).
STUDENT_CODE = "student code"

# What a row was about, in words; other apps' object types read well enough with their
# underscores turned into spaces ("screening_score" -> "screening score").
OBJECT_TYPE_LABELS = {
    "student": pgettext_lazy("access log: what was read", "the student's profile"),
    "access_log": pgettext_lazy("access log: what was read", "this record of access"),
}
# In "a list of ...": the thing each item of an API list is.
LIST_ITEMS = {
    "student": pgettext_lazy("access log: items of a list", "students"),
    "access_log": pgettext_lazy("access log: items of a list", "records of access"),
}

Action = AccessLog.Action
# One whole sentence per shape and action. %(thing)s is what was touched ("the student's
# profile"); %(place)s is the page whose list showed the student ("student list").
ON_A_PAGE: dict[str, Promise] = {
    Action.VIEW: _("Viewed %(thing)s"),
    Action.CREATE: _("Created %(thing)s"),
    Action.UPDATE: _("Changed %(thing)s"),
    Action.DELETE: _("Deleted %(thing)s"),
    Action.EXPORT: _("Exported %(thing)s"),
}
IN_A_PAGE_LIST: dict[str, Promise] = {
    Action.VIEW: _("Viewed the student in a list on the %(place)s"),
    Action.CREATE: _("Created the student in a list on the %(place)s"),
    Action.UPDATE: _("Changed the student in a list on the %(place)s"),
    Action.DELETE: _("Deleted the student in a list on the %(place)s"),
    Action.EXPORT: _("Exported the student in a list on the %(place)s"),
}
THROUGH_THE_API: dict[str, Promise] = {
    Action.VIEW: _("Read through the API: %(thing)s"),
    Action.CREATE: _("Created through the API: %(thing)s"),
    Action.UPDATE: _("Changed through the API: %(thing)s"),
    Action.DELETE: _("Deleted through the API: %(thing)s"),
    Action.EXPORT: _("Exported through the API: %(thing)s"),
}
# An API list is only ever read.
IN_AN_API_LIST = _("Read through the API, in a list of %(items)s")


def entry_who(entry: AccessLog) -> str:
    """Who: the live account's name; else the name kept on the row (the account was deleted);
    else, for a row written with no user and no address, the platform itself, named after the
    job that wrote it when the row says which (`detail["via"]`)."""
    if not entry.user_id and _detail(entry).get("via") == STUDENT_CODE:
        if entry.student_id:
            return gettext("The student, signed in with a code from their teacher")
        return gettext("Someone trying a student sign-in code")
    if entry.user_id and entry.user is not None:
        user = entry.user
        full = user.get_full_name().strip()
        if not full:
            return user.username
        return pgettext(
            "access log: a person's full name and username", "%(name)s (%(username)s)"
        ) % {
            "name": full,
            "username": user.username,
        }
    if entry.user_name:
        return gettext("%(name)s, account since deleted") % {"name": entry.user_name}
    if not entry.ip:
        via = _detail(entry).get("via")
        if isinstance(via, str) and via and via not in PERSON_WAYS:
            return gettext("The platform (%(job)s)") % {"job": via}
        return str(PLATFORM)
    return str(UNKNOWN)


def entry_what(entry: AccessLog) -> str:
    """What, as a whole sentence: the action, the way in when it was the API, and the thing."""
    detail = _detail(entry)
    if detail.get("via") == "api":
        if detail.get("list"):
            return IN_AN_API_LIST % {"items": _list_items(entry.object_type)}
        return _sentence(THROUGH_THE_API, entry, thing=_thing(entry.object_type))
    if detail.get("list"):
        return _sentence(IN_A_PAGE_LIST, entry, place=_words(entry.object_type))
    return _sentence(ON_A_PAGE, entry, thing=_thing(entry.object_type))


def _sentence(shapes: dict[str, Promise], entry: AccessLog, **words: str) -> str:
    shape = shapes.get(entry.action)
    if shape is None:  # an action added to the model but not yet to these tables
        shape = pgettext("access log: an action and what it touched", "%(action)s: %(what)s")
        return shape % {"action": entry.get_action_display(), "what": " ".join(words.values())}
    return shape % words


def _detail(entry: AccessLog) -> dict[str, Any]:
    return entry.detail if isinstance(entry.detail, dict) else {}


def _words(object_type: str) -> str:
    return object_type.replace("_", " ")


def _thing(object_type: str) -> str:
    return str(OBJECT_TYPE_LABELS.get(object_type, _words(object_type)))


def _list_items(object_type: str) -> str:
    return str(LIST_ITEMS.get(object_type, _words(object_type) + "s"))


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
