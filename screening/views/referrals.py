"""Office discipline referrals: the school year's list with counts per student, and the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from mtss.lib.thresholds import odr_bands, odr_bands_sentence, odr_tier
from screening.forms import ReferralFilterForm, ReferralForm
from screening.page_selectors.referrals import (
    current_school_year,
    referral_counts_per_student,
    referral_students,
    referrals_list,
    visible_active_student_count,
)
from screening.rule_settings import district_thresholds
from screening.services.referrals import referral_create
from screening.views.helpers import _int
from students.audit import AuditContext, audit_page_view, audit_record_many
from students.models import AccessLog, Student, User
from students.selectors import schools_visible_to, student_get_for_user

REFERRAL_VIEW_OBJECT = "referral_list"


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """SWIS-style list of the school year's referrals, and counts per student in bands."""
    user: User = request.user
    year = current_school_year(user)
    schools = schools_visible_to(user).filter(active=True).order_by("name")
    form = ReferralFilterForm(request.GET or None, schools=schools)
    context: dict[str, Any] = {"form": form, "year": year, "screening_nav": "referrals"}
    if year is not None:
        filters = form.filters()
        page = Paginator(referrals_list(user=user, school_year=year, filters=filters), 50).get_page(
            request.GET.get("page")
        )
        counts = referral_counts_per_student(user=user, school_year=year, school=filters.school)
        # The district's bands and whether minors count (SWIS counts majors only), read
        # through the one reader every page and the flags use.
        thresholds = district_thresholds(year.district_id)
        bands = odr_bands(thresholds)
        for c in counts:
            c["counted"] = c["major"] + (c["minor"] if thresholds.odr_count_minors else 0)
            c["tier"] = odr_tier(c["counted"], thresholds)
            c["band"] = bands[c["tier"] - 1].label
        population = visible_active_student_count(
            user=user, district_id=year.district_id, school=filters.school
        )
        in_band = {t: sum(1 for c in counts if c["tier"] == t) for t in (1, 2, 3)}
        # Students with no referral at all are in the first band too.
        in_band[1] = max(population - in_band[2] - in_band[3], 0)
        context.update(
            {
                "page": page,
                "counts": counts,
                "bands": [
                    {
                        "tier": b.tier,
                        "label": b.label,
                        "tier_label": b.tier_label,
                        "students": in_band[b.tier],
                    }
                    for b in bands
                ],
                "bands_sentence": odr_bands_sentence(thresholds),
                "population": population,
            }
        )
        audit_record_many(
            user=user,
            action=AccessLog.Action.VIEW,
            object_type=REFERRAL_VIEW_OBJECT,
            student_ids=sorted({r.student_id for r in page.object_list}),
            request=request,
        )
    return render(request, "screening/referral_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """Record an office discipline referral for a student the user may see."""
    user: User = request.user
    initial = {}
    if request.method == "GET" and request.GET.get("student"):
        student = student_get_for_user(user=user, pk=_int(request.GET.get("student")))
        initial["student"] = student.local_id
    form = ReferralForm(
        request.POST if request.method == "POST" else None, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        student: Student = c["student"]
        try:
            referral_create(
                student=student,
                date=c["date"],
                time=c["time"],
                severity=c["severity"],
                location=c["location"],
                problem_behavior=c["problem_behavior"],
                perceived_motivation=c["perceived_motivation"],
                others_involved=c["others_involved"],
                action_taken=c["action_taken"],
                staff_name=c["staff_name"],
                notes=c["notes"],
                reported_by=user,
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(
                request,
                gettext("Saved the referral for %(name)s on %(format)s.")
                % {"name": student.full_name, "format": date_format(c["date"], "F j, Y")},
            )
            return redirect(reverse("screening:referral_list"))
    context = {
        "form": form,
        "students": referral_students(user),
        "screening_nav": "referrals",
    }
    audit_page_view(request, "referral_form", [s.pk for s in context["students"]])
    return render(
        request, "screening/referral_form.html", context, status=400 if form.errors else 200
    )
