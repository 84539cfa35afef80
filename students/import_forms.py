"""Forms of the data-exchange pages: upload an import, drop-folder settings, ask for an export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from students import slots
from students.models import District
from students.models_imports import ImportJob
from students.oneroster.dropfolder import drop_folder_owner, drop_folder_path, drop_root

MAX_UPLOAD_BYTES = 500 * 1024 * 1024
# Every kind but the OneRoster roster is a single CSV file.
KIND_EXTENSIONS = {ImportJob.Kind.ONEROSTER: ".zip"}
ROSTER_KINDS = [
    (
        ImportJob.Kind.ONEROSTER,
        "OneRoster roster from the student information system (.zip)",
        "",
    ),
    (
        ImportJob.Kind.STUDENT_GROUPS,
        "Student groups: English learner, IEP, 504, economically disadvantaged (.csv)",
        "A column sourcedId and any of english_learner, iep, section_504, "
        "economically_disadvantaged with Y/N.",
    ),
]


def upload_kinds() -> list[tuple[str, str, str]]:
    """(kind, label, help) of every kind the upload form offers: the roster's own two, then
    the importers other apps put in the IMPORTERS slot with a label (attendance, marks...)."""
    own = {kind for kind, _, _ in ROSTER_KINDS}
    return ROSTER_KINDS + [
        (i.key, i.label, i.help) for i in slots.IMPORTERS if i.label and i.key not in own
    ]


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you uploading?"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=ImportJob.Kind.ONEROSTER,
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.none(), label=_("District"), empty_label=None
    )
    file = forms.FileField(label=_("File"))
    keep_valid = forms.BooleanField(
        label=_("Import the rows that are fine even if some rows have problems"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_(
            "Off (recommended): if any row has a problem nothing is imported and you get the "
            "list of problems to fix. On: good rows are imported and the others are listed."
        ),
        required=False,
    )

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = upload_kinds()
        self.fields["kind"].choices = [(kind, label) for kind, label, _ in kinds]
        self.kind_help = {kind: help for kind, _, help in kinds}
        self.fields["district"].queryset = District.objects.filter(
            pk__in=[d.pk for d in districts]
        ).order_by("name")
        self._only_district = districts[0] if len(districts) == 1 else None
        if self._only_district is not None:
            self.fields["district"].initial = self._only_district.pk
            self.fields["district"].widget = forms.HiddenInput()
            self.fields["district"].required = False
        self.fields["file"].widget.attrs["accept"] = ".zip,.csv"

    def kind_options(self) -> list[tuple[Any, str]]:
        """Each kind's radio button with its help (the columns its CSV needs)."""
        return [(radio, self.kind_help.get(radio.data["value"], "")) for radio in self["kind"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("district") is None and self._only_district is not None:
            cleaned["district"] = self._only_district
        upload = cleaned.get("file")
        kind = cleaned.get("kind")
        if upload is None or kind is None:
            return cleaned
        expected = KIND_EXTENSIONS.get(kind, ".csv")
        if Path(upload.name).suffix.lower() != expected:
            self.add_error(
                "file",
                # Two sentences, each translated whole: the problem, then what to do.
                gettext("%(name)s is not a %(extension)s file.")
                % {"name": upload.name, "extension": expected}
                + " "
                + (
                    gettext(
                        "Upload the OneRoster export as the .zip your student information "
                        "system produced."
                    )
                    if kind == ImportJob.Kind.ONEROSTER
                    else gettext("Save the sheet as CSV (in Excel: File, Save As, CSV UTF-8).")
                ),
            )
        elif upload.size == 0:
            self.add_error("file", gettext("%(name)s is empty (0 bytes).") % {"name": upload.name})
        elif upload.size > MAX_UPLOAD_BYTES:
            self.add_error(
                "file",
                gettext("%(name)s is larger than %(value)s MB.")
                % {"name": upload.name, "value": MAX_UPLOAD_BYTES // 1024**2},
            )
        return cleaned


class DropFolderForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Import new files from the drop folder every night"), required=False
    )
    drop_folder = forms.CharField(
        label=_("Folder name"),
        max_length=200,
        required=False,
        help_text=_(
            "A folder inside the server's drop area, where your student information system "
            "saves its nightly OneRoster export."
        ),
    )
    keep_valid_rows = forms.BooleanField(
        label=_("Import the rows that are fine even if some rows have problems"),
        required=False,
    )

    def __init__(self, *args: Any, district: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name = cleaned.get("drop_folder", "")
        path = drop_folder_path(name) if name else None
        if cleaned.get("enabled") and not name:
            self.add_error(
                "drop_folder", gettext("Give the folder name, or switch the nightly import off.")
            )
        elif name and path is None:
            self.add_error(
                "drop_folder",
                gettext("'%(name)s' is not a folder inside %(root)s; use a plain folder name.")
                % {"name": name, "root": drop_root()},
            )
        elif path is not None:
            # Stored as its path under the root, so "a", "./a" and "a/" are one folder.
            cleaned["drop_folder"] = str(path.relative_to(drop_root()))
            owner = drop_folder_owner(cleaned["drop_folder"], exclude=self.district)
            if owner is not None:
                # Never name the other district: its name is not this administrator's business.
                self.add_error(
                    "drop_folder",
                    gettext(
                        "That folder belongs to another district. Each district needs a folder "
                        "of its own, or one district's nightly run would import another's students."
                    ),
                )
        return cleaned


class ExportForm(forms.Form):
    export = forms.ChoiceField(label=_("What to export"), widget=forms.RadioSelect)
    format = forms.ChoiceField(
        label=_("File type"),
        choices=[("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (.csv)"))],
        widget=forms.RadioSelect,
        initial="xlsx",
    )
    include_inactive = forms.BooleanField(
        label=_("Include students who are no longer active"), required=False
    )
    purpose = forms.CharField(
        label=_("Why do you need this export?"),
        max_length=200,
        help_text=_(
            "Required. It is kept in the record of access (who exported which students, when "
            "and why), as FERPA asks."
        ),
        widget=forms.TextInput(attrs={"list": "export-purposes", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, exports: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["export"].choices = exports
        if exports:
            self.fields["export"].initial = exports[0][0]

    def clean_purpose(self) -> str:
        purpose = " ".join(self.cleaned_data["purpose"].split())
        if len(purpose) < 4:
            raise forms.ValidationError(
                gettext(
                    "Say in a few words why you need the export, for example 'MTSS team meeting'."
                )
            )
        return purpose
