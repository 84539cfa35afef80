"""The interventions page: the effectiveness of each intervention."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dashboards import charts, panels
from dashboards.analysis.table import Table
from dashboards.views.page import Figure, _figure_json, _guard, _page, _resolve, _sections


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
                title=gettext("Percent of students responding, per intervention"),
                figure=_figure_json(
                    charts.percent_bars(
                        rows,
                        value_key="responding_share",
                        label_key="intervention",
                        axis_title=gettext("Percent responding (trend at or above the aim line)"),
                    )
                ),
                summary=gettext(
                    "Share of plans whose trend is at or above the aim line, per intervention, all schools together."
                ),
            )
        ]

    sections = _sections(
        request,
        panel,
        [
            (
                "effectiveness",
                gettext("Intervention effectiveness"),
                gettext(
                    "Plans started this school year. Rate of improvement is the trend of progress scores per week; responding means the trend is at or above the aim line; fidelity is sessions delivered against sessions planned."
                ),
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
