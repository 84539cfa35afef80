"""The classwide item's part of the meeting-mode page: the decision form, its help, the
decisions recorded and the class's active classwide plan (templates/meetings/run.html)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from decisions.classwide_plans import held_flag_q
from decisions.models import ClasswidePlan, Flag, FlagStatus
from meetings.classwide import HELP
from meetings.forms import StyledForm
from meetings.models import AgendaItem, ClasswideDecision, ClasswideDecisionType
from students.idempotency import IdempotencyField


class ClasswideDecisionForm(StyledForm):
    type = forms.ChoiceField(
        label=_("Decision"),
        choices=ClasswideDecisionType.choices,
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the class continues core instruction as it is."),
    )
    idempotency_key = IdempotencyField()


def classwide_context(
    item: AgendaItem, form: ClasswideDecisionForm | None = None
) -> dict[str, Any]:
    """What the run page adds for a classwide item: the form, the help per choice, the
    decisions recorded and the section's active classwide plan, if any."""
    plan = ClasswidePlan.objects.filter(
        section_id=item.section_id, status=ClasswidePlan.Status.ACTIVE
    ).first()
    held = 0
    if plan is not None:
        held = (
            Flag.objects.filter(
                held_flag_q(),
                status=FlagStatus.OPEN,
                student__enrollments__section_id=item.section_id,
                student__enrollments__active=True,
            )
            .distinct()
            .count()
        )
    return {
        "classwide_form": form or ClasswideDecisionForm(),
        "classwide_help": {str(k): v for k, v in HELP.items()},
        "classwide_decisions": list(
            ClasswideDecision.objects.filter(item=item).select_related("plan").order_by("id")
        ),
        "classwide_plan": plan,
        "classwide_held": held,
    }
