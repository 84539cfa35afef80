"""Score entry: pick a class, window and measure; save the whole class or one box of the grid."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from mtss.errors import EditConflict
from screening.forms import ClassScoresForm, EntryPickForm, clean_score_text
from screening.models.measures import Measure
from screening.models.windows import ScreeningWindow
from screening.page_selectors.entry_defaults import entry_defaults
from screening.page_selectors.grid import (
    GridRow,
    class_tallies,
    entry_grid,
    score_get,
)
from screening.page_selectors.sections import (
    entry_measures,
    entry_section_get,
    entry_sections,
    entry_windows,
    section_student_get,
    section_students,
    window_is_enterable,
)
from screening.services.scores import ScoreInput, score_record, scores_bulk_record
from screening.views.helpers import _404_if_not_their_section, _fragment, _int, _messages_of
from students.audit import AuditContext, audit_record_many
from students.models import AccessLog, Section, User
from students.versioning import conflict_words, posted_version

GRID_VIEW_OBJECT = "screening_scores"
BLANK_KEEPS_SCORE = _(
    "A saved score can't be erased here; the saved score is shown again. "
    "Type the correct score to change it."
)


def _grid_url(section: Section, window: ScreeningWindow, measure: Measure) -> str:
    query = urlencode({"section": section.pk, "window": window.pk, "measure": measure.pk})
    return f"{reverse('screening:score_entry')}?{query}"


def _grid_context(
    *,
    user: User,
    section: Section,
    window: ScreeningWindow,
    measure: Measure,
    typed: dict[int, str] | None = None,
    errors: dict[int, str] | None = None,
) -> dict[str, Any]:
    grid = entry_grid(user=user, section=section, window=window, measure=measure)
    for row in grid.rows:
        if errors and row.student.pk in errors:
            row.error = errors[row.student.pk]
            row.typed = (typed or {}).get(row.student.pk, "")
    return {
        "section": section,
        "window": window,
        "measure": measure,
        "grid": grid,
        "entered": grid.entered_count,
        "served": grid.served_count,
        "enterable": window_is_enterable(user, window, section.school_id),
        "range_hint": f"{measure.min_score.normalize():f} to {measure.max_score.normalize():f}",
    }


@login_required
@require_GET
def score_entry(request: HttpRequest) -> HttpResponse:
    """Pick a class, window and measure; then the class roster as a grid of score boxes."""
    user: User = request.user
    # Preselect what the user did not choose: their class, its open window and its measure.
    # With all three the class's grid opens at once, its first empty box focused.
    picked = entry_defaults(user, request.GET.dict())
    complete = {"section", "window", "measure"} <= picked.keys()
    form = EntryPickForm(
        picked if complete else (request.GET or None),
        sections=entry_sections(user),
        windows=entry_windows(user),
        measures=entry_measures(user),
    )
    if not form.is_bound:
        for name, value in picked.items():
            form.fields[name].initial = value
    _404_if_not_their_section(form)
    context: dict[str, Any] = {"form": form, "screening_nav": "entry"}
    if form.is_bound and form.is_valid():
        section = form.cleaned_data["section"]
        window = form.cleaned_data["window"]
        measure = form.cleaned_data["measure"]
        if window.school_year_id != section.school_year_id:
            form.add_error("window", _("This window is not in the class's school year."))
        else:
            context.update(
                _grid_context(user=user, section=section, window=window, measure=measure)
            )
            if context["enterable"]:
                context["autofocus_id"] = next(
                    (r.student.pk for r in context["grid"].rows if r.served and not r.current),
                    None,
                )
            audit_record_many(
                user=user,
                action=AccessLog.Action.VIEW,
                object_type=GRID_VIEW_OBJECT,
                student_ids=[r.student.pk for r in context["grid"].rows],
                request=request,
                detail={"window": window.pk, "measure": measure.pk, "section": section.pk},
            )
    return render(request, "screening/score_entry.html", context)


@login_required
@require_POST
def score_entry_save(request: HttpRequest) -> HttpResponse:
    """Save the whole class at once. Good rows are saved; refused rows stay with a message."""
    user: User = request.user
    section = entry_section_get(user=user, pk=_int(request.POST.get("section")))
    window = get_object_or_404(
        ScreeningWindow.objects.select_related("school_year"),
        pk=_int(request.POST.get("window")),
        school_year_id=section.school_year_id,
    )
    measure = get_object_or_404(entry_measures(user), pk=_int(request.POST.get("measure")))
    served = [
        s for s in section_students(user=user, section=section) if measure.serves_grade(s.grade)
    ]
    form = ClassScoresForm(request.POST, students=served, measure=measure)
    form.is_valid()
    errors: dict[int, str] = {
        int(name.removeprefix("score-")): " ".join(msgs) for name, msgs in form.errors.items()
    }
    typed = {s.pk: (request.POST.get(f"score-{s.pk}") or "").strip() for s in served}
    values = form.scores()
    saved = 0
    if values:
        by_pk = {s.pk: s for s in served}
        order = list(values)
        result = scores_bulk_record(
            rows=[
                ScoreInput(
                    student=by_pk[pk],
                    measure=measure,
                    window=window,
                    value=values[pk],
                    expected_version=posted_version(request.POST, f"version-{pk}"),
                )
                for pk in order
            ],
            entered_by=user,
            partial=True,
            audit=AuditContext.from_request(request),
        )
        for e in result.errors:
            errors[order[e.index]] = (
                conflict_words(e.conflict, "score") if e.conflict else e.message()
            )
        saved = result.created + result.updated
    if not errors:
        messages.success(
            request,
            ngettext(
                "Saved the class's %(measure)s scores for %(window)s: "
                "%(count)s score (%(saved)s new or changed).",
                "Saved the class's %(measure)s scores for %(window)s: "
                "%(count)s scores (%(saved)s new or changed).",
                len(values),
            )
            % {"measure": measure.name, "window": window, "count": len(values), "saved": saved},
        )
        return redirect(_grid_url(section, window, measure))
    context = _grid_context(
        user=user, section=section, window=window, measure=measure, typed=typed, errors=errors
    )
    pick = EntryPickForm(
        {"section": section.pk, "window": window.pk, "measure": measure.pk},
        sections=entry_sections(user),
        windows=entry_windows(user),
        measures=entry_measures(user),
    )
    context.update(
        {
            "form": pick,
            "screening_nav": "entry",
            "save_errors": [row for row in context["grid"].rows if row.student.pk in errors],
            "saved_count": saved,
        }
    )
    return render(request, "screening/score_entry.html", context)


@login_required
@require_POST
def score_entry_cell(
    request: HttpRequest, section_pk: int, window_pk: int, measure_pk: int, student_pk: int
) -> HttpResponse:
    """Save one box of the grid and answer with the box (the `cell` partial)."""
    user: User = request.user
    section = entry_section_get(user=user, pk=section_pk)
    window = get_object_or_404(
        ScreeningWindow.objects.select_related("school_year"),
        pk=window_pk,
        school_year_id=section.school_year_id,
    )
    measure = get_object_or_404(entry_measures(user), pk=measure_pk)
    student = section_student_get(user=user, section=section, pk=student_pk)
    text = (request.POST.get(f"score-{student.pk}") or "").strip()
    version = posted_version(request.POST, f"version-{student.pk}")
    row = GridRow(student=student, served=True, current=None, previous=[])
    live = ""
    try:
        value = clean_score_text(text, measure)
    except ValidationError as exc:
        row.current = score_get(student=student, window=window, measure=measure)
        row.typed, row.error = text, _messages_of(exc)
    else:
        if value is None:
            row.current = score_get(student=student, window=window, measure=measure)
            if row.current is not None:
                row.error = BLANK_KEEPS_SCORE
        else:
            try:
                row.current = score_record(
                    student=student,
                    measure=measure,
                    window=window,
                    value=value,
                    entered_by=user,
                    audit=AuditContext.from_request(request),
                    version=version,
                )
            except ValidationError as exc:
                row.current = score_get(student=student, window=window, measure=measure)
                row.typed, row.error = text, _messages_of(exc)
            except EditConflict as exc:
                # Theirs is saved, yours stays in the box with their version: saving again
                # replaces theirs on purpose.
                row.current = score_get(student=student, window=window, measure=measure)
                row.typed, row.error = text, conflict_words(exc, "score")
            else:
                live = gettext("Saved %(student)s: %(score)s, %(level)s") % {
                    "student": student.full_name,
                    "score": row.value,
                    "level": (
                        row.current.get_risk_level_display() or gettext("no cut score")
                    ).lower(),
                }
    if row.error:
        live = gettext("Not saved for %(student)s: %(error)s") % {
            "student": student.full_name,
            "error": row.error,
        }
    tallies = class_tallies(user=user, section=section, window=window, measure=measure)
    context = {
        "percentiles": [(sid, pr) for sid, pr in tallies.ranks.items() if sid != student.pk],
        "entered": tallies.entered,
        "served": tallies.served,
        "section": section,
        "window": window,
        "measure": measure,
        "row": row,
        "live": live,
        "oob_live": True,
        "enterable": True,
    }
    return _fragment(request, "screening/score_entry.html#cell", context)
