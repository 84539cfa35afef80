"""Forms of the screening pages: what a teacher types, checked at the edge.

The services check everything again (range, window, who may see whom); the forms are here so
a mistake is refused in place with a message in the teacher's words before any write.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mtss.lib.listed_choices import ListedModelChoiceField
from screening import reference_data
from screening.models.measures import Measure
from screening.models.referrals import Referral
from screening.models.values import SCORE_PLACES
from screening.models.windows import ScreeningWindow
from screening.page_selectors.referrals import ReferralFilters, referral_student_find
from students.models import School, Section, Student, User


def _number(value: Decimal) -> str:
    """250.00 -> '250', 12.50 -> '12.5' for messages."""
    return format(value.normalize(), "f")


def score_range_message(measure: Measure) -> str:
    return gettext("Enter a number from %(lowest)s to %(highest)s.") % {
        "lowest": _number(measure.min_score),
        "highest": _number(measure.max_score),
    }


def clean_score_text(text: str, measure: Measure) -> Decimal | None:
    """The typed score as a Decimal, None when left blank; else a message the teacher reads.

    Accepts a decimal comma ("12,5"), since that is how part of the district types numbers.
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise forms.ValidationError(
            gettext("“%(text)s” is not a number. %(message)s")
            % {"text": text, "message": score_range_message(measure)},
            code="not_a_number",
        ) from None
    if not number.is_finite() or not measure.min_score <= number <= measure.max_score:
        raise forms.ValidationError(score_range_message(measure), code="out_of_range")
    if number != number.quantize(Decimal(1).scaleb(-SCORE_PLACES)):
        raise forms.ValidationError(
            gettext("Use at most %(PLACES)s decimal places. %(message)s")
            % {"PLACES": SCORE_PLACES, "message": score_range_message(measure)},
            code="too_precise",
        )
    return number


class ErrorsDescribed:
    """Points each invalid field at its message (`<id>-error`), so a screen reader reads the
    message with the field; the templates render the message under that id. Done in
    `add_error`, which both field cleaning and a view mapping a service's errors go through."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        for name in self._errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"  # type: ignore[index]


class WindowChoiceField(ListedModelChoiceField):
    def label_from_instance(self, obj: ScreeningWindow) -> str:
        label = f"{obj.name} {obj.school_year.name}"
        return label if obj.is_open else f"{label} (closed)"


class SectionChoiceField(ListedModelChoiceField):
    def label_from_instance(self, obj: Section) -> str:
        return f"{obj.name} · {obj.school.name}"


class EntryPickForm(ErrorsDescribed, forms.Form):
    """Which class, window and measure to enter (a GET form, so the grid has a real URL)."""

    section = SectionChoiceField(
        queryset=Section.objects.none(),
        label=_("Class"),
        empty_label=_("Choose a class"),
    )
    window = WindowChoiceField(
        queryset=ScreeningWindow.objects.none(),
        label=_("Screening window"),
        empty_label=_("Choose a window"),
    )
    measure = ListedModelChoiceField(
        queryset=Measure.objects.none(),
        label=_("Measure"),
        empty_label=_("Choose a measure"),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        sections: QuerySet[Section],
        windows: QuerySet[ScreeningWindow],
        measures: QuerySet[Measure] | None = None,
    ) -> None:
        super().__init__(data)
        self.fields["section"].queryset = sections
        self.fields["window"].queryset = windows
        if measures is None:
            del self.fields["measure"]
        else:
            self.fields["measure"].queryset = measures
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"
        self.fields["section"].error_messages["invalid_choice"] = (
            "That class is not one of yours. Choose one of the classes listed."
        )
        self.fields["window"].error_messages["invalid_choice"] = (
            "That screening window is not open for entry. Choose one of the windows listed."
        )


class ClassScoresForm(forms.Form):
    """One text box per student of the grid, named `score-<student id>`."""

    def __init__(self, data: Any = None, *, students: list[Student], measure: Measure) -> None:
        super().__init__(data)
        self.measure = measure
        for s in students:
            self.fields[f"score-{s.pk}"] = forms.CharField(required=False, max_length=20)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in list(self.fields):
            try:
                cleaned[name] = clean_score_text(cleaned.get(name, ""), self.measure)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return cleaned

    def scores(self) -> dict[int, Decimal]:
        """{student id: score} of the boxes that were filled in."""
        return {
            int(name.removeprefix("score-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score-") and value is not None
        }


SRSS_ITEMS = reference_data.SRSS_EXTERNALIZING_ITEMS + reference_data.SRSS_INTERNALIZING_ITEMS
SRSS_CHOICES = [("", "–"), ("0", "0"), ("1", "1"), ("2", "2"), ("3", "3")]


class RatingRowForm(forms.Form):
    """One student's SRSS-IE items, each 0 (never) to 3 (frequently)."""

    def __init__(self, data: Any = None, *, student: Student, initial: dict | None = None) -> None:
        super().__init__(data, prefix=f"s{student.pk}", initial=initial)
        for key, label in SRSS_ITEMS:
            self.fields[key] = forms.ChoiceField(
                choices=SRSS_CHOICES,
                label=label,
                error_messages={
                    "required": gettext("%(label)s: choose 0, 1, 2 or 3.") % {"label": label}
                },
                # The selects sit in table cells; `form=` ties them to the row's own form.
                widget=forms.Select(
                    attrs={
                        "class": "form-select form-select-sm srss-select",
                        "form": f"rate-{student.pk}",
                    }
                ),
            )

    def items(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[key]) for key, _ in SRSS_ITEMS}


# -- referrals -------------------------------------------------------------------------------


def _select(choices: Any, *, label: str, required: bool = True, initial: Any = None) -> forms.Field:
    return forms.ChoiceField(
        choices=([("", "Choose…")] if not initial else []) + list(choices),
        label=label,
        required=required,
        initial=initial,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ReferralForm(ErrorsDescribed, forms.Form):
    """An office discipline referral, in SWIS's fields."""

    student = forms.CharField(
        label=_("Student ID"),
        max_length=64,
        help_text=_("Type the student ID or start typing the name and pick from the list."),
        widget=forms.TextInput(attrs={"class": "form-control", "list": "referral-students"}),
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}),
    )
    severity = _select(Referral.Severity.choices, label=_("Major or minor"), initial="major")
    location = _select(Referral.Location.choices, label=_("Location"))
    problem_behavior = _select(Referral.ProblemBehavior.choices, label=_("Problem behavior"))
    perceived_motivation = _select(
        Referral.Motivation.choices, label=_("Perceived motivation"), initial="unknown"
    )
    others_involved = _select(
        Referral.OthersInvolved.choices, label=_("Others involved"), initial="none"
    )
    action_taken = _select(Referral.Action.choices, label=_("Action taken"), initial="pending")
    staff_name = forms.CharField(
        label=_("Staff member who saw it"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, data: Any = None, *, user: User, initial: dict | None = None) -> None:
        base = {"date": timezone.localdate(), "staff_name": user.display_name()}
        super().__init__(data, initial={**base, **(initial or {})})
        self.user = user

    def clean_student(self) -> Student:
        text = self.cleaned_data["student"]
        found = referral_student_find(user=self.user, text=text)
        if len(found) != 1:
            raise forms.ValidationError(
                gettext(
                    "No student of yours has this student ID. Check the number, or pick the "
                    "student from the list as you type."
                )
            )
        return found[0]

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(gettext("The date can't be in the future."))
        return date


class ReferralFilterForm(ErrorsDescribed, forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        empty_label=_("All schools"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    student = forms.CharField(
        label=_("Student name or ID"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    location = forms.ChoiceField(
        choices=[("", _("All locations")), *Referral.Location.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    problem_behavior = forms.ChoiceField(
        label=_("Problem behavior"),
        choices=[("", _("All behaviors")), *Referral.ProblemBehavior.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, data: Any = None, *, schools: QuerySet[School]) -> None:
        super().__init__(data)
        self.fields["school"].queryset = schools

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("The end date is before the start date."))
        return cleaned

    def filters(self) -> ReferralFilters:
        if not self.is_bound or not self.is_valid():
            return ReferralFilters()
        c = self.cleaned_data
        return ReferralFilters(
            school=c.get("school"),
            student=(c.get("student") or "").strip(),
            date_from=c.get("date_from"),
            date_to=c.get("date_to"),
            location=c.get("location") or "",
            problem_behavior=c.get("problem_behavior") or "",
        )

    def is_filtering(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)
