"""Screening pages: score entry, SRSS-IE class rating, completion, referrals, profile card.

Function views, one per action: a selector reads (screening/page_selectors.py), a service
writes (screening/services/), a template renders. htmx fragments come from `{% partialdef %}`
blocks of the page's own template. A section, window or student outside the user's scope is a
404, never a hint that it exists.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from decisions.rules import odr_tier
from screening import charts
from screening.forms import (
    SRSS_ITEMS,
    ClassScoresForm,
    EntryPickForm,
    RatingRowForm,
    ReferralFilterForm,
    ReferralForm,
    clean_score_text,
)
from screening.models import Measure, ScreeningScore, ScreeningWindow
from screening.page_selectors.completion import (
    completion_lines,
    completion_measures,
    completion_windows,
)
from screening.page_selectors.grid import (
    GridRow,
    class_percentiles,
    entered_count,
    entry_grid,
    score_get,
)
from screening.page_selectors.ratings import RatingRow, rating_rows
from screening.page_selectors.referrals import (
    current_school_year,
    referral_counts_per_student,
    referral_students,
    referrals_list,
    visible_active_student_count,
)
from screening.page_selectors.sections import (
    entry_measures,
    entry_section_get,
    entry_sections,
    entry_windows,
    section_student_get,
    section_students,
    sections_listable,
    window_is_enterable,
)
from screening.selectors import score_history, students_missing_score
from screening.services.behavior_ratings import behavior_rating_record
from screening.services.referrals import referral_create
from screening.services.scores import ScoreInput, score_record, scores_bulk_record
from students.audit import audit_record_many
from students.models import AccessLog, Section, Student, User
from students.selectors import schools_visible_to, student_get_for_user

GRID_VIEW_OBJECT = "screening_scores"
RATING_VIEW_OBJECT = "behavior_ratings"
REFERRAL_VIEW_OBJECT = "referral_list"
BLANK_KEEPS_SCORE = (
    "A saved score can't be erased here; the saved score is shown again. "
    "Type the correct score to change it."
)


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _fragment(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# -- score entry -----------------------------------------------------------------------------


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


def _404_if_not_their_section(form: EntryPickForm) -> None:
    """A class that is not the user's is "not found", as everywhere else, not a form error:
    the page must not tell a teacher that another teacher's class exists."""
    if form.is_bound and not form.is_valid() and form.has_error("section", "invalid_choice"):
        raise Http404("No such class among yours.")


@login_required
@require_GET
def score_entry(request: HttpRequest) -> HttpResponse:
    """Pick a class, window and measure; then the class roster as a grid of score boxes."""
    user: User = request.user
    form = EntryPickForm(
        request.GET or None,
        sections=entry_sections(user),
        windows=entry_windows(user),
        measures=entry_measures(user),
    )
    _404_if_not_their_section(form)
    context: dict[str, Any] = {"form": form, "screening_nav": "entry"}
    if form.is_bound and form.is_valid():
        section = form.cleaned_data["section"]
        window = form.cleaned_data["window"]
        measure = form.cleaned_data["measure"]
        if window.school_year_id != section.school_year_id:
            form.add_error("window", "This window is not in the class's school year.")
        else:
            context.update(
                _grid_context(user=user, section=section, window=window, measure=measure)
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
                ScoreInput(student=by_pk[pk], measure=measure, window=window, value=values[pk])
                for pk in order
            ],
            entered_by=user,
            partial=True,
            request=request,
        )
        for e in result.errors:
            errors[order[e.index]] = e.message()
        saved = result.created + result.updated
    if not errors:
        messages.success(
            request,
            f"Saved the class's {measure.name} scores for {window}: "
            f"{len(values)} score{'s' if len(values) != 1 else ''} "
            f"({saved} new or changed).",
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


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


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
                    request=request,
                )
            except ValidationError as exc:
                row.current = score_get(student=student, window=window, measure=measure)
                row.typed, row.error = text, _messages_of(exc)
            else:
                live = (
                    f"Saved {student.full_name}: {row.value}, "
                    + (row.current.get_risk_level_display() or "no cut score").lower()
                )
    if row.error:
        live = f"Not saved for {student.full_name}: {row.error}"
    entered, served = entered_count(user=user, section=section, window=window, measure=measure)
    ranks = class_percentiles(user=user, section=section, window=window, measure=measure)
    context = {
        "percentiles": [(sid, pr) for sid, pr in ranks.items() if sid != student.pk],
        "entered": entered,
        "served": served,
        "section": section,
        "window": window,
        "measure": measure,
        "row": row,
        "live": live,
        "oob_live": True,
        "enterable": True,
    }
    return _fragment(request, "screening/score_entry.html#cell", context)


# -- SRSS-IE class rating ------------------------------------------------------------------


def _rating_rows(
    rows: list[RatingRow], data: Any = None, student_pk: int | None = None
) -> list[RatingRow]:
    for row in rows:
        initial = {k: str(v) for k, v in (row.rating.items if row.rating else {}).items()}
        bound = data if student_pk == row.student.pk else None
        row.form = RatingRowForm(bound, student=row.student, initial=initial)
    return rows


@login_required
@require_GET
def behavior_rating(request: HttpRequest) -> HttpResponse:
    """The SRSS-IE for a class: each student rated 0-3 on every item, saved row by row."""
    user: User = request.user
    form = EntryPickForm(
        request.GET or None, sections=entry_sections(user), windows=entry_windows(user)
    )
    _404_if_not_their_section(form)
    context: dict[str, Any] = {"form": form, "items": SRSS_ITEMS, "screening_nav": "behavior"}
    if form.is_bound and form.is_valid():
        section, window = form.cleaned_data["section"], form.cleaned_data["window"]
        if window.school_year_id != section.school_year_id:
            form.add_error("window", "This window is not in the class's school year.")
        else:
            students = section_students(user=user, section=section)
            context.update(
                {
                    "section": section,
                    "window": window,
                    "rows": _rating_rows(rating_rows(students=students, window=window)),
                }
            )
            audit_record_many(
                user=user,
                action=AccessLog.Action.VIEW,
                object_type=RATING_VIEW_OBJECT,
                student_ids=[s.pk for s in students],
                request=request,
                detail={"window": window.pk, "section": section.pk},
            )
    return render(request, "screening/behavior_rating.html", context)


@login_required
@require_POST
def behavior_rating_save(
    request: HttpRequest, section_pk: int, window_pk: int, student_pk: int
) -> HttpResponse:
    """Save one student's SRSS-IE row; htmx gets the row back, a plain POST is redirected."""
    user: User = request.user
    section = entry_section_get(user=user, pk=section_pk)
    window = get_object_or_404(
        ScreeningWindow.objects.select_related("school_year"),
        pk=window_pk,
        school_year_id=section.school_year_id,
    )
    student = section_student_get(user=user, section=section, pk=student_pk)
    form = RatingRowForm(request.POST, student=student)
    error = ""
    saved = False
    if form.is_valid():
        try:
            behavior_rating_record(
                student=student, window=window, items=form.items(), rater=user, request=request
            )
            saved = True
        except ValidationError as exc:
            error = _messages_of(exc)
    else:
        error = "Not saved: every item needs a rating from 0 to 3."
    if not request.htmx:
        if saved:
            messages.success(request, f"Saved the SRSS-IE rating of {student.full_name}.")
        else:
            messages.error(request, f"{student.full_name}: {error}")
        query = urlencode({"section": section.pk, "window": window.pk})
        return redirect(f"{reverse('screening:behavior_rating')}?{query}")
    [row] = rating_rows(students=[student], window=window)
    if saved:
        _rating_rows([row])  # a fresh form showing what was stored
    else:
        row.form = form  # what was chosen, with its errors
    context = {
        "section": section,
        "window": window,
        "row": row,
        "items": SRSS_ITEMS,
        "row_error": error,
        "row_saved": saved,
    }
    return _fragment(request, "screening/behavior_rating.html#row", context)


# -- completion ------------------------------------------------------------------------------


class _CompletionPick:
    """The window and measure asked for, or sensible defaults (the open window, first
    measure), so the page shows something useful on first visit."""

    def __init__(self, request: HttpRequest, user: User) -> None:
        self.windows = list(completion_windows(user))
        self.measures = list(completion_measures(user))
        self.window = _pick(self.windows, request.GET.get("window")) or next(
            (w for w in self.windows if w.is_open and w.school_year.is_current),
            self.windows[0] if self.windows else None,
        )
        self.measure = _pick(self.measures, request.GET.get("measure")) or (
            self.measures[0] if self.measures else None
        )
        self.invalid = bool(
            (request.GET.get("window") and _pick(self.windows, request.GET.get("window")) is None)
            or (
                request.GET.get("measure")
                and _pick(self.measures, request.GET.get("measure")) is None
            )
        )


def _pick(options: list, raw: str | None) -> Any:
    pk = _int(raw)
    return next((o for o in options if o.pk == pk), None)


@login_required
@require_GET
def completion(request: HttpRequest) -> HttpResponse:
    """Per school and class: students in the measure's grades, how many have a score."""
    user: User = request.user
    pick = _CompletionPick(request, user)
    context: dict[str, Any] = {"pick": pick, "screening_nav": "completion"}
    if pick.window is not None and pick.measure is not None:
        schools, sections = completion_lines(user=user, window=pick.window, measure=pick.measure)
        context.update({"school_lines": schools, "section_lines": sections})
    return render(request, "screening/completion.html", context)


@login_required
@require_GET
def completion_missing(request: HttpRequest) -> HttpResponse:
    """The students (of those the user may see) still without a score."""
    user: User = request.user
    pick = _CompletionPick(request, user)
    if pick.invalid or pick.window is None or pick.measure is None:
        return render(request, "screening/completion_missing.html", {"pick": pick}, status=404)
    school = None
    if request.GET.get("school"):
        school = get_object_or_404(schools_visible_to(user), pk=_int(request.GET.get("school")))
    section = None
    if request.GET.get("section"):
        section = get_object_or_404(sections_listable(user), pk=_int(request.GET.get("section")))
    students = students_missing_score(
        user=user, window=pick.window, measure=pick.measure, school=school, section=section
    ).order_by("school__name", "last_name", "first_name", "pk")
    page = Paginator(students, 100).get_page(request.GET.get("page"))
    context = {
        "pick": pick,
        "school": school,
        "section": section,
        "page": page,
        "screening_nav": "completion",
    }
    return render(request, "screening/completion_missing.html", context)


# -- referrals -------------------------------------------------------------------------------

BANDS = [
    (1, "0–1 referrals", "Tier 1 range"),
    (2, "2–5 referrals", "Tier 2 range"),
    (3, "6 or more referrals", "Tier 3 range"),
]


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """SWIS-style list of the school year's referrals, and counts per student in bands."""
    user: User = request.user
    year = current_school_year(user)
    schools = schools_visible_to(user).filter(active=True).order_by("name")
    form = ReferralFilterForm(request.GET or None, schools=schools)
    context: dict[str, Any] = {"form": form, "year": year, "screening_nav": "referrals"}
    if year is not None:
        filters = form.filters()
        page = Paginator(referrals_list(user=user, school_year=year, filters=filters), 50).get_page(
            request.GET.get("page")
        )
        counts = referral_counts_per_student(user=user, school_year=year, school=filters.school)
        for c in counts:
            c["tier"] = odr_tier(c["total"])
            c["band"] = BANDS[c["tier"] - 1][1]
        population = visible_active_student_count(
            user=user, district_id=year.district_id, school=filters.school
        )
        in_band = {t: sum(1 for c in counts if c["tier"] == t) for t in (1, 2, 3)}
        # Students with no referral at all are in the first band too.
        in_band[1] = max(population - in_band[2] - in_band[3], 0)
        context.update(
            {
                "page": page,
                "counts": counts,
                "bands": [
                    {"tier": t, "label": label, "tier_label": tier_label, "students": in_band[t]}
                    for t, label, tier_label in BANDS
                ],
                "population": population,
            }
        )
        audit_record_many(
            user=user,
            action=AccessLog.Action.VIEW,
            object_type=REFERRAL_VIEW_OBJECT,
            student_ids=sorted({r.student_id for r in page.object_list}),
            request=request,
        )
    return render(request, "screening/referral_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """Record an office discipline referral for a student the user may see."""
    user: User = request.user
    initial = {}
    if request.method == "GET" and request.GET.get("student"):
        student = student_get_for_user(user=user, pk=_int(request.GET.get("student")))
        initial["student"] = student.local_id
    form = ReferralForm(
        request.POST if request.method == "POST" else None, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        student: Student = c["student"]
        try:
            referral_create(
                student=student,
                date=c["date"],
                time=c["time"],
                severity=c["severity"],
                location=c["location"],
                problem_behavior=c["problem_behavior"],
                perceived_motivation=c["perceived_motivation"],
                others_involved=c["others_involved"],
                action_taken=c["action_taken"],
                staff_name=c["staff_name"],
                notes=c["notes"],
                reported_by=user,
                request=request,
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(
                request,
                f"Saved the referral for {student.full_name} on {date_format(c['date'], 'F j, Y')}.",
            )
            return redirect(reverse("screening:referral_list"))
    context = {
        "form": form,
        "students": referral_students(user),
        "screening_nav": "referrals",
    }
    return render(
        request, "screening/referral_form.html", context, status=400 if form.errors else 200
    )


# -- student profile card --------------------------------------------------------------------


def student_screening_card(*, user: User, student: Student) -> dict[str, Any]:
    """Data of the profile's "Screening history" card: per measure a table and a chart."""
    history = score_history(user=user, student_id=student.pk)
    by_measure: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for item in history:
        measure = item["measure"]
        entry = by_measure.setdefault(measure.pk, {"measure": measure, "rows": []})
        score: ScreeningScore = item["score"]
        entry["rows"].append(
            {
                "score": score,
                "window": item["window"],
                "benchmark": item["benchmark"],
                "high_risk_cut": item["high_risk_cut"],
                "point": charts.HistoryPoint(
                    label=f"{item['window'].get_season_display()} {item['window'].school_year.name}",
                    score=score.score,
                    risk_level=score.risk_level,
                    benchmark=item["benchmark"],
                    high_risk_cut=item["high_risk_cut"],
                ),
            }
        )
    measures = []
    for entry in by_measure.values():
        measure: Measure = entry["measure"]
        points = [r["point"] for r in entry["rows"]]
        fig = charts.history_figure(
            points,
            measure_name=measure.name,
            unit=measure.unit,
            higher_is_better=measure.higher_is_better,
            min_score=float(measure.min_score),
            max_score=float(measure.max_score),
        )
        measures.append(
            {
                **entry,
                "figure": json.loads(fig.to_json()),
                "summary": charts.history_summary(points, measure_name=measure.name),
                "chart_id": f"screening-chart-{measure.pk}",
                "figure_id": f"screening-chart-{measure.pk}-data",
            }
        )
    return {"measures": measures}
