"""The rule-set settings form: one field per threshold of `Thresholds`, built from its field
list (decisions.threshold_info), so a threshold added later appears without a change here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from decisions.threshold_info import ThresholdInfo, threshold_infos


class RuleSetForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the rules changing?"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Kept with the new version, so the team can see later why it changed."),
    )

    def __init__(self, *args: Any, current: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.infos: list[ThresholdInfo] = threshold_infos()
        self.current = current
        for info in self.infos:
            value = current.get(info.name)
            attrs = {
                "class": "form-control form-control-sm",
                "aria-describedby": f"src-{info.name}",
            }
            if info.kind == "bool":
                field: forms.Field = forms.BooleanField(
                    required=False,
                    widget=forms.CheckboxInput(
                        attrs={"class": "form-check-input", "aria-describedby": f"src-{info.name}"}
                    ),
                )
            elif info.kind == "int":
                field = forms.IntegerField(widget=forms.NumberInput(attrs=attrs))
            else:
                field = forms.FloatField(widget=forms.NumberInput(attrs={**attrs, "step": "any"}))
            field.label = info.label
            field.initial = value
            self.fields[info.name] = field

    def changes(self) -> dict[str, Any]:
        """The thresholds whose value differs from the version in use."""
        return {
            info.name: self.cleaned_data[info.name]
            for info in self.infos
            if self.cleaned_data.get(info.name) != self.current.get(info.name)
        }

    def rows(self) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for info in self.infos:
            groups.setdefault(info.group, []).append({"info": info, "field": self[info.name]})
        return [{"group": g, "items": items} for g, items in groups.items()]
