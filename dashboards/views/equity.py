"""The equity page: the pipeline at a glance and one step per student group."""

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
                    title=gettext("Risk ratio per group"),
                    figure=_figure_json(
                        charts.risk_ratio_figure(
                            table.data, under=t.under, at_risk=t.at_risk, over=t.over
                        )
                    ),
                    summary=gettext(
                        "Each group's risk against all other students; shaded bands mark under-represented, at risk and over-represented. Groups too small for a ratio are only in the table. Orange diamonds are access gaps."
                    ),
                )
            )
        if charts.has_points(groups, "composition") or charts.has_points(
            groups, "enrollment_share"
        ):
            out.append(
                Figure(
                    id="chart-equity-composition",
                    title=gettext("Composition against enrollment share"),
                    figure=_figure_json(charts.composition_figure(table.data)),
                    summary=gettext(
                        "For each group: its share of the students with the outcome (blue) beside its share of the eligible students (grey)."
                    ),
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
                gettext("The pipeline at a glance"),
                gettext(
                    "Every step for all students, and the groups whose risk ratio falls outside the usual range."
                ),
                None,
            ),
            (
                "equity",
                gettext("Step: %(step)s") % {"step": step.label},
                gettext(
                    "N counts %(eligible)s; X counts those %(outcome)s. Risk ratios compare each "
                    "group with all other students here, only when both have at least 30 "
                    "students and 10 with the outcome."
                )
                % {
                    "eligible": step.eligible_label.lower(),
                    "outcome": step.outcome_label[0].lower() + step.outcome_label[1:],
                },
                figures,
            ),
            (
                "equity_years",
                gettext("This step over three school years"),
                gettext(
                    "Each group's risk ratio and band in this school year and the two before it. A group whose band is a concern in all three years is marked: disproportionality rules look at three consecutive years."
                ),
                None,
            ),
        ],
    )
    return _page(
        request,
        key="equity",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=(
            "year",
            "window",
            "school",
            "grade",
            "domain",
            "group",
            "step",
            "dimension",
            "span",
        ),
    )
