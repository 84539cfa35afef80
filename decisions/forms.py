"""Forms of the flag pages: the list's filters and the dismiss form."""

from __future__ import annotations

from typing import Any

from django import forms

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
    school = forms.TypedChoiceField(label="School", required=False, coerce=int, empty_value=None)
    grade = forms.TypedChoiceField(
        label="Grade",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any grade"), *GRADE_CHOICES],
    )
    domain = forms.ChoiceField(
        label="Domain", required=False, choices=[("", "Any domain"), *Domain.choices]
    )
    kind = forms.ChoiceField(
        label="Kind of flag", required=False, choices=[("", "Any kind"), *FlagKind.choices]
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)
    group = forms.ChoiceField(label="Student group", required=False)
    served = forms.ChoiceField(
        label="Already served?",
        required=False,
        choices=[
            ("not_served", "Not yet served: new referrals"),
            ("served", "Already served by an active plan"),
            ("all", "Both"),
        ],
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", "All your schools")] + [
            (s.pk, s.name) for s in schools
        ]
        self.fields["group"].choices = [("", "All students"), *student_group_choices()]

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
        label="Why is this flag dismissed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Required. The team sees it later, and the flag reopens only if the data "
        "behind it changes.",
        error_messages={"required": "Say why the flag is dismissed, so the team can see it later."},
    )
    # A second send of the same form (a double click) changes nothing.
    idempotency_key = IdempotencyField()
