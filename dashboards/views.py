"""Dashboard pages, mounted at /dashboards/: function views that glue filters, panels,
charts and one template together.

Every page serves its tables as CSV with `?download=<table>` (the same filters, the same
suppressed strings the page prints). Teachers, interventionists and accounts without a
role get 403: the dashboards describe whole schools (docs/dashboards.md).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from dashboards import charts, panels
from dashboards import filters as flt
from dashboards.analysis.core import BENCHMARK_GOAL
from dashboards.analysis.pipeline import STEPS
from dashboards.analysis.table import DOMAIN_LABELS, Column, Table, grade_label
from dashboards.selectors.scope import may_view_dashboards
from mtss.lib.vocabulary import Domain
from students.audit import audit_record_many
from students.models import AccessLog, User

NOT_ALLOWED = (
    "The dashboards are for school teams and administrators: they describe whole schools. "
    "Ask your school or district administrator if you need access."
)

PANELS: list[tuple[str, str, str]] = [
    (
        "tiers",
        "Tiers",
        "Students by tier against the 80 / 15 / 5 guide, and movement between windows.",
    ),
    (
        "core",
        "Core instruction",
        "Percent at or above benchmark (the 80% check), classwide problems, growth.",
    ),
    (
        "completion",
        "Screening completion",
        "Who has been screened, with the missing students one click away.",
    ),
    (
        "equity",
        "Equity",
        "Each student group across the pipeline: risk, risk ratio, composition, access gaps.",
    ),
    (
        "interventions",
        "Interventions",
        "Students served, rate of improvement, response, exits and fidelity per intervention.",
    ),
    (
        "behavior",
        "Behavior",
        "Office referrals: per school day, where, what, when, who, and the 0–1 / 2–5 / 6+ bands.",
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheet programs then read the file as UTF-8
    writer = csv.writer(response)
    writer.writerows(table.csv_rows())
    return response


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
    response = render(request, "dashboards/panel.html", context)
    response["Vary"] = "HX-Request"
    return response


def _resolve(request: HttpRequest, **kwargs: bool) -> flt.Resolved:
    return flt.resolve(request.user, request.GET, today=timezone.localdate(), **kwargs)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    return render(request, "dashboards/index.html", {"panels": PANELS, "nav_dashboards": ""})


def _tier_figures(table: Table) -> list[Figure]:
    figures = []
    for domain, label in DOMAIN_LABELS.items():
        rows = [d for d in table.data if d["domain"] == domain]
        if not any(charts.has_points(rows, f"tier{t}_share") for t in (1, 2, 3)):
            continue
        figures.append(
            Figure(
                id=f"chart-{table.key}-{domain}",
                title=f"{label}: share of students per tier",
                figure=_figure_json(charts.tier_figure(rows, domain_label=label)),
                summary=f"{label}: the first bar is the 80 / 15 / 5 guide; the dotted line marks 80% in Tier 1. The table below has every number.",
            )
        )
    return figures


@login_required
@require_GET
def tiers(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    r = _resolve(request, with_previous=True)
    panel = panels.tiers(r)
    f = r.filters

    def movement_figures(table: Table) -> list[Figure]:
        out = []
        for domain, label in DOMAIN_LABELS.items():
            rows = [d for d in table.data if d["domain"] == domain]
            flows = [d for d in rows if d.get("from") is not None]
            if any(charts.has_points(flows, f"to{j}") for j in (1, 2, 3)):
                out.append(
                    Figure(
                        id=f"chart-movement-{domain}",
                        title=f"{label}: movement between tiers",
                        figure=_figure_json(
                            charts.movement_figure(
                                rows, window_from=str(f.previous_window), window_to=str(f.window)
                            )
                        ),
                        summary=f"{label}: students flowing from their tier in {f.previous_window} (left) to their tier in {f.window} (right). Flows of fewer than 10 students are not drawn.",
                    )
                )
        return out

    source = (
        "their current tier placement"
        if r.tier_source == "placements"
        else f"their most intensive screening risk in {f.window if f else 'the window'}"
    )
    sections = _sections(
        request,
        panel,
        [
            (
                "tiers",
                "Tier distribution",
                f"Students counted by {source}, per domain. A healthy school has about 80% in Tier 1, 15% in Tier 2 and 5% in Tier 3.",
                _tier_figures,
            ),
            (
                "movement",
                "Movement between tiers",
                "Students screened in both windows, by their tier in each.",
                movement_figures,
            ),
        ],
    )
    return _page(
        request,
        key="tiers",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "window", "school", "grade", "domain", "group", "tiers"),
    )


@login_required
@require_GET
def core(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    r = _resolve(request, with_measures=True, with_previous=True)
    panel = panels.core(r)

    def bench_figures(table: Table) -> list[Figure]:
        out = []
        for m in r.measures:
            rows = [d for d in table.data if d["measure_id"] == m.pk]
            if charts.has_points(rows, "at_or_above_share"):
                out.append(
                    Figure(
                        id=f"chart-benchmark-{m.pk}",
                        title=f"{m.name}: percent at or above benchmark",
                        figure=_figure_json(
                            charts.percent_bars(
                                rows,
                                value_key="at_or_above_share",
                                axis_title="Percent at or above benchmark",
                                goal=BENCHMARK_GOAL,
                                goal_label="80% goal",
                            )
                        ),
                        summary=f"{m.name}: bars below the dashed 80% line are orange. The table has every number.",
                    )
                )
        return out

    sections = _sections(
        request,
        panel,
        [
            (
                "benchmark",
                "Percent at or above benchmark",
                "When fewer than 80% of students reach benchmark, core (Tier 1) instruction needs attention before adding Tier 2 groups.",
                bench_figures,
            ),
            (
                "sections",
                "Classes and classwide problems",
                "A class whose median score is below the benchmark has a classwide problem (VanDerHeyden, Witt & Gilbertson 2007): a classwide intervention comes first.",
                None,
            ),
            (
                "classwide",
                "Classwide problems per school",
                "Classes the decision rules flagged because their median score is below the benchmark. Choose a school to see each class and its median.",
                None,
            ),
            (
                "growth",
                "Growth between windows",
                "Students with a score in both windows: the median change of score and the share moving to a lower (or higher) risk level.",
                None,
            ),
        ],
    )
    return _page(
        request,
        key="core",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "window", "school", "grade", "domain", "group", "measure"),
    )


@login_required
@require_GET
def completion(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    r = _resolve(request, with_measures=True)
    window = r.filters.window if r.filters else None

    def missing_url(measure_id: int, school_id: int | None, section_id: int | None) -> str:
        if window is None:
            return ""
        params: dict[str, Any] = {"window": window.pk, "measure": measure_id}
        if school_id is not None:
            params["school"] = school_id
        if section_id is not None:
            params["section"] = section_id
        return reverse("screening:completion_missing") + "?" + urlencode(params)

    panel = panels.completion(r, missing_url=missing_url)

    def figures(table: Table) -> list[Figure]:
        out = []
        for m in r.measures:
            rows = [d for d in table.data if d["measure_id"] == m.pk]
            if charts.has_points(rows, "screened_share"):
                out.append(
                    Figure(
                        id=f"chart-completion-{m.pk}",
                        title=f"{m.name}: percent screened",
                        figure=_figure_json(
                            charts.percent_bars(
                                rows, value_key="screened_share", axis_title="Percent screened"
                            )
                        ),
                        summary=f"{m.name}: share of students in the measure's grades with a score this window.",
                    )
                )
        return out

    sections = _sections(
        request,
        panel,
        [
            (
                "completion",
                "Screening completion",
                "Active students in each measure's grades and the share with a score this window. A student without a score is “no data”, never “no risk”.",
                figures,
            ),
            ("completion_sections", "By class", "Each class of the chosen school.", None),
        ],
    )
    return _page(
        request,
        key="completion",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "window", "school", "grade", "domain", "group", "measure"),
    )


@login_required
@require_GET
def equity_view(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    r = _resolve(request)
    panel = panels.equity_panel(r)
    t = panel.extra.get("thresholds")

    def figures(table: Table) -> list[Figure]:
        groups = [d for d in table.data if d.get("key") != "all"]
        out = []
        if charts.has_points(groups, "risk_ratio"):
            out.append(
                Figure(
                    id="chart-equity-rr",
                    title="Risk ratio per group",
                    figure=_figure_json(
                        charts.risk_ratio_figure(
                            table.data, under=t.under, at_risk=t.at_risk, over=t.over
                        )
                    ),
                    summary="Each group's risk against all other students; shaded bands mark under-represented, at risk and over-represented. Groups too small for a ratio are only in the table. Orange diamonds are access gaps.",
                )
            )
        if charts.has_points(groups, "composition") or charts.has_points(
            groups, "enrollment_share"
        ):
            out.append(
                Figure(
                    id="chart-equity-composition",
                    title="Composition against enrollment share",
                    figure=_figure_json(charts.composition_figure(table.data)),
                    summary="For each group: its share of the students with the outcome (blue) beside its share of the eligible students (grey).",
                )
            )
        return out

    step = r.step
    sections = _sections(
        request,
        panel,
        [
            (
                "pipeline",
                "The pipeline at a glance",
                "Every step for all students, and the groups whose risk ratio falls outside the usual range.",
                None,
            ),
            (
                "equity",
                f"Step: {step.label}",
                f"N counts {step.eligible_label.lower()}; X counts those {step.outcome_label[0].lower() + step.outcome_label[1:]}. Risk ratios compare each group with all other students here, only when both have at least 30 students and 10 with the outcome.",
                figures,
            ),
        ],
    )
    return _page(
        request,
        key="equity",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "window", "school", "grade", "domain", "group", "step", "dimension"),
    )


@login_required
@require_GET
def effectiveness(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    r = _resolve(request)
    panel = panels.effectiveness(r)

    def figures(table: Table) -> list[Figure]:
        # One bar per intervention: its "All schools" row, or its only row.
        per_intervention: dict[str, list[dict]] = {}
        for d in table.data:
            per_intervention.setdefault(d["intervention"], []).append(d)
        rows = [
            next((d for d in group if d["unit"] == "All schools"), group[0])
            for group in per_intervention.values()
        ]
        rows = [d for d in rows if d.get("responding_share") is not None]
        if not rows:
            return []
        for d in rows:
            d.setdefault("label", d["intervention"])
        return [
            Figure(
                id="chart-effectiveness",
                title="Percent of students responding, per intervention",
                figure=_figure_json(
                    charts.percent_bars(
                        rows,
                        value_key="responding_share",
                        label_key="intervention",
                        axis_title="Percent responding (trend at or above the aim line)",
                    )
                ),
                summary="Share of plans whose trend is at or above the aim line, per intervention, all schools together.",
            )
        ]

    sections = _sections(
        request,
        panel,
        [
            (
                "effectiveness",
                "Intervention effectiveness",
                "Plans started this school year. Rate of improvement is the trend of progress scores per week; responding means the trend is at or above the aim line; fidelity is sessions delivered against sessions planned.",
                figures,
            )
        ],
    )
    return _page(
        request,
        key="interventions",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "school", "grade", "domain", "group"),
    )


@login_required
@require_GET
def behavior(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    r = _resolve(request)
    panel = panels.behavior(r, user=request.user)
    top: list[dict] = panel.extra.get("top_students", [])
    if top:
        table = Table(
            key="top_students",
            caption="Students with the most referrals this year",
            columns=[
                Column("student", "Student", False),
                Column("grade", "Grade", False),
                Column("school", "School", False),
                Column("referrals", "Referrals"),
            ],
        )
        for s in top:
            table.add(
                {
                    "student": f"{s['preferred_name'] or s['first_name']} {s['last_name']}",
                    "grade": grade_label(s["grade"]),
                    "school": s["school__name"],
                    "referrals": f"{s['referral_count']:,}",
                },
                {"student_id": s["id"], "referrals": s["referral_count"]},
                link=reverse("student_detail", args=[s["id"]]),
            )
        panel.tables["top_students"] = table
        # Names of students are a record of access, like the referral list.
        audit_record_many(
            user=request.user,
            action=AccessLog.Action.EXPORT
            if request.GET.get("download") == "top_students"
            else AccessLog.Action.VIEW,
            object_type="dashboard_top_referred",
            student_ids=[s["id"] for s in top],
            request=request,
        )

    def rows_of(table: Table) -> list[dict]:
        return [
            {**d, "label": row["label"]}
            for d, row, m in zip(table.data, table.rows, table.marks, strict=True)
            if not m
        ]

    def bars(title: str, axis: str) -> Callable[[Table], list[Figure]]:
        def draw(table: Table) -> list[Figure]:
            if not charts.has_points(rows_of(table), "count"):
                return []
            return [
                Figure(
                    id=f"chart-{table.key}",
                    title=title,
                    figure=_figure_json(charts.count_bars(rows_of(table), axis_title=axis)),
                    summary=f"{title}. The table has every number.",
                )
            ]

        return draw

    def per_day(table: Table) -> list[Figure]:
        rows = [{**d, "label": row["label"]} for d, row in zip(table.data, table.rows, strict=True)]
        if not charts.has_points([d for d in rows if d.get("month")], "per_day"):
            return []
        return [
            Figure(
                id="chart-months",
                title="Referrals per school day, by month",
                figure=_figure_json(charts.per_day_figure(rows)),
                summary="One point per month of the school year so far.",
            )
        ]

    sections = _sections(
        request,
        panel,
        [
            (
                "months",
                "Referrals per school day, by month",
                "The SWIS “Big 5”: how often, where, what, when and who.",
                per_day,
            ),
            ("locations", "Where", "", bars("Referrals by location", "Referrals")),
            ("behaviors", "What", "", bars("Referrals by problem behavior", "Referrals")),
            (
                "hours",
                "When",
                "Hour of the day the referral happened.",
                bars("Referrals by time of day", "Referrals"),
            ),
            (
                "top_students",
                "Who",
                "Students you can see, with the most referrals this year. Names link to the student's profile.",
                None,
            ),
            (
                "bands",
                "Students by number of referrals",
                "0–1 referrals is the Tier 1 range, 2–5 Tier 2, 6 or more Tier 3 (SWIS practice).",
                bars("Students by number of referrals", "Students"),
            ),
        ],
    )
    return _page(
        request,
        key="behavior",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "school", "grade", "group"),
    )
