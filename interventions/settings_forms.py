"""The form of a district's own catalog entry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from interventions.models import EvidenceKind, EvidenceLevel, Intervention
from mtss.lib.vocabulary import Domain, RiskLevel
from students.models import GRADE_CHOICES


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs["class"] = "form-check-input"
        elif isinstance(w, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(w, forms.Select):
            w.attrs["class"] = "form-select"
        else:
            w.attrs["class"] = "form-control"


class CatalogEntryForm(forms.Form):
    name = forms.CharField(label=_("Program or practice name"), max_length=200)
    evidence_kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Not stated")), *EvidenceKind.choices],
        required=False,
        help_text=_(
            "A program is a named product with its own studies; a practice is an "
            "approach recommended by a practice guide."
        ),
    )
    publisher = forms.CharField(max_length=200, required=False, help_text=_("Programs only."))
    domain = forms.ChoiceField(choices=Domain.choices)
    tiers = forms.TypedMultipleChoiceField(
        choices=[(2, _("Tier 2")), (3, _("Tier 3"))],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    skills = forms.CharField(required=False, help_text=_("Skills targeted, separated by commas."))
    minutes_per_session = forms.IntegerField(min_value=1, max_value=240, required=False)
    sessions_per_week = forms.IntegerField(min_value=1, max_value=7, required=False)
    group_size_min = forms.IntegerField(label=_("Smallest group"), min_value=1, required=False)
    group_size_max = forms.IntegerField(label=_("Largest group"), min_value=1, required=False)
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52, required=False)
    entry_risk = forms.MultipleChoiceField(
        label=_("Entry: screening risk"),
        choices=[c for c in RiskLevel.choices if c[0] != RiskLevel.AT_OR_ABOVE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    entry_grade_from = forms.TypedChoiceField(
        label=_("Entry: from grade"),
        choices=[("", _("any")), *GRADE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    entry_grade_to = forms.TypedChoiceField(
        label=_("Entry: to grade"),
        choices=[("", _("any")), *GRADE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    exit_goal_met_points = forms.IntegerField(
        label=_("Exit: points at or above the goal"), min_value=1, max_value=10, required=False
    )
    exit_or_benchmark = forms.BooleanField(
        label=_("Exit also when the next screening is at benchmark"), required=False
    )
    fidelity_checklist = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One statement an observer checks per line."),
    )
    evidence_source = forms.CharField(
        label=_("Evidence source"),
        max_length=300,
        required=False,
        help_text=_(
            "The review: for a practice, the practice guide and recommendation; for a "
            "program, the review (e.g. a WWC intervention report)."
        ),
    )
    evidence_rating = forms.CharField(
        label=_("Level in the source's terms"),
        max_length=100,
        required=False,
        help_text=_("For example 'Strong evidence' (practice guide) or 'Positive effects'."),
    )
    evidence_level = forms.ChoiceField(
        label=_("ESSA tier (programs only)"),
        choices=[("", _("None")), *EvidenceLevel.choices],
        required=False,
    )
    evidence_url = forms.URLField(
        label=_("Link to the review"), required=False, assume_scheme="https"
    )
    active = forms.BooleanField(label=_("Offered to teams"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    @classmethod
    def initial_of(cls, obj: Intervention) -> dict[str, Any]:
        grades = (obj.entry_criteria or {}).get("grades") or [None, None]
        return {
            **{
                name: getattr(obj, name)
                for name in (
                    "name",
                    "evidence_kind",
                    "publisher",
                    "domain",
                    "tiers",
                    "description",
                    "minutes_per_session",
                    "sessions_per_week",
                    "group_size_min",
                    "group_size_max",
                    "weeks",
                    "evidence_source",
                    "evidence_rating",
                    "evidence_level",
                    "evidence_url",
                    "active",
                )
            },
            "skills": ", ".join(obj.skills or []),
            "entry_risk": (obj.entry_criteria or {}).get("domain_risk_in") or [],
            "entry_grade_from": grades[0],
            "entry_grade_to": grades[1],
            "exit_goal_met_points": (obj.exit_criteria or {}).get("goal_met_points"),
            "exit_or_benchmark": (obj.exit_criteria or {}).get("or_benchmark_at_next_screening"),
            "fidelity_checklist": "\n".join(obj.fidelity_checklist or []),
        }

    def values(self) -> dict[str, Any]:
        c = self.cleaned_data
        entry: dict[str, Any] = {}
        if c.get("entry_risk"):
            entry["domain_risk_in"] = list(c["entry_risk"])
        if c.get("entry_grade_from") is not None or c.get("entry_grade_to") is not None:
            entry["grades"] = [c.get("entry_grade_from"), c.get("entry_grade_to")]
        exit_: dict[str, Any] = {}
        if c.get("exit_goal_met_points"):
            exit_["goal_met_points"] = c["exit_goal_met_points"]
        if c.get("exit_or_benchmark"):
            exit_["or_benchmark_at_next_screening"] = True
        return {
            "name": c["name"],
            "publisher": c.get("publisher") or "",
            "domain": c["domain"],
            "description": c.get("description") or "",
            "tiers": c["tiers"],
            "skills": [s for s in (c.get("skills") or "").split(",")],
            "minutes_per_session": c.get("minutes_per_session"),
            "sessions_per_week": c.get("sessions_per_week"),
            "group_size_min": c.get("group_size_min"),
            "group_size_max": c.get("group_size_max"),
            "weeks": c.get("weeks"),
            "entry_criteria": entry,
            "exit_criteria": exit_,
            "fidelity_checklist": [
                line.strip()
                for line in (c.get("fidelity_checklist") or "").splitlines()
                if line.strip()
            ],
            "evidence_kind": c.get("evidence_kind") or "",
            "evidence_source": c.get("evidence_source") or "",
            "evidence_rating": c.get("evidence_rating") or "",
            "evidence_level": c.get("evidence_level") or "",
            "evidence_url": c.get("evidence_url") or "",
            "active": bool(c.get("active")),
        }
