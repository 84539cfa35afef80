"""REST API of the dashboards: the same suppressed figures as the pages, as JSON.

GET /api/v1/dashboards/<panel>/ with the pages' filters as query parameters (year, window,
school, grade, domain, group, and per panel measure, step, dimension, tiers). A hidden
figure is null (never a number), and every row says whether it was `suppressed`.

- `equity/`: one row per student group with exactly group, n, x, risk, risk_ratio,
  composition, enrollment_share, band, suppressed (`results`), the "All students" row
  beside them (`all_students`), and `no_data` when the step has no data yet;
- `tiers/`, `core/`, `completion/`, `interventions/`, `behavior/`: `tables`, one list of
  rows per table of the page, and `no_data` for the parts without data yet.

Who: school team members, school and district administrators (their schools; 403 for
everyone else signed in, 401 without credentials). A filter value outside what the user may
read is a 400 with the field's message.

Audience: the API publishes by default (`audience=published`: what may leave the team);
`audience=internal` gives a dashboard user the counts of their own schools in full.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from dashboards import filters as flt
from dashboards import panels
from dashboards.analysis.pipeline import DIMENSIONS, STEPS
from dashboards.selectors.scope import may_view_dashboards
from dashboards.views.page import NOT_ALLOWED
from mtss.lib.vocabulary import Domain

EQUITY_KEYS = (
    "group",
    "n",
    "x",
    "risk",
    "risk_ratio",
    "composition",
    "enrollment_share",
    "band",
    "suppressed",
)

COMMON_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="School year id (default: current)"),
    OpenApiParameter(
        "window",
        OpenApiTypes.INT,
        description="Screening window id (default: the latest closed one)",
    ),
    OpenApiParameter(
        "school", OpenApiTypes.INT, description="One school (default: every school you read)"
    ),
    OpenApiParameter("grade", OpenApiTypes.INT, description="-1 (PK) to 12"),
    OpenApiParameter("domain", OpenApiTypes.STR, enum=Domain.values),
    OpenApiParameter(
        "group",
        OpenApiTypes.STR,
        description="Student group, e.g. english_learner, race:black, sex:F",
    ),
    OpenApiParameter(
        "audience",
        OpenApiTypes.STR,
        enum=["published", "internal"],
        description="published (default): small-cell and complementary suppression, for "
        "reporting; internal: every count, for the school or district team's own work",
    ),
    OpenApiParameter(
        "span",
        OpenApiTypes.INT,
        enum=[1, 3],
        description="3: add the last three school years (tiers, core, behavior: their "
        "tables; equity: `years`, the step's risk ratio and band per group and year)",
    ),
]


class EquityRowSerializer(serializers.Serializer):
    group = serializers.CharField()
    n = serializers.IntegerField(allow_null=True)
    x = serializers.IntegerField(allow_null=True)
    risk = serializers.FloatField(allow_null=True)
    risk_ratio = serializers.FloatField(allow_null=True)
    composition = serializers.FloatField(allow_null=True)
    enrollment_share = serializers.FloatField(allow_null=True)
    band = serializers.CharField()
    suppressed = serializers.BooleanField()


class _DashboardAPI(APIView):
    """Shared: permission (403 with the pages' words), strict filters (400)."""

    with_measures = False
    with_previous = False

    def _resolve(self, request: Request) -> flt.Resolved:
        if not may_view_dashboards(request.user):
            raise PermissionDenied(NOT_ALLOWED)
        return flt.resolve(
            request.user,
            request.query_params,
            today=timezone.localdate(),
            strict=True,
            with_measures=self.with_measures,
            with_previous=self.with_previous,
        )

    @staticmethod
    def _filters(r: flt.Resolved) -> dict[str, Any]:
        f = r.filters
        if f is None:
            return {}
        return {
            "year": f.year.pk,
            "window": f.window.pk if f.window else None,
            "previous_window": f.previous_window.pk if f.previous_window else None,
            "schools": list(f.school_ids),
            "grade": f.grade,
            "domain": f.domain or None,
            "group": f.group or None,
            "measure": f.measure_id,
        }

    def _tables(self, r: flt.Resolved, panel: panels.Panel) -> Response:
        return Response(
            {
                "filters": self._filters(r),
                "tables": {key: table.data for key, table in panel.tables.items()},
                "no_data": panel.empty,
            }
        )


TABLES_RESPONSE = inline_serializer(
    "DashboardTables",
    {
        "filters": serializers.DictField(),
        "tables": serializers.DictField(child=serializers.ListField(child=serializers.DictField())),
        "no_data": serializers.DictField(child=serializers.CharField()),
    },
)


class EquityAPI(_DashboardAPI):
    @extend_schema(
        summary="Equity across the pipeline: one row per student group for one step",
        parameters=[
            *COMMON_PARAMETERS,
            OpenApiParameter("step", OpenApiTypes.STR, enum=[s.key for s in STEPS]),
            OpenApiParameter("dimension", OpenApiTypes.STR, enum=[d.key for d in DIMENSIONS]),
        ],
        responses=inline_serializer(
            "EquityResponse",
            {
                "step": serializers.CharField(),
                "filters": serializers.DictField(),
                "all_students": EquityRowSerializer(allow_null=True),
                "results": EquityRowSerializer(many=True),
                "no_data": serializers.CharField(allow_null=True),
                "years": serializers.ListField(
                    child=serializers.DictField(),
                    required=False,
                    help_text="With span=3: per group, each school year's risk ratio and band "
                    "for the audience asked for, and three_years (a concern three years in a row)",
                ),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        r = self._resolve(request)
        panel = panels.equity_panel(r)
        table = panel.tables.get("equity")
        rows = table.data if table is not None else []
        pick = [{k: row[k] for k in EQUITY_KEYS} for row in rows]
        return Response(
            {
                "step": r.step.key,
                "filters": self._filters(r),
                "all_students": pick[0] if pick else None,
                "results": pick[1:],
                "no_data": panel.empty.get("equity"),
                # The three-year view (span=3), the same figures as the page's table.
                **({"years": years.data} if (years := panel.tables.get("equity_years")) else {}),
            }
        )


class TiersAPI(_DashboardAPI):
    with_previous = True

    @extend_schema(
        summary="Tier distribution and movement between windows",
        parameters=[
            *COMMON_PARAMETERS,
            OpenApiParameter("tiers", OpenApiTypes.STR, enum=["screening", "placements"]),
        ],
        responses=TABLES_RESPONSE,
    )
    def get(self, request: Request) -> Response:
        r = self._resolve(request)
        return self._tables(r, panels.tiers(r))


class CoreAPI(_DashboardAPI):
    with_measures = True
    with_previous = True

    @extend_schema(
        summary="Core instruction: percent at benchmark, classes, growth",
        parameters=[*COMMON_PARAMETERS, OpenApiParameter("measure", OpenApiTypes.INT)],
        responses=TABLES_RESPONSE,
    )
    def get(self, request: Request) -> Response:
        r = self._resolve(request)
        return self._tables(r, panels.core(r))


class CompletionAPI(_DashboardAPI):
    with_measures = True

    @extend_schema(
        summary="Screening completion (with links to the missing students)",
        parameters=[*COMMON_PARAMETERS, OpenApiParameter("measure", OpenApiTypes.INT)],
        responses=TABLES_RESPONSE,
    )
    def get(self, request: Request) -> Response:
        r = self._resolve(request)
        panel = panels.completion(r)
        for table in panel.tables.values():
            for data, link in zip(table.data, table.links, strict=True):
                data["missing_students_page"] = link or None
        return self._tables(r, panel)


class InterventionsAPI(_DashboardAPI):
    @extend_schema(
        summary="Intervention effectiveness per intervention and school",
        parameters=COMMON_PARAMETERS,
        responses=TABLES_RESPONSE,
    )
    def get(self, request: Request) -> Response:
        r = self._resolve(request)
        return self._tables(r, panels.effectiveness(r))


class BehaviorAPI(_DashboardAPI):
    @extend_schema(
        summary="Office referrals: the SWIS Big 5 and the referral bands (aggregates only)",
        parameters=COMMON_PARAMETERS,
        responses=TABLES_RESPONSE,
    )
    def get(self, request: Request) -> Response:
        r = self._resolve(request)
        panel = panels.behavior(r, user=request.user)
        # Names of students stay on the page (with its record of access); the API is for
        # aggregates.
        panel.extra.pop("top_students", None)
        return self._tables(r, panel)


def register(router: DefaultRouter) -> None:
    """No viewsets: the dashboards are plain GET endpoints (`extra_urlpatterns`)."""


extra_urlpatterns = [
    path("dashboards/equity/", EquityAPI.as_view(), name="dashboards-equity"),
    path("dashboards/tiers/", TiersAPI.as_view(), name="dashboards-tiers"),
    path("dashboards/core/", CoreAPI.as_view(), name="dashboards-core"),
    path("dashboards/completion/", CompletionAPI.as_view(), name="dashboards-completion"),
    path("dashboards/interventions/", InterventionsAPI.as_view(), name="dashboards-interventions"),
    path("dashboards/behavior/", BehaviorAPI.as_view(), name="dashboards-behavior"),
]
