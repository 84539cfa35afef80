"""The small-groups page's forms: the proposal's settings (GET) and the arrangement the
teacher keeps (POST: one "Move to group" select per student, a name and a skill per group)."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mtss.lib.vocabulary import Skill
from smallgroups.models import SkillResource
from smallgroups.proposals import DraftGroup
from smallgroups.services import MAX_GROUP_SIZE
from students.models import GRADE_CHOICES

DEFAULT_SIZE = 4


class ProposalForm(forms.Form):
    basis = forms.ChoiceField(label=_("Group by"))
    size = forms.IntegerField(
        label=_("Largest group size"),
        min_value=1,
        max_value=MAX_GROUP_SIZE,
        initial=DEFAULT_SIZE,
        help_text=format_lazy(_("Students per group, 1 to {largest}."), largest=MAX_GROUP_SIZE),
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = choices
        self.fields["basis"].widget.attrs["class"] = "form-select"
        self.fields["size"].widget.attrs["class"] = "form-control"


def arrangement_from_post(
    data: QueryDict, *, class_ids: list[int]
) -> tuple[list[DraftGroup], list[str]]:
    """The groups as posted, in their order, and what could not be read. A student whose select
    is missing stays out (the service then says who is in no group)."""
    errors: list[str] = []
    try:
        count = int(data.get("group-count", ""))
    except ValueError:
        return [], ["The groups could not be read; reload the page and try again."]
    count = max(0, min(count, len(class_ids) + 1))
    members: dict[int, list[int]] = {i: [] for i in range(count)}
    # In the order posted, which is the order on the page (a dragged card goes last).
    in_class = set(class_ids)
    for key in data:
        name, _, sid_text = key.partition("-")
        if name != "student" or not sid_text.isdigit() or int(sid_text) not in in_class:
            continue
        sid = int(sid_text)
        value = data.get(key, "")
        if not value.isdigit() or int(value) not in members:
            errors.append(gettext("A student was moved to a group that does not exist."))
            continue
        members[int(value)].append(sid)
    groups = []
    for i in range(count):
        skill = data.get(f"group-{i}-skill", "")
        groups.append(
            DraftGroup(
                data.get(f"group-{i}-name", "").strip(),
                skill if skill in Skill.values else "",
                tuple(members[i]),
            )
        )
    return groups, errors


def skill_choices() -> list[tuple[str, str]]:
    return [("", gettext("No particular skill")), *Skill.choices]


class ResourceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Link (online resources)"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("Where an online resource lives."),
    )

    class Meta:
        model = SkillResource
        fields = [
            "title",
            "skill",
            "kind",
            "url",
            "description",
            "lowest_grade",
            "highest_grade",
            "active",
        ]
        labels = {
            "kind": _("Online or offline"),
            "url": _("Link (online resources)"),
            "description": _("What it is and what it needs"),
            "lowest_grade": _("From grade"),
            "highest_grade": _("To grade"),
            "active": _("Offer it to teachers"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
        self.fields["lowest_grade"].choices = GRADE_CHOICES
        self.fields["highest_grade"].choices = GRADE_CHOICES
        self.fields["skill"].choices = [("", gettext("Choose a skill")), *Skill.choices]
        self.fields["kind"].choices = SkillResource.Kind.choices  # no blank radio button
