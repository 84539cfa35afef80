"""The early-warning page: chronic absence, suspensions and course failures (the ABCs)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from dashboards import panels
from dashboards.views.page import _guard, _page, _resolve, _sections

INTRO = gettext_lazy(
    "Chronically absent: missed 10% or more of the school days enrolled (the district's "
    "decision rules set the line). Failing a course: a failing mark in the latest grading "
    "period. Suspended: a referral whose action was an in- or out-of-school suspension."
)


@login_required
@require_GET
def early_warning(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    r = _resolve(request)
    panel = panels.early_warning(r)
    sections = _sections(
        request,
        panel,
        [
            ("ew_school_id", gettext("By school"), INTRO, None),
            ("ew_grade", gettext("By grade"), "", None),
            (
                "ew_groups",
                gettext("By student group"),
                gettext("Compare each group's share with all students."),
                None,
            ),
        ],
    )
    return _page(
        request,
        key="early_warning",
        resolved=r,
        panel=panel,
        sections=sections,
        fields=("year", "school", "grade", "group"),
    )
