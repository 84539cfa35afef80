"""Forms of the district's screening settings: windows, a school's own dates, measures and
the cut-score grid. The services check everything again; these refuse mistakes in place."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from screening.models.cut_scores import CutScoreSet
from screening.models.measures import Measure
from screening.models.values import Season
from students.models import GRADE_CHOICES, School, grade_label

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


class WindowForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Empty: called after its cut scores (Fall, Winter, Spring)."),
    )
    season = forms.ChoiceField(
        label=_("Cut scores used"),
        choices=Season.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)


class WindowDatesForm(forms.Form):
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)


class SchoolDatesForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    start_date = forms.DateField(label=_("First day"), required=False, widget=DATE)
    end_date = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DATE,
        help_text=_("Leave both days empty to screen on the district's dates again."),
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "domain",
            "skill",
            "purpose",
            "unit",
            "min_score",
            "max_score",
            "higher_is_better",
            "lowest_grade",
            "highest_grade",
            "slope_tolerance",
            "instrument",
            "description",
            "active",
        ]
        labels = {
            "higher_is_better": _("Higher scores are better"),
            "slope_tolerance": _("Tolerance around the aim line (score units per week)"),
            "min_score": _("Lowest possible score"),
            "max_score": _("Highest possible score"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
        self.fields["lowest_grade"].choices = GRADE_CHOICES
        self.fields["highest_grade"].choices = GRADE_CHOICES


def grid_cells(measure: Measure) -> list[tuple[int, str]]:
    """(grade, season) of every cell of a measure's cut-score grid."""
    return [
        (grade, season)
        for grade in range(measure.lowest_grade, measure.highest_grade + 1)
        for season in Season.values
    ]


def _cell_name(field: str, grade: int, season: str) -> str:
    return f"{field}_{grade}_{season}".replace("-", "m")


class CutGridForm(forms.Form):
    """The grid of a cut-score set: per grade and season a benchmark and a high-risk cut, and
    the reason for the new version. Both boxes empty drops that grade and season."""

    reason = forms.CharField(
        label=_("Why are the cut scores changing?"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Kept with the new version, so the team can see later why it changed."),
    )

    def __init__(self, *args: Any, cut_set: CutScoreSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cut_set = cut_set
        self.measure = cut_set.measure
        existing = {(r.grade, r.season): r for r in cut_set.rows.all()}
        self.grid: list[dict[str, Any]] = []
        for grade in range(self.measure.lowest_grade, self.measure.highest_grade + 1):
            cells = []
            for season in Season.values:
                row = existing.get((grade, season))
                pair = {}
                for field in ("benchmark", "high_risk_cut"):
                    name = _cell_name(field, grade, season)
                    label = "benchmark" if field == "benchmark" else "high-risk cut"
                    text = f"Grade {grade_label(grade)} {season} {label}"
                    self.fields[name] = forms.CharField(
                        required=False,
                        label=text,
                        initial=_plain(getattr(row, field)) if row else "",
                        # The grid's headers say grade and season to the eye; the accessible
                        # name says them to a screen reader.
                        widget=forms.TextInput(
                            attrs={
                                "class": "form-control form-control-sm",
                                "inputmode": "decimal",
                                "aria-label": text,
                            }
                        ),
                    )
                    pair[field] = name
                cells.append({"season": season, "names": pair, "existed": row is not None})
            self.grid.append({"grade": grade, "label": grade_label(grade), "cells": cells})

    def grid_rows(self) -> list[dict[str, Any]]:
        """Rows of the grid as the revise service takes them (changed, added or removed)."""
        out: list[dict[str, Any]] = []
        for line in self.grid:
            for cell in line["cells"]:
                bench = (self.cleaned_data.get(cell["names"]["benchmark"]) or "").strip()
                high = (self.cleaned_data.get(cell["names"]["high_risk_cut"]) or "").strip()
                key = {"grade": line["grade"], "season": cell["season"]}
                if not bench and not high:
                    if cell["existed"]:
                        out.append({**key, "remove": True})
                    continue
                out.append({**key, "benchmark": bench, "high_risk_cut": high})
        return out

    def bound_grid(self) -> list[dict[str, Any]]:
        """The grid with bound fields, for the template."""
        return [
            {
                "label": line["label"],
                "cells": [
                    {
                        "season": c["season"],
                        "benchmark": self[c["names"]["benchmark"]],
                        "high_risk_cut": self[c["names"]["high_risk_cut"]],
                    }
                    for c in line["cells"]
                ],
            }
            for line in self.grid
        ]


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    try:
        return format(Decimal(value).normalize(), "f")
    except InvalidOperation:
        return str(value)
