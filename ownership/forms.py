"""The forms of the student's own page and of the teacher's side (codes, reflection checks).
Labels are plain words; the student's are translated (locale/es)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ownership import codes
from ownership.faces import FACES
from ownership.services import CHECK_DAYS, DEFAULT_QUESTION, QUESTION_LIMIT, TEXT_LIMIT


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your sign-in code"),
        max_length=32,
        help_text=_("It is on the card from your teacher, like ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg code-input",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


def _face_choices() -> list[tuple[int, str]]:
    return [(f.value, f.label) for f in FACES]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How did it go?"),
        coerce=int,
        choices=_face_choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the faces.")},
    )
    note = forms.CharField(
        label=_("What helped, or what was hard? (you can skip this)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class ReflectionForm(RatingForm):
    note = forms.CharField(
        label=_("Tell your teacher more (you can skip this)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("My goal, in my own words"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("Write your goal in your words.")},
    )


class PrintCodesForm(forms.Form):
    hours = forms.TypedChoiceField(
        label=_("The codes work for"),
        coerce=int,
        choices=codes.LIFETIMES,
        initial=codes.DEFAULT_LIFETIME_HOURS,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ReflectionCheckForm(forms.Form):
    question = forms.CharField(
        label=_("The question"),
        max_length=QUESTION_LIMIT,
        initial=DEFAULT_QUESTION,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    days = forms.TypedChoiceField(
        label=_("Students can answer for"),
        coerce=int,
        initial=7,
        choices=[(d, f"{d} day{'s' if d > 1 else ''}") for d in CHECK_DAYS],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
