"""Forms of the roster pages: sign-in, and the student list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from students import access
from students.models import GRADE_CHOICES, RaceEthnicity, School, Sex, Student


class SignInForm(AuthenticationForm):
    """Django's sign-in form in plain words. The lockout is django-axes' (students/lockout.py)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username and password do not match. Check them and try again; "
            "passwords are case-sensitive."
        ),
    }


YES_NO_ANY = [("", "Any"), ("yes", "Yes"), ("no", "No")]

# The student groups of domain.md section 5 that are yes/no flags: (form field, model field).
GROUP_FLAGS = [
    ("english_learner", "english_learner"),
    ("iep", "iep"),
    ("section_504", "section_504"),
    ("economically_disadvantaged", "economically_disadvantaged"),
]

GROUP_FIELDS = (
    "english_learner",
    "iep",
    "section_504",
    "economically_disadvantaged",
    "race_ethnicity",
    "sex",
)

SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "grade": ("grade", "last_name", "first_name", "id"),
    "-grade": ("-grade", "last_name", "first_name", "id"),
}


class StudentFilterForm(forms.Form):
    """The student list's search, filters and sort; every field optional (a GET form)."""

    q = forms.CharField(
        label=_("Search by name or student ID"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("All schools"),
    )
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        choices=[("", _("All grades")), *GRADE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    section = forms.IntegerField(required=False, widget=forms.HiddenInput)
    english_learner = forms.ChoiceField(
        label=_("English learner"), choices=YES_NO_ANY, required=False
    )
    iep = forms.ChoiceField(label=_("IEP"), choices=YES_NO_ANY, required=False)
    section_504 = forms.ChoiceField(label=_("504 plan"), choices=YES_NO_ANY, required=False)
    economically_disadvantaged = forms.ChoiceField(
        label=_("Economically disadvantaged"), choices=YES_NO_ANY, required=False
    )
    race_ethnicity = forms.ChoiceField(
        label=_("Race/ethnicity"),
        choices=[("", _("Any")), *RaceEthnicity.choices],
        required=False,
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Any")), *Sex.choices], required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("name", _("Name (A-Z)")),
            ("-name", _("Name (Z-A)")),
            ("grade", _("Grade (low to high)")),
            ("-grade", _("Grade (high to low)")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        for bound in self.visible_fields():
            widget = bound.field.widget
            is_select = widget.input_type == "select"
            widget.attrs.setdefault("class", "form-select" if is_select else "form-control")

    def group_fields(self) -> list[forms.BoundField]:
        """The student-group filters, shown together under one legend."""
        return [self[name] for name in GROUP_FIELDS]

    def filter(self, students: QuerySet[Student]) -> QuerySet[Student]:
        """Narrow an already-scoped queryset; invalid values are ignored, not an error page."""
        data: dict[str, Any] = {}
        if self.is_bound:
            # A bad value in one field (a stale school id, say) drops that filter only:
            # cleaned_data keeps the fields that were valid.
            self.is_valid()
            data = self.cleaned_data
        for term in (data.get("q") or "").split():
            students = students.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(preferred_name__icontains=term)
                | Q(local_id__iexact=term)
            )
        if data.get("school"):
            students = students.filter(school=data["school"])
        if data.get("grade") is not None:
            students = students.filter(grade=data["grade"])
        if data.get("section"):
            students = students.filter(
                access.current_enrollment_condition(prefix="enrollments__"),
                enrollments__section_id=data["section"],
            )
        for form_field, model_field in GROUP_FLAGS:
            if data.get(form_field) in ("yes", "no"):
                students = students.filter(**{model_field: data[form_field] == "yes"})
        if data.get("race_ethnicity"):
            students = students.filter(race_ethnicity=data["race_ethnicity"])
        if data.get("sex"):
            students = students.filter(sex=data["sex"])
        return students.order_by(*SORTS[data.get("sort") or "name"])

    def is_filtering(self) -> bool:
        """True when a search or filter narrows the list (sorting does not)."""
        if not self.is_bound:
            return False
        self.is_valid()
        return any(v not in ("", None) for k, v in self.cleaned_data.items() if k != "sort")
