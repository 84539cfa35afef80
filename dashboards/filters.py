"""The dashboards' filters: what a user asked for (query parameters), checked against what
they may read, turned into `selectors.conditions.Filters` plus the options their filter form
offers.

Pages fall back to the default for a value they cannot use (and say so); the API answers
400 with the field's problem instead (`strict=True`). A school outside the user's scope is
refused in the same words as a school that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from dashboards import suppression
from dashboards.analysis.pipeline import (
    DIMENSIONS,
    RACE_LABELS,
    SEX_LABELS,
    STEP_BY_KEY,
    STEPS,
    Step,
)
from dashboards.selectors.conditions import FLAG_GROUPS, Filters
from dashboards.selectors.scope import (
    dashboard_school_ids,
    dashboard_schools,
    measures_for,
    previous_window,
    years_with_windows,
)
from mtss.lib.vocabulary import Domain
from screening.models import Measure, ScreeningWindow
from students.models import GRADE_MAX, GRADE_MIN, School, SchoolYear, User, grade_label

NOT_YOURS = gettext_lazy("Not one you can see. Choose from the list.")


def group_choices() -> list[tuple[str, str]]:
    choices = [(k, gettext(label)) for k, (label, _) in FLAG_GROUPS.items()]
    # The groups' labels are catalog messages (gettext_noop in analysis.steps).
    choices += [(f"race:{v}", gettext(label)) for v, label in RACE_LABELS if v != "unknown"]
    choices += [(f"sex:{v}", gettext(label)) for v, label in SEX_LABELS if v != "U"]
    return choices


GRADE_CHOICES = [(g, grade_label(g)) for g in range(GRADE_MIN, GRADE_MAX + 1)]
DIMENSION_CHOICES = [("", gettext_lazy("Every group"))] + [
    (d.key, gettext_lazy(d.msgid)) for d in DIMENSIONS
]
TIER_SOURCES = [
    ("screening", gettext_lazy("Screening in the window")),
    ("placements", gettext_lazy("Current tier placement")),
]


@dataclass
class Resolved:
    """The checked choices, the options for the form, and notes about refused values."""

    filters: Filters | None
    schools: list[School]
    years: list[SchoolYear]
    windows: list[ScreeningWindow]
    measures: list[Measure] = field(default_factory=list)
    school: School | None = None
    step: Step = STEPS[1]
    dimension: str = ""
    tier_source: str = "screening"
    notes: list[str] = field(default_factory=list)
    # Who the figures are for (dashboards.suppression): the team's own page is internal;
    # downloads and the API are published unless asked otherwise.
    audience: str = suppression.PUBLISHED
    # 1: the chosen year; 3: the chosen year and the two before it, side by side.
    span: int = 1

    @property
    def school_names(self) -> dict[int, str]:
        return {s.pk: s.name for s in self.schools}

    @property
    def by(self) -> str:
        """Rows per school, or per grade when one school is chosen (or there is only one)."""
        return "grade" if self.school is not None or len(self.schools) == 1 else "school"

    def query(self, **overrides: object) -> dict[str, str]:
        """The current choices as query parameters (for links and downloads)."""
        f = self.filters
        params: dict[str, str] = {}
        if f is not None:
            params["year"] = str(f.year.pk)
            if f.window is not None:
                params["window"] = str(f.window.pk)
            if self.school is not None:
                params["school"] = str(self.school.pk)
            if f.grade is not None:
                params["grade"] = str(f.grade)
            if f.domain:
                params["domain"] = f.domain
            if f.group:
                params["group"] = f.group
            if f.measure_id:
                params["measure"] = str(f.measure_id)
        params["step"] = self.step.key
        if self.dimension:
            params["dimension"] = self.dimension
        if self.tier_source != "screening":
            params["tiers"] = self.tier_source
        if self.audience == suppression.PUBLISHED:
            params["audience"] = self.audience
        if self.span > 1:
            params["span"] = str(self.span)
        for k, v in overrides.items():
            if v is None:
                params.pop(k, None)
            else:
                params[k] = str(v)
        return params


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def default_window(windows: list[ScreeningWindow], today: dt.date) -> ScreeningWindow | None:
    """The latest window already closed (its results complete), else the latest started,
    else the first."""
    closed = [w for w in windows if w.end_date < today]
    started = [w for w in windows if w.start_date <= today]
    if closed:
        return closed[-1]
    if started:
        return started[-1]
    return windows[0] if windows else None


def resolve(
    user: User,
    params: Mapping[str, str],
    *,
    today: dt.date,
    strict: bool = False,
    with_measures: bool = False,
    with_previous: bool = False,
    default_audience: str = suppression.PUBLISHED,
) -> Resolved:
    """Check the query parameters against the user's scope; see the module docstring.

    `audience`: "internal" or "published" (default `default_audience`); a download
    (`download=`) is always published: a file leaves the team's hands. Every user of the
    dashboards works with the students of their schools (dashboard_school_ids), so each may
    choose the internal figures."""
    errors: dict[str, list[str]] = {}
    notes: list[str] = []

    def refuse(name: str, message: str, note: str) -> None:
        errors.setdefault(name, []).append(message)
        notes.append(note)

    audience = params.get("audience") or default_audience
    if audience not in suppression.AUDIENCES:
        refuse(
            "audience",
            gettext('Choose "internal" or "published".'),
            gettext("That audience is not one of the choices; showing the default."),
        )
        audience = default_audience
    if params.get("download"):
        audience = suppression.PUBLISHED
    school_ids = dashboard_school_ids(user)
    schools = dashboard_schools(school_ids)
    district_ids = sorted({s.district_id for s in schools})
    years, windows_of_year = years_with_windows(district_ids) if district_ids else ([], {})
    span = 3 if params.get("span") == "3" else 1
    if params.get("span") not in (None, "", "1", "3"):
        refuse(
            "span",
            gettext("Choose 1 or 3 (school years)."),
            gettext("Showing this school year only."),
        )
    resolved = Resolved(
        filters=None, schools=schools, years=years, windows=[], audience=audience, span=span
    )
    if not years:
        if strict and errors:
            raise ValidationError(errors)
        return resolved

    year = None
    if params.get("year"):
        year = next((y for y in years if y.pk == _int(params.get("year"))), None)
        if year is None:
            refuse(
                "year",
                NOT_YOURS,
                gettext("That school year is not one you can see; showing the current year."),
            )
    if year is None:
        year = next((y for y in years if y.is_current), years[0])
    windows = windows_of_year[year.pk]
    window = None
    if params.get("window"):
        window = next((w for w in windows if w.pk == _int(params.get("window"))), None)
        if window is None:
            refuse(
                "window",
                NOT_YOURS,
                gettext(
                    "That screening window is not one of this school year's; showing the latest one."
                ),
            )
    if window is None:
        window = default_window(windows, today)

    school = None
    if params.get("school"):
        school = next((s for s in schools if s.pk == _int(params.get("school"))), None)
        if school is None:
            refuse(
                "school",
                NOT_YOURS,
                gettext("That school is not one you can see; showing all your schools."),
            )
    grade = _int(params.get("grade"))
    if params.get("grade") and (grade is None or not GRADE_MIN <= grade <= GRADE_MAX):
        refuse(
            "grade",
            gettext("Choose a grade from PK to 12."),
            gettext("That grade does not exist; showing every grade."),
        )
        grade = None
    domain = params.get("domain") or ""
    if domain and domain not in Domain.values:
        refuse(
            "domain",
            gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(Domain.values)},
            gettext("That domain does not exist; showing every domain."),
        )
        domain = ""
    group = params.get("group") or ""
    if group and group not in dict(group_choices()):
        refuse(
            "group",
            gettext("Choose a student group from the list."),
            gettext("That student group does not exist; showing every student."),
        )
        group = ""
    step_key = params.get("step") or STEPS[1].key
    if step_key not in STEP_BY_KEY:
        refuse(
            "step",
            gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(STEP_BY_KEY)},
            gettext("That step does not exist; showing “at risk”."),
        )
        step_key = STEPS[1].key
    dimension = params.get("dimension") or ""
    if dimension and dimension not in dict(DIMENSION_CHOICES):
        refuse(
            "dimension",
            gettext("Choose a kind of student group from the list."),
            gettext("That kind of group does not exist; showing every group."),
        )
        dimension = ""
    tier_source = params.get("tiers") or "screening"
    if tier_source not in dict(TIER_SOURCES):
        refuse(
            "tiers",
            gettext("Choose screening or placements."),
            gettext("Showing tiers from screening."),
        )
        tier_source = "screening"

    measures: list[Measure] = []
    measure_id = None
    if with_measures:
        measures = measures_for(district_id=year.district_id, year=year)
        if domain:
            measures = [m for m in measures if m.domain == domain]
        if params.get("measure"):
            measure_id = _int(params.get("measure"))
            if measure_id not in {m.pk for m in measures}:
                refuse(
                    "measure",
                    NOT_YOURS,
                    gettext("That measure is not one of your district's; showing every measure."),
                )
                measure_id = None
    if strict and errors:
        raise ValidationError(errors)

    chosen = (
        (school.pk,)
        if school is not None
        else tuple(s.pk for s in schools if s.district_id == year.district_id)
    )
    resolved.filters = Filters(
        district_id=year.district_id,
        school_ids=chosen,
        year=year,
        window=window,
        previous_window=(
            previous_window(windows_of_year, window)
            if with_previous and window is not None
            else None
        ),
        grade=grade,
        domain=domain,
        group=group,
        measure_id=measure_id,
        as_of=min(max(today, year.start_date), year.end_date),
    )
    resolved.windows = windows
    resolved.measures = measures
    resolved.school = school
    resolved.step = STEP_BY_KEY[step_key]
    resolved.dimension = dimension
    resolved.tier_source = tier_source
    resolved.notes = notes
    return resolved
