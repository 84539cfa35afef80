"""The district's passing rule for course marks, at /settings/marks/ (district administrators)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from indicators.mark_rule import mark_rule_for, mark_rule_save
from students import settings_choice
from students.audit import AuditContext


def _words(text: str) -> str:
    """'f, e ,NP,' -> 'F,E,NP': one spelling whatever was typed."""
    return ",".join(w.strip() for w in text.split(",") if w.strip())


class MarkRuleForm(forms.Form):
    passing_percent = forms.DecimalField(
        label=_("Lowest passing percent"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("A mark given as a percent passes at or above this (for example 60)."),
    )
    failing_letters = forms.CharField(
        label=_("Failing letter marks"),
        max_length=200,
        help_text=_(
            "Separated by commas, for example F,E,NP. A + or - is ignored: F- fails like F."
        ),
    )
    core_subjects = forms.CharField(
        label=_("Core subjects"),
        max_length=200,
        help_text=_(
            "Separated by commas, for example ELA,Math,Science,Social Studies. Two "
            "failing core courses make the course-failure flag Tier 3. Used for marks imported "
            "from now on when the file has no core column."
        ),
    )

    def clean_failing_letters(self) -> str:
        letters = _words(self.cleaned_data["failing_letters"]).upper()
        if not letters:
            raise forms.ValidationError(gettext("List at least one failing letter, for example F."))
        return letters

    def clean_core_subjects(self) -> str:
        return _words(self.cleaned_data["core_subjects"])


@login_required
@require_http_methods(["GET", "POST"])
def mark_rule_settings(request: HttpRequest) -> HttpResponse:
    district = settings_choice.settings_district(
        request, refusal=gettext("Only district administrators change the passing rule.")
    )
    rule = mark_rule_for(district)
    initial: dict[str, Any] = {
        "passing_percent": rule.passing_percent,
        "failing_letters": rule.failing_letters,
        "core_subjects": rule.core_subjects,
    }
    form = MarkRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _, changed = mark_rule_save(
            district=district, audit=AuditContext.from_request(request), **form.cleaned_data
        )
        messages.success(
            request,
            ngettext(
                "Passing rule saved. %(count)s stored mark changed between passing and failing; "
                "the early-warning flags follow at the next rules run.",
                "Passing rule saved. %(count)s stored marks changed between passing and failing; "
                "the early-warning flags follow at the next rules run.",
                changed,
            )
            % {"count": changed},
        )
        return redirect(request.get_full_path())
    return render(
        request,
        "indicators/settings/mark_rule.html",
        {"form": form, "district": district, "nav_current": "settings"},
    )
