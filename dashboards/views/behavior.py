"""The behavior page: office referrals (the SWIS "Big 5") and the referral bands."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dashboards import charts, panels
from dashboards.analysis.table import Column, Table, grade_label
from dashboards.views.page import Figure, _figure_json, _guard, _page, _resolve, _sections
from students.audit import audit_record_many
from students.models import AccessLog


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
            caption=gettext("Students with the most referrals this year"),
            columns=[
                Column("student", gettext("Student"), False),
                Column("grade", gettext("Grade"), False),
                Column("school", gettext("School"), False),
                Column("referrals", gettext("Referrals")),
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
                    summary=gettext("%(title)s. The table has every number.") % {"title": title},
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
                title=gettext("Referrals per school day, by month"),
                figure=_figure_json(charts.per_day_figure(rows)),
                summary=gettext("One point per month of the school year so far."),
            )
        ]

    sections = _sections(
        request,
        panel,
        [
            (
                "months",
                gettext("Referrals per school day, by month"),
                gettext("The SWIS “Big 5”: how often, where, what, when and who."),
                per_day,
            ),
            (
                "locations",
                gettext("Where"),
                "",
                bars(gettext("Referrals by location"), gettext("Referrals")),
            ),
            (
                "behaviors",
                gettext("What"),
                "",
                bars(gettext("Referrals by problem behavior"), gettext("Referrals")),
            ),
            (
                "hours",
                gettext("When"),
                gettext("Hour of the day the referral happened."),
                bars(gettext("Referrals by time of day"), gettext("Referrals")),
            ),
            (
                "top_students",
                gettext("Who"),
                gettext(
                    "Students you can see, with the most referrals this year. Names link to the student's profile."
                ),
                None,
            ),
            (
                "bands",
                gettext("Students by number of referrals"),
                # The district's bands and counting rule (mtss.lib.thresholds.odr_bands).
                panel.extra.get("bands_sentence", ""),
                bars(gettext("Students by number of referrals"), gettext("Students")),
            ),
            (
                "behavior_years",
                gettext("Over three school years"),
                gettext(
                    "Referrals, major referrals and the students with a major referral or a suspension, in this school year and the two before it."
                ),
                None,
            ),
        ],
    )
    return _page(
        request,
        key="behavior",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "school", "grade", "group", "span"),
    )
