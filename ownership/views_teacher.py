"""The teacher's side of the student's own page: print sign-in codes for a class, and ask the
class a reflection question. Both only for a class the teacher teaches (services say so)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ownership import services
from ownership.forms import PrintCodesForm, ReflectionCheckForm
from students.audit import AuditContext
from students.models import Section


def _section(request: HttpRequest, section_id: int) -> tuple[Section, list]:
    section = get_object_or_404(
        Section.objects.select_related("school", "school_year"), pk=section_id
    )
    # PermissionDenied (403) unless the user teaches this class this year.
    return section, services.class_members(section=section, actor=request.user)


def sign_in_url(request: HttpRequest, code: str) -> str:
    path = f"{reverse('ownership:sign_in')}?code={code}"
    site = settings.SITE_URL.rstrip("/")
    return f"{site}{path}" if site else request.build_absolute_uri(path)


def qr_svg(url: str, name: str) -> str:
    """The QR code of the card as inline SVG (segno; no image file, nothing cached)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=3, border=2, omitsize=True, svgclass="code-qr"
    )
    label = escape(f"QR code that opens the sign-in page with {name}'s code")
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


@login_required
@require_http_methods(["GET", "POST"])
def print_codes(request: HttpRequest, section_id: int) -> HttpResponse:
    """GET: choose how long the codes work. POST: make them and show the cards to print
    (the codes are shown this once: only their digests are kept)."""
    section, students = _section(request, section_id)
    form = PrintCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            printed = services.codes_print(
                section=section,
                actor=request.user,
                hours=form.cleaned_data["hours"],
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            cards = []
            for p in printed:
                url = sign_in_url(request, p.code)
                cards.append({"printed": p, "url": url, "qr": qr_svg(url, p.student.full_name)})
            return render(
                request,
                "ownership/code_cards.html",
                {
                    "section": section,
                    "cards": cards,
                    "expires_at": printed[0].expires_at if printed else None,
                },
            )
    return render(
        request,
        "ownership/print_codes.html",
        {"section": section, "students": students, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def end_codes(request: HttpRequest, section_id: int) -> HttpResponse:
    section, _ = _section(request, section_id)
    ended = services.codes_end(
        section=section, actor=request.user, audit=AuditContext.from_request(request)
    )
    messages.success(
        request,
        ngettext(
            "%(count)s sign-in code of %(class)s no longer work. "
            "Students signed in with them are signed out.",
            "%(count)s sign-in codes of %(class)s no longer work. "
            "Students signed in with them are signed out.",
            ended,
        )
        % {"count": ended, "class": section.name},
    )
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def start_check(request: HttpRequest, section_id: int) -> HttpResponse:
    section, students = _section(request, section_id)
    form = ReflectionCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_check_start(
                section=section,
                actor=request.user,
                question=form.cleaned_data["question"],
                days=form.cleaned_data["days"],
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                gettext(
                    "The question is on the students' own pages. Their answers appear under "
                    "%(class)s on your home page."
                )
                % {"class": section.name},
            )
            return redirect("home")
    return render(
        request,
        "ownership/start_check.html",
        {"section": section, "students": students, "form": form},
        status=400 if form.errors else 200,
    )
