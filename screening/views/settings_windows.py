"""Settings: the district's screening windows, and a school's own dates for a window.

District administrators add windows, move their dates and open or close them; a school
administrator sets their own school's dates where it screens on another schedule.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from screening.models.windows import MAX_WINDOWS_PER_YEAR, SchoolWindowDates, ScreeningWindow
from screening.services.windows import (
    may_set_school_dates,
    window_close,
    window_create,
    window_open,
    window_school_dates_set,
    window_update_dates,
)
from screening.settings_forms import SchoolDatesForm, WindowDatesForm, WindowForm
from screening.views.settings_common import (
    errors_to_form,
    may_change,
    require_change,
    settings_district,
)
from students import access
from students.audit import AuditContext
from students.models import District, School, SchoolYear, User

URL = "screening_settings:windows"


def _year(district: District) -> SchoolYear | None:
    return (
        SchoolYear.objects.filter(district=district, is_current=True).first()
        or SchoolYear.objects.filter(district=district).order_by("-start_date").first()
    )


def _schools_for(user: User, district: District):
    """Schools whose own dates the user may set: all of the district for its administrators,
    their own for a school administrator."""
    schools = School.objects.filter(district=district, active=True).order_by("name")
    if access.is_district_admin_of(user, district.pk):
        return schools
    return schools.filter(pk__in=[s.pk for s in schools if may_set_school_dates(user, s)])


def _window_of(request: HttpRequest, pk: int) -> ScreeningWindow:
    district = settings_district(request, school_admins=True)
    window = (
        ScreeningWindow.objects.select_related("school_year")
        .filter(pk=pk, school_year__district=district)
        .first()
    )
    if window is None:
        raise Http404("No such window in your district.")
    return window


def _page(request: HttpRequest, *, form: WindowForm | None = None, status: int = 200):
    user = request.user
    district = settings_district(request, school_admins=True)
    year = _year(district)
    windows = (
        list(ScreeningWindow.objects.filter(school_year=year).order_by("start_date"))
        if year
        else []
    )
    schools = _schools_for(user, district)
    dates = SchoolWindowDates.objects.filter(window__in=windows, school__in=schools)
    by_window: dict[int, list[SchoolWindowDates]] = {}
    for d in dates.select_related("school").order_by("school__name"):
        by_window.setdefault(d.window_id, []).append(d)
    rows = [
        {
            "window": w,
            "dates_form": WindowDatesForm(
                initial={"start_date": w.start_date, "end_date": w.end_date},
                prefix=f"w{w.pk}",
            ),
            "school_dates": by_window.get(w.pk, []),
            "school_form": SchoolDatesForm(schools=schools, prefix=f"s{w.pk}"),
        }
        for w in windows
    ]
    context = {
        "district": district,
        "year": year,
        "rows": rows,
        "may_change": may_change(user, district),
        "form": form or WindowForm(),
        "settings_nav": "windows",
        "max_windows": MAX_WINDOWS_PER_YEAR,
    }
    return render(request, "screening/settings/windows.html", context, status=status)


@login_required
@require_GET
def windows(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def window_add(request: HttpRequest) -> HttpResponse:
    district = settings_district(request)
    require_change(request.user, district)
    year = _year(district)
    form = WindowForm(request.POST)
    if year is None:
        form.add_error(None, _("Add the school year first (roster import), then its windows."))
    if form.is_valid() and year is not None:
        try:
            window_create(
                school_year=year,
                actor=request.user,
                audit=AuditContext.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The window was added."))
            return redirect(URL)
    return _page(request, form=form, status=400)


@login_required
@require_POST
def window_dates(request: HttpRequest, pk: int) -> HttpResponse:
    window = _window_of(request, pk)
    require_change(request.user, window.school_year.district)
    form = WindowDatesForm(request.POST, prefix=f"w{window.pk}")
    if form.is_valid():
        try:
            window_update_dates(
                window=window,
                actor=request.user,
                audit=AuditContext.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The %(window)s dates were saved.") % {"window": window})
    else:
        messages.error(request, _("Give the first and the last day as dates."))
    return redirect(URL)


@login_required
@require_POST
def window_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    window = _window_of(request, pk)
    require_change(request.user, window.school_year.district)
    audit = AuditContext.from_request(request)
    if window.is_open:
        window_close(window=window, actor=request.user, audit=audit)
        messages.success(
            request, _("The %(window)s window is closed to teachers.") % {"window": window}
        )
    else:
        window_open(window=window, actor=request.user, audit=audit)
        messages.success(
            request,
            _("The %(window)s window is open: teachers can enter scores.") % {"window": window},
        )
    return redirect(URL)


@login_required
@require_POST
def window_school_dates(request: HttpRequest, pk: int) -> HttpResponse:
    window = _window_of(request, pk)
    schools = _schools_for(request.user, window.school_year.district)
    form = SchoolDatesForm(request.POST, schools=schools, prefix=f"s{window.pk}")
    if not form.is_valid():
        raise PermissionDenied(_("Choose one of your schools."))
    try:
        window_school_dates_set(
            window=window,
            actor=request.user,
            audit=AuditContext.from_request(request),
            **form.cleaned_data,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(school)s: dates saved.") % {"school": form.cleaned_data["school"]}
        )
    return redirect(URL)
