"""Settings: local accuracy of a measure's cut score (screening/accuracy.py): how well the
earlier window's score predicted the later window's outcome, per cut value, in the district."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mtss.lib.vocabulary import RiskLevel
from screening.accuracy import candidate_cuts, cut_accuracy
from screening.models import CutScore, CutScoreSet, Measure, ScreeningScore, ScreeningWindow
from screening.views.settings_common import settings_district
from students.models import GRADE_CHOICES

POOR = (RiskLevel.SOME_RISK.value, RiskLevel.HIGH_RISK.value)


class AccuracyForm(forms.Form):
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), label=_("Screening measure"))
    grade = forms.TypedChoiceField(choices=GRADE_CHOICES, coerce=int, initial=3)
    predictor = forms.ModelChoiceField(
        queryset=ScreeningWindow.objects.none(), label=_("Screened in")
    )
    outcome = forms.ModelChoiceField(
        queryset=ScreeningWindow.objects.none(), label=_("Outcome: not at benchmark in")
    )
    outcome_measure = forms.ModelChoiceField(
        queryset=Measure.objects.none(),
        required=False,
        label=_("Outcome measure"),
        help_text=_("The same measure, or another one (a state test imported as a measure)."),
    )

    def __init__(self, *args: Any, measures: Any, windows: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["outcome_measure"].queryset = measures
        self.fields["predictor"].queryset = windows
        self.fields["outcome"].queryset = windows
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        p, o = data.get("predictor"), data.get("outcome")
        if p and o and p.start_date >= o.start_date:
            raise forms.ValidationError(
                gettext("The outcome window must come after the screening one.")
            )
        return data


def _pairs(district_id: int, c: dict[str, Any]) -> tuple[list[float], list[bool]]:
    """Each student's earlier score beside their later outcome (students with both)."""
    outcome_measure = c.get("outcome_measure") or c["measure"]
    early = dict(
        ScreeningScore.objects.filter(
            student__district_id=district_id,
            measure=c["measure"],
            window=c["predictor"],
            grade=c["grade"],
        ).values_list("student_id", "score")
    )
    later = dict(
        ScreeningScore.objects.filter(
            student_id__in=list(early),
            measure=outcome_measure,
            window=c["outcome"],
            risk_level__isnull=False,
        ).values_list("student_id", "risk_level")
    )
    ids = [s for s in early if s in later]
    return [float(early[s]) for s in ids], [later[s] in POOR for s in ids]


def _current_benchmark(district_id: int, c: dict[str, Any]) -> float | None:
    cut_set = (
        CutScoreSet.objects.filter(measure=c["measure"], is_active=True)
        .filter(Q(district_id=district_id) | Q(district__isnull=True))
        .order_by("district_id")
        .last()
    )
    row = CutScore.objects.filter(
        cut_score_set=cut_set, grade=c["grade"], season=c["predictor"].season
    ).first()
    return float(row.benchmark) if row else None


@login_required
@require_GET
def accuracy(request: HttpRequest) -> HttpResponse:
    district = settings_district(request)
    measures = Measure.objects.filter(
        Q(district=district) | Q(district__isnull=True), active=True
    ).order_by("name")
    windows = ScreeningWindow.objects.filter(school_year__district=district).order_by("start_date")
    asked = request.GET.copy()
    asked.pop("district", None)  # the district chooser alone does not ask a question
    form = AccuracyForm(asked or None, measures=measures, windows=windows)
    context: dict[str, Any] = {"form": form, "rows": None, "district": district}
    if form.is_bound and form.is_valid():
        c = form.cleaned_data
        scores, poor = _pairs(district.pk, c)
        current = _current_benchmark(district.pk, c)
        cuts = candidate_cuts(scores, current=current)
        context.update(
            {
                "rows": cut_accuracy(
                    scores, poor, cuts, higher_is_better=c["measure"].higher_is_better
                ),
                "pairs": len(scores),
                "poor": sum(poor),
                "current": current,
                "choice": c,
            }
        )
    return render(request, "screening/settings/accuracy.html", context)
