"""Page forms of the meetings app: they validate at the edge, then the views call services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import DecisionType, MeetingKind
from mtss.lib.vocabulary import Domain
from students.idempotency import IdempotencyField
from students.models import School, User


class StyledForm(forms.Form):
    """Bootstrap classes and aria-describedby on every widget (the template _field.html
    prints the help and error texts those ids point at)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
                continue
            if isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
                continue
            # Errors only once validated: reading self.errors here would validate too early.
            invalid = self._errors is not None and name in self._errors
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if invalid:
                css += " is-invalid"
            widget.attrs["class"] = css
            auto_id = self[name].auto_id
            described = []
            if field.help_text:
                described.append(f"{auto_id}-help")
            if invalid:
                described.append(f"{auto_id}-error")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()
        self.style()


def apply_errors(form: StyledForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
    form.style()  # mark the fields the service refused


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.display_name()})" if obj.title else name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class MeetingForm(StyledForm):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("School"))
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("Type of meeting"))
    grade = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Grade (grade-level meetings)"),
        choices=[("", "—")] + [(g, "K" if g == 0 else str(g)) for g in range(0, 13)],
    )
    window = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Screening window (grade-level meetings)"),
        empty_label="—",
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), initial="15:30")
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=480, initial=60, label=_("Length (minutes)")
    )
    location = forms.CharField(max_length=200, required=False)
    facilitator = PersonChoiceField(queryset=User.objects.none(), required=False)
    note_taker = PersonChoiceField(
        queryset=User.objects.none(), required=False, label=_("Note-taker")
    )
    timekeeper = PersonChoiceField(queryset=User.objects.none(), required=False)
    attendees = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who is expected at the meeting."),
    )
    repeat_every_weeks = forms.IntegerField(
        min_value=1,
        max_value=12,
        required=False,
        label=_("Repeat every (weeks)"),
        help_text=_("Leave empty for a single meeting."),
    )
    repeat_count = forms.IntegerField(
        min_value=1, max_value=20, required=False, label=_("Number of further meetings")
    )

    def __init__(self, *args: Any, schools: Any, staff: Any, windows: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["window"].queryset = windows
        for name in ("facilitator", "note_taker", "timekeeper", "attendees"):
            self.fields[name].queryset = staff

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == MeetingKind.GRADE_LEVEL and data.get("grade") is None:
            self.add_error("grade", gettext("A grade-level meeting needs its grade."))
        if bool(data.get("repeat_every_weeks")) != bool(data.get("repeat_count")):
            self.add_error(
                "repeat_count",
                gettext("To repeat the meeting, give both how often and how many times."),
            )
        if data.get("date") and data.get("time"):
            data["scheduled_at"] = timezone.make_aware(
                dt.datetime.combine(data["date"], data["time"])
            )
        return data


class MeetingEditForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(min_value=5, max_value=480, label=_("Length (minutes)"))
    location = forms.CharField(max_length=200, required=False)
    facilitator = PersonChoiceField(queryset=User.objects.none(), required=False)
    note_taker = PersonChoiceField(
        queryset=User.objects.none(), required=False, label=_("Note-taker")
    )
    timekeeper = PersonChoiceField(queryset=User.objects.none(), required=False)
    attendees = PeopleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Meeting notes"),
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("facilitator", "note_taker", "timekeeper", "attendees"):
            self.fields[name].queryset = staff

    def changes(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "scheduled_at": timezone.make_aware(dt.datetime.combine(d["date"], d["time"])),
            "duration_minutes": d["duration_minutes"],
            "location": d["location"],
            "facilitator": d["facilitator"],
            "note_taker": d["note_taker"],
            "timekeeper": d["timekeeper"],
            "notes": d["notes"],
        }


class NotesForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(
        required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


DECISION_HELP = {
    "place_tier2": "Starts a Tier 2 plan with the intervention below.",
    "place_tier3": "Starts a Tier 3 plan with the intervention below.",
    "continue": "The plan goes on as it is; this is its review.",
    "modify_plan": "Starts a new phase of the plan (new intervention or goal).",
    "intensify": "More support: more or longer sessions, or Tier 3.",
    "fade": "Less support: fewer or shorter sessions, or Tier 2.",
    "exit": "Ends the plan as completed; the student returns to Tier 1 in that area.",
    "refer_evaluation": "Refers the student for a special-education evaluation.",
    "refer_504": "Refers the student for a Section 504 evaluation (accommodations).",
    "monitor": "No new plan; the team keeps watching the data.",
    "dismiss_flag": "Sets the flag aside; it reopens only if its data change.",
}


class DecisionForm(StyledForm):
    type = forms.ChoiceField(
        choices=DecisionType.choices, widget=forms.RadioSelect, label=_("Decision")
    )
    intervention = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Intervention (placements)")
    )
    plan = forms.ModelChoiceField(queryset=None, required=False, label=_("Plan (plan changes)"))
    flags = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Flags this decision answers"),
        help_text=_(
            "Leave all unticked to answer every open flag of the student in the decision's area."
        ),
    )
    measure = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Progress measure (placements)"),
        help_text=_("How progress will be monitored."),
    )
    goal = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        label=_("Goal score"),
        help_text=_(
            "Placements: the score to reach by the goal date. Plan changes: a new goal, "
            "or empty to keep it."
        ),
    )
    goal_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("Goal date"),
    )
    tier = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", _("Keep the tier")),
            (2, _("Tier 2")),
            (3, _("Tier 3")),
        ],
        label=_("New tier (intensify or fade)"),
    )
    domain = forms.ChoiceField(
        choices=[("", "—")] + list(Domain.choices),
        required=False,
        label=_("Area (monitor, referral or dismissal)"),
    )
    interventionist = PersonChoiceField(
        queryset=User.objects.none(), required=False, label=_("Interventionist")
    )
    start_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("Start date"),
    )
    sessions_per_week = forms.IntegerField(
        min_value=1, max_value=7, required=False, label=_("Sessions a week")
    )
    minutes_per_session = forms.IntegerField(
        min_value=5, max_value=180, required=False, label=_("Minutes a session")
    )
    review_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("Next review"),
        help_text=_("Empty: six weeks after the start."),
    )
    rationale = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Rationale"),
        help_text=_(
            "Required when the decision goes against the rules' recommendation or dismisses a flag."
        ),
    )
    # A second send of the same form (a double click, a resent page) records nothing new.
    idempotency_key = IdempotencyField()

    def __init__(
        self,
        *args: Any,
        interventions: Any,
        plans: Any,
        flags: Any,
        staff: Any,
        measures: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions
        self.fields["measure"].queryset = measures
        self.fields["plan"].queryset = plans
        self.fields["flags"].queryset = flags
        self.fields["interventionist"].queryset = staff
        self.fields["plan"].label_from_instance = lambda p: (
            f"{p.intervention.name} (Tier {p.tier}, {p.get_domain_display().lower()})"
        )
        self.fields["flags"].label_from_instance = lambda f: (
            f"{f.get_kind_display()} – {f.get_domain_display()}, Tier {f.recommended_tier}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("type")
        if kind in ("place_tier2", "place_tier3"):
            if not data.get("intervention"):
                self.add_error("intervention", gettext("Choose an intervention from the catalog."))
            if not data.get("interventionist"):
                self.add_error("interventionist", gettext("Choose who delivers the plan."))
            if not data.get("measure"):
                self.add_error("measure", gettext("Choose how progress will be monitored."))
            if data.get("goal") is None:
                self.add_error("goal", gettext("Give the goal score."))
            if not data.get("goal_date"):
                self.add_error("goal_date", gettext("Give the date the goal should be reached."))
        if kind in ("continue", "modify_plan", "intensify", "fade", "exit") and not data.get(
            "plan"
        ):
            self.add_error("plan", gettext("Choose the plan this decision is about."))
        return data


class ActionItemForm(StyledForm):
    description = forms.CharField(max_length=500, label=_("What needs doing"))
    owner = PersonChoiceField(queryset=User.objects.none(), label=_("Who"))
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Due"))
    about_student = forms.BooleanField(required=False, initial=True, label=_("About this student"))

    def __init__(self, *args: Any, staff: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff


class AddStudentForm(StyledForm):
    q = forms.CharField(max_length=100, required=False, label=_("Find a student by name or ID"))


class RecurForm(StyledForm):
    every_weeks = forms.IntegerField(min_value=1, max_value=12, label=_("Every (weeks)"))
    count = forms.IntegerField(min_value=1, max_value=20, label=_("How many more meetings"))


class ConcernForm(StyledForm):
    note = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("What should the team discuss?"),
        help_text=_("What you have seen, what you have tried, and what you would like help with."),
    )
