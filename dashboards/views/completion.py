"""The screening completion page, with links to the students missing a score."""

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
def completion(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    r = _resolve(request, with_measures=True)
    panel = panels.completion(r)

    def figures(table: Table) -> list[Figure]:
        out = []
        for m in r.measures:
            rows = [d for d in table.data if d["measure_id"] == m.pk]
            if charts.has_points(rows, "screened_share"):
                out.append(
                    Figure(
                        id=f"chart-completion-{m.pk}",
                        title=gettext("%(measure)s: percent screened") % {"measure": m.name},
                        figure=_figure_json(
                            charts.percent_bars(
                                rows,
                                value_key="screened_share",
                                axis_title=gettext("Percent screened"),
                            )
                        ),
                        summary=gettext(
                            "%(measure)s: share of students in the measure's grades with a score "
                            "this window."
                        )
                        % {"measure": m.name},
                    )
                )
        return out

    sections = _sections(
        request,
        panel,
        [
            (
                "completion",
                gettext("Screening completion"),
                gettext(
                    "Active students in each measure's grades and the share with a score this window. A student without a score is “no data”, never “no risk”."
                ),
                figures,
            ),
            (
                "completion_sections",
                gettext("By class"),
                gettext("Each class of the chosen school."),
                None,
            ),
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
