"""Forms of the flag pages: the list's filters and the dismiss form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from decisions.models import FlagKind, FlagStatus
from decisions.selectors import student_group_choices
from mtss.lib.vocabulary import Domain
from students.idempotency import IdempotencyField
from students.models import GRADE_CHOICES

STATUS_CHOICES = [
    ("live", "Needs the team (open or on an agenda)"),
    ("", "Any status"),
    *FlagStatus.choices,
]


# The form's choice -> the selector's `served` argument (the list opens on new referrals).
SERVED_FILTER = {"not_served": "not_served", "served": "served", "all": ""}


class FlagFilterForm(forms.Form):
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any grade")), *GRADE_CHOICES],
    )
    domain = forms.ChoiceField(
        label=_("Domain"),
        required=False,
        choices=[("", _("Any domain")), *Domain.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind of flag"),
        required=False,
        choices=[("", _("Any kind")), *FlagKind.choices],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    group = forms.ChoiceField(label=_("Student group"), required=False)
    served = forms.ChoiceField(
        label=_("Already served?"),
        required=False,
        choices=[
            ("not_served", _("Not yet served: new referrals")),
            ("served", _("Already served by an active plan")),
            ("all", _("Both")),
        ],
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", gettext("All your schools"))] + [
            (s.pk, s.name) for s in schools
        ]
        self.fields["group"].choices = [("", gettext("All students")), *student_group_choices()]

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments; an invalid or empty form shows live flags."""
        if not self.is_bound or not self.is_valid():
            return {"status": "live", "served": "not_served"}
        data = self.cleaned_data
        return {
            "school": data.get("school"),
            "grade": data.get("grade"),
            "domain": data.get("domain") or "",
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "group": data.get("group") or "",
            "served": SERVED_FILTER.get(data.get("served") or "", "not_served"),
        }

    def is_filtering(self) -> bool:
        f = self.filters()
        return any(v not in (None, "") for k, v in f.items() if k not in ("status", "served")) or (
            f.get("status") != "live" or f.get("served") != "not_served"
        )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this flag dismissed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Required. The team sees it later, and the flag reopens only if the data "
            "behind it changes."
        ),
        error_messages={
            "required": _("Say why the flag is dismissed, so the team can see it later.")
        },
    )
    # A second send of the same form (a double click) changes nothing.
    idempotency_key = IdempotencyField()
