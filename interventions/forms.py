"""Forms of the interventions pages. They check shapes (a date, a whole number); the services
check the rules (ranges, dates against the plan, permissions) and their ValidationErrors are
put back on these forms' fields by `apply_errors`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interventions.models import Intervention, InterventionGroup, InterventionPlan
from mtss.lib.vocabulary import Domain
from screening.models import Measure
from students.idempotency import IdempotencyField
from students.models import School, User


class DateInput(forms.DateInput):
    input_type = "date"


def _date_field(label: str = "Date", **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(attrs={"class": "form-control"}),
        initial=timezone.localdate,
        **kwargs,
    )


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class PlanStartForm(forms.Form):
    intervention = forms.ModelChoiceField(queryset=Intervention.objects.none())
    tier = forms.TypedChoiceField(choices=[(2, _("Tier 2")), (3, _("Tier 3"))], coerce=int)
    measure = forms.ModelChoiceField(
        queryset=Measure.objects.none(), label=_("Progress-monitoring measure")
    )
    interventionist = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Delivered by"))
    group = forms.ModelChoiceField(
        queryset=InterventionGroup.objects.none(),
        required=False,
        empty_label=_("No group (individual)"),
    )
    start_date = _date_field("Start date")
    baseline = forms.CharField(
        required=False,
        help_text=_("Leave empty to use the median of the first three scores."),
    )
    goal = forms.CharField()
    goal_date = forms.DateField(label=_("Goal date"), widget=DateInput())
    sessions_per_week = forms.IntegerField(min_value=1, max_value=7, label=_("Sessions per week"))
    minutes_per_session = forms.IntegerField(
        min_value=1, max_value=480, label=_("Minutes per session")
    )
    entry_override_reason = forms.CharField(
        required=False,
        label=_("Reason for placing a student who does not meet the entry criteria"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Reason to go against the rules (only when asked)"),
        help_text=(
            _(
                "Moving a student to a higher tier while their current plan was delivered less "
                "than planned is recorded as going against the rules, with this reason."
            )
        ),
    )

    def __init__(
        self,
        *args: Any,
        interventions: Any,
        measures: Any,
        staff: Any,
        groups: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        self.fields["intervention"].label_from_instance = lambda i: (
            f"{i.name} ({i.get_domain_display()}, {i.tiers_label})"
        )
        self.fields["measure"].queryset = measures
        self.fields["interventionist"].queryset = staff
        self.fields["interventionist"].label_from_instance = lambda u: u.display_name()
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: (
            f"{g.name} ({g.interventionist.display_name()})"
        )
        _styled(self)


class ProgressForm(forms.Form):
    date = _date_field()
    score = forms.CharField(max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class SessionForm(forms.Form):
    date = _date_field()
    minutes = forms.IntegerField(min_value=1, max_value=480)
    attended = forms.TypedChoiceField(
        choices=[("yes", _("Attended")), ("no", _("Missed"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        label=_("The student"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["class"] = "form-control"
        self.fields["minutes"].widget.attrs["class"] = "form-control"


class GroupSessionForm(forms.Form):
    """A session of the whole group: one 'attended' box per active plan of the group."""

    date = _date_field()
    minutes = forms.IntegerField(min_value=1, max_value=480)

    def __init__(self, *args: Any, plans: list[InterventionPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans = plans
        self.fields["date"].widget.attrs["class"] = "form-control"
        self.fields["minutes"].widget.attrs["class"] = "form-control"
        if plans and plans[0].minutes_per_session:
            self.fields["minutes"].initial = plans[0].minutes_per_session
        for plan in plans:
            self.fields[f"attended-{plan.pk}"] = forms.BooleanField(
                required=False,
                initial=True,
                label=plan.student.full_name,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def attendance(self) -> dict[int, bool]:
        return {p.pk: bool(self.cleaned_data.get(f"attended-{p.pk}")) for p in self.plans}

    def attendance_fields(self) -> list[forms.BoundField]:
        return [self[f"attended-{p.pk}"] for p in self.plans]


class FidelityForm(forms.Form):
    date = _date_field("Date observed")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, checklist: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for i, item in enumerate(checklist):
            self.fields[f"item-{i}"] = forms.BooleanField(
                required=False,
                label=item,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
        _styled(self)

    def answers(self) -> list[bool]:
        return [bool(self.cleaned_data.get(f"item-{i}")) for i in range(len(self.checklist))]

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item-{i}"] for i in range(len(self.checklist))]


class GoalStatementForm(forms.Form):
    date = _date_field()
    text = forms.CharField(
        label=_("The student's goal, in their words"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class SelfRatingForm(forms.Form):
    date = _date_field()
    rating = forms.TypedChoiceField(
        label=_("How is it going? (the student's answer)"),
        choices=[
            (1, _("1 - not well")),
            (2, "2"),
            (3, _("3 - OK")),
            (4, "4"),
            (5, _("5 - very well")),
        ],
        coerce=int,
    )
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


OVERRIDE_HELP = (
    "A change the plan's data does not support (for example a new intervention or Tier 3 "
    "while fewer sessions were delivered than planned) is recorded as going against the "
    "rules, with this reason."
)


class PhaseChangeForm(forms.Form):
    intervention = forms.ModelChoiceField(
        queryset=Intervention.objects.none(),
        required=False,
        empty_label=_("Keep the same intervention"),
    )
    goal = forms.CharField(required=False, help_text=_("Empty keeps the goal."))
    goal_date = forms.DateField(required=False, widget=DateInput(), label=_("Goal date"))
    baseline = forms.CharField(
        required=False,
        label=_("Baseline of the new phase"),
        help_text=_("Empty: the median of the last three scores."),
    )
    start_date = _date_field("New phase starts")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why it changes"))
    # The phase this form was drawn from: a colleague's newer phase is shown, not replaced.
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    idempotency_key = IdempotencyField()
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Reason to go against the rules (only when asked)"),
        help_text=OVERRIDE_HELP,
    )

    def __init__(self, *args: Any, interventions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        _styled(self)


class PlanCloseForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (
                InterventionPlan.Status.COMPLETED,
                _("Completed (goal met or plan finished)"),
            ),
            (InterventionPlan.Status.DISCONTINUED, _("Discontinued")),
        ]
    )
    exit_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why it ends"))
    next_tier = forms.TypedChoiceField(
        choices=[
            ("", _("What the other plans call for (Tier 1 if none)")),
            (1, _("Tier 1")),
            (2, _("Tier 2")),
            (3, _("Tier 3")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Tier in this domain afterwards"),
    )
    idempotency_key = IdempotencyField()
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Reason to go against the rules (only when asked)"),
        help_text=OVERRIDE_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class GroupCreateForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("New group name"))
    school = forms.ModelChoiceField(queryset=School.objects.none())

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        _styled(self)


class PlanFilterForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label=_("All schools")
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *InterventionPlan.Status.choices], required=False
    )
    domain = forms.ChoiceField(choices=[("", _("Any domain")), *Domain.choices], required=False)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        _styled(self)


class EntryDateForm(forms.Form):
    """The caseload grid's date: the day the week's scores were taken."""

    date = forms.DateField(widget=DateInput(attrs={"class": "form-control"}), required=False)
    group = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_date(self) -> dt.date:
        return self.cleaned_data.get("date") or timezone.localdate()
