"""Forms of the score-import pages: the upload, and the column mapping with the import mode."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening.score_import.choices import district_windows, district_years, screening_measures
from screening.score_import.mapping import DateUse, IdKind, Mapping
from screening.score_import.reading import max_bytes
from students.models import District

ALL_OR_NOTHING = "all_or_nothing"
KEEP_VALID = "keep_valid"
MODE_CHOICES = [
    (
        ALL_OR_NOTHING,
        "Import nothing if any row has a problem (fix the file, then upload it again)",
    ),
    (KEEP_VALID, "Import the rows that are ready and list the others"),
]


class ScoreUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Score file (CSV)"),
        help_text=_(
            "A CSV export from FastBridge, aimswebPlus, Acadience or a spreadsheet: one "
            "row per score, a header row naming the columns."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,text/csv", "class": "form-control"}
        ),
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(pk__in=[d.pk for d in districts])
        self._only = districts[0] if len(districts) == 1 else None
        if self._only is not None:
            self.fields["district"].initial = self._only.pk
            self.fields["district"].widget = forms.HiddenInput()
            self.fields["district"].required = False

    def clean_district(self) -> District:
        district = self.cleaned_data.get("district") or self._only
        if district is None:
            raise forms.ValidationError(gettext("Choose the district."))
        return district

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                gettext(
                    "The file is %(value)s MB; the limit is %(bytes)s MB. Split it, for example by school."
                )
                % {
                    "value": format(upload.size / 1024 / 1024, ".1f"),
                    "bytes": format(max_bytes() / 1024 / 1024, ".0f"),
                }
            )
        return upload


def _select(**attrs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


class ScoreMappingForm(forms.Form):
    """Which column holds what. Column choices are the file's own header names."""

    # Student and score are checked by mapping_problems, which words the message.
    student = forms.ChoiceField(label=_("Student ID column"), required=False, widget=_select())
    id_kind = forms.ChoiceField(
        label=_("The IDs in that column are"),
        choices=IdKind.CHOICES,
        initial=IdKind.LOCAL,
        required=False,
        widget=forms.RadioSelect,
    )
    score = forms.ChoiceField(label=_("Score column"), required=False, widget=_select())
    measure_column = forms.ChoiceField(label=_("Measure column"), required=False, widget=_select())
    measure = forms.ModelChoiceField(
        label=_("Measure for the whole file"),
        queryset=None,
        required=False,
        empty_label=_("(choose)"),
        widget=_select(),
    )
    window_column = forms.ChoiceField(
        label=_("Window (season) column"), required=False, widget=_select()
    )
    year_column = forms.ChoiceField(label=_("School year column"), required=False, widget=_select())
    school_year = forms.ModelChoiceField(
        label=_("School year, when the season column gives none"),
        queryset=None,
        required=False,
        empty_label=_("The current school year"),
        widget=_select(),
    )
    window = forms.ModelChoiceField(
        label=_("Window for the whole file"),
        queryset=None,
        required=False,
        empty_label=_("(choose)"),
        widget=_select(),
    )
    date_column = forms.ChoiceField(label=_("Date column"), required=False, widget=_select())
    date_use = forms.ChoiceField(
        label=_("Use of the date"),
        choices=DateUse.CHOICES,
        initial=DateUse.IGNORE,
        required=False,
        widget=forms.RadioSelect,
    )
    # Not required: the choice is shown only once the preview can be made.
    mode = forms.ChoiceField(
        label=_("If some rows have problems"),
        choices=MODE_CHOICES,
        initial=ALL_OR_NOTHING,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        header: list[str],
        samples: dict[str, str],
        district: District,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # Radio groups missing from the request (the import mode is only on the page once
            # a preview can be made) keep their default, shown checked.
            self.data = self.data.copy()
            for name in ("id_kind", "date_use", "mode"):
                if not self.data.get(name):
                    self.data[name] = self.fields[name].initial
        columns = []
        for name in dict.fromkeys(h for h in header if h):
            sample = samples.get(name, "")
            label = f"{name} (e.g. {sample[:30]})" if sample else name
            columns.append((name, label))
        self.fields["student"].choices = [("", gettext("(choose a column)")), *columns]
        self.fields["score"].choices = [("", gettext("(choose a column)")), *columns]
        self.fields["measure_column"].choices = [
            ("", gettext("One measure for the whole file")),
            *columns,
        ]
        self.fields["window_column"].choices = [
            ("", gettext("One window for the whole file")),
            *columns,
        ]
        self.fields["year_column"].choices = [("", gettext("No school-year column")), *columns]
        self.fields["date_column"].choices = [("", gettext("No date column")), *columns]
        self.fields["measure"].queryset = screening_measures(district)
        self.fields["school_year"].queryset = district_years(district)
        self.fields["window"].queryset = district_windows(district)
        self.fields["window"].label_from_instance = lambda w: (
            f"{w.name} {w.school_year.name}" + ("" if w.is_open else " (closed)")
        )

    @staticmethod
    def initial_from(mapping: Mapping, *, keep_valid: bool = False) -> dict[str, Any]:
        return {
            "student": mapping.student,
            "id_kind": mapping.id_kind,
            "score": mapping.score,
            "measure_column": mapping.measure_column,
            "measure": mapping.measure_id,
            "window_column": mapping.window_column,
            "year_column": mapping.year_column,
            "school_year": mapping.school_year_id,
            "window": mapping.window_id,
            "date_column": mapping.date_column,
            "date_use": mapping.date_use,
            "mode": KEEP_VALID if keep_valid else ALL_OR_NOTHING,
        }

    def to_mapping(self) -> Mapping:
        data = self.cleaned_data
        return Mapping(
            student=data.get("student") or "",
            id_kind=data.get("id_kind") or IdKind.LOCAL,
            score=data.get("score") or "",
            measure_column=data.get("measure_column") or "",
            measure_id=data["measure"].pk
            if data.get("measure") and not data.get("measure_column")
            else None,
            window_column=data.get("window_column") or "",
            year_column=(data.get("year_column") or "") if data.get("window_column") else "",
            school_year_id=data["school_year"].pk if data.get("school_year") else None,
            window_id=data["window"].pk
            if data.get("window") and not data.get("window_column")
            else None,
            date_column=data.get("date_column") or "",
            date_use=data.get("date_use") or DateUse.IGNORE,
        )

    @property
    def keep_valid(self) -> bool:
        return self.cleaned_data.get("mode") == KEEP_VALID
