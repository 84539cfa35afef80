"""The tiers page: students by tier against 80 / 15 / 5, and movement between windows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dashboards import charts, panels
from dashboards.analysis.table import DOMAIN_LABELS, Table
from dashboards.views.page import Figure, _figure_json, _guard, _page, _resolve, _sections


def _tier_figures(table: Table) -> list[Figure]:
    figures = []
    for domain, msgid in DOMAIN_LABELS.items():
        label = gettext(msgid)
        rows = [d for d in table.data if d["domain"] == domain]
        if not any(charts.has_points(rows, f"tier{t}_share") for t in (1, 2, 3)):
            continue
        figures.append(
            Figure(
                id=f"chart-{table.key}-{domain}",
                title=gettext("%(domain)s: share of students per tier") % {"domain": label},
                figure=_figure_json(charts.tier_figure(rows, domain_label=label)),
                summary=gettext(
                    "%(domain)s: the first bar is the 80 / 15 / 5 guide; the dotted line marks "
                    "80%% in Tier 1. The table below has every number."
                )
                % {"domain": label},
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
        for domain, msgid in DOMAIN_LABELS.items():
            label = gettext(msgid)
            rows = [d for d in table.data if d["domain"] == domain]
            flows = [d for d in rows if d.get("from") is not None]
            if any(charts.has_points(flows, f"to{j}") for j in (1, 2, 3)):
                out.append(
                    Figure(
                        id=f"chart-movement-{domain}",
                        title=gettext("%(domain)s: movement between tiers") % {"domain": label},
                        figure=_figure_json(
                            charts.movement_figure(
                                rows, window_from=str(f.previous_window), window_to=str(f.window)
                            )
                        ),
                        summary=gettext(
                            "%(domain)s: students flowing from their tier in %(previous)s (left) "
                            "to their tier in %(window)s (right). Flows of fewer than 10 "
                            "students are not drawn."
                        )
                        % {"domain": label, "previous": f.previous_window, "window": f.window},
                    )
                )
        return out

    source = (
        gettext("their current tier placement")
        if r.tier_source == "placements"
        else gettext("their most intensive screening risk in %(window)s")
        % {"window": f.window if f else gettext("the window")}
    )
    sections = _sections(
        request,
        panel,
        [
            (
                "tiers",
                gettext("Tier distribution"),
                gettext(
                    "Students counted by %(source)s, per domain. A healthy school has about "
                    "80%% in Tier 1, 15%% in Tier 2 and 5%% in Tier 3."
                )
                % {"source": source},
                _tier_figures,
            ),
            (
                "movement",
                gettext("Movement between tiers"),
                gettext("Students screened in both windows, by their tier in each."),
                movement_figures,
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
        key="tiers",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "window", "school", "grade", "domain", "group", "tiers", "span"),
    )
