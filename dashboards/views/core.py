"""The core instruction page: benchmark, classes and classwide problems, growth."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dashboards import charts, panels
from dashboards.analysis.core import BENCHMARK_GOAL
from dashboards.analysis.table import Table
from dashboards.views.page import Figure, _figure_json, _guard, _page, _resolve, _sections


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
                        title=gettext("%(measure)s: percent at or above benchmark")
                        % {"measure": m.name},
                        figure=_figure_json(
                            charts.percent_bars(
                                rows,
                                value_key="at_or_above_share",
                                axis_title=gettext("Percent at or above benchmark"),
                                goal=BENCHMARK_GOAL,
                                goal_label=gettext("80% goal"),
                            )
                        ),
                        summary=gettext(
                            "%(measure)s: bars below the dashed 80%% line are orange. The table "
                            "has every number."
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
                "benchmark",
                gettext("Percent at or above benchmark"),
                gettext(
                    "When fewer than 80% of students reach benchmark, core (Tier 1) instruction needs attention before adding Tier 2 groups."
                ),
                bench_figures,
            ),
            (
                "sections",
                gettext("Classes and classwide problems"),
                gettext(
                    "A class whose median score is below the benchmark has a classwide problem (VanDerHeyden, Witt & Gilbertson 2007): a classwide intervention comes first."
                ),
                None,
            ),
            (
                "classwide",
                gettext("Classwide problems per school"),
                gettext(
                    "Classes the decision rules flagged because their median score is below the benchmark. Choose a school to see each class and its median."
                ),
                None,
            ),
            (
                "growth",
                gettext("Growth between windows"),
                gettext(
                    "Students with a score in both windows: the median change of score and the share moving to a lower (or higher) risk level."
                ),
                None,
            ),
            (
                "years",
                gettext("Over three school years"),
                gettext(
                    "Each window of this school year and the two before it: students screened, percent at or above benchmark (the 80% check), at some risk and at high risk, per measure."
                ),
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
        fields=("year", "window", "school", "grade", "domain", "group", "measure", "span"),
    )
