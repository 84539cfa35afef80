"""What every dashboard page shares (access, sections, figures, CSV, template), and the index."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dashboards import filters as flt
from dashboards import panels, suppression
from dashboards.analysis.pipeline import STEPS
from dashboards.analysis.table import Table
from dashboards.selectors.scope import may_view_dashboards
from mtss.lib.htmx import render_fragment
from mtss.lib.spreadsheet import csv_response
from mtss.lib.vocabulary import Domain
from students.models import User

NOT_ALLOWED = gettext_lazy(
    "The dashboards are for school teams and administrators: they describe whole schools. "
    "Ask your school or district administrator if you need access."
)

PANELS: list[tuple[str, str, str]] = [
    (
        "tiers",
        gettext_lazy("Tiers"),
        gettext_lazy(
            "Students by tier against the 80 / 15 / 5 guide, and movement between windows."
        ),
    ),
    (
        "core",
        gettext_lazy("Core instruction"),
        gettext_lazy("Percent at or above benchmark (the 80% check), classwide problems, growth."),
    ),
    (
        "completion",
        gettext_lazy("Screening completion"),
        gettext_lazy("Who has been screened, with the missing students one click away."),
    ),
    (
        "equity",
        gettext_lazy("Equity"),
        gettext_lazy(
            "Each student group across the pipeline: risk, risk ratio, composition, access gaps."
        ),
    ),
    (
        "interventions",
        gettext_lazy("Interventions"),
        gettext_lazy(
            "Students served, rate of improvement, response, exits and fidelity per intervention."
        ),
    ),
    (
        "behavior",
        gettext_lazy("Behavior"),
        gettext_lazy(
            "Office referrals: per school day, where, what, when, who, and the students in each referral band."
        ),
    ),
    (
        "early_warning",
        gettext_lazy("Early warning"),
        gettext_lazy(
            "The ABCs: chronic absence, suspensions and failing courses by school, grade and group."
        ),
    ),
]
PANEL_TITLES = {key: title for key, title, _ in PANELS}


@dataclass
class Figure:
    id: str
    title: str
    figure: dict
    summary: str = ""

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    table: Table | None = None
    figures: list[Figure] = field(default_factory=list)
    empty: str = ""
    download: str = ""


def _guard(user: User) -> None:
    if not may_view_dashboards(user):
        raise PermissionDenied(NOT_ALLOWED)


def _figure_json(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def _csv(table: Table, filename: str) -> HttpResponse:
    return csv_response(table.csv_rows(), filename)


def _sections(
    request: HttpRequest,
    panel: panels.Panel,
    specs: list[tuple[str, str, str, Callable[[Table], list[Figure]] | None]],
) -> list[Section]:
    out = []
    for key, title, intro, draw in specs:
        table = panel.tables.get(key)
        section = Section(
            key=key, title=title, intro=intro, table=table, empty=panel.empty.get(key, "")
        )
        if table is not None:
            section.download = "?" + urlencode({**request.GET.dict(), "download": key})
            if draw is not None and not request.GET.get("download"):
                section.figures = draw(table)
        if table is not None or section.empty:
            out.append(section)
    return out


def _page(
    request: HttpRequest,
    *,
    key: str,
    resolved: flt.Resolved,
    panel: panels.Panel,
    sections: list[Section],
    fields: tuple[str, ...],
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    wanted = request.GET.get("download")
    if wanted:
        table = panel.tables.get(wanted)
        if table is None:
            raise Http404("No such table on this page.")
        return _csv(table, f"dashboard-{key}-{wanted}.csv")
    context = {
        "panel_key": key,
        "panel_title": PANEL_TITLES[key],
        "panels": PANELS,
        "r": resolved,
        "f": resolved.filters,
        "sections": sections,
        "fields": fields,
        "grade_choices": flt.GRADE_CHOICES,
        "domain_choices": Domain.choices,
        "group_choices": flt.group_choices(),
        "step_choices": [(s.key, s.label) for s in STEPS],
        "dimension_choices": flt.DIMENSION_CHOICES,
        "tier_sources": flt.TIER_SOURCES,
        "nav_dashboards": key,
        **(extra or {}),
    }
    return render_fragment(request, "dashboards/panel.html", context)


def _resolve(request: HttpRequest, **kwargs: bool) -> flt.Resolved:
    # The team's own page shows its own students' figures in full (internal), downloads are
    # published (filters.resolve).
    return flt.resolve(
        request.user,
        request.GET,
        today=timezone.localdate(),
        default_audience=suppression.INTERNAL,
        **kwargs,
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    return render(request, "dashboards/index.html", {"panels": PANELS, "nav_dashboards": ""})
