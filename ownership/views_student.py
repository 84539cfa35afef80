"""The student's own pages (/me/...): the code page, their page, and what they write there.
Thin: the session (ownership/session.py) says who the student is, services write, selectors
read. No view takes a student id: everything is the signed-in student's own."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ownership import ratelimits, selectors, services
from ownership.forms import CodeForm, GoalForm, RatingForm, ReflectionForm
from ownership.session import (
    LANGUAGE_KEY,
    StudentSession,
    current_student,
    student_required,
    student_session_end,
    student_session_start,
)
from students.audit import AuditContext
from students.family import family_languages

WRONG_CODE = gettext_noop(
    "That code does not work. Check it on your card, or ask your teacher for a new one."
)
TOO_MANY = gettext_noop(
    "Too many wrong codes from this device. Wait a few minutes, then try again."
)


def _chosen_language(request: HttpRequest) -> str | None:
    """The language picked on the code page (?lang=, kept in the session), if any: without
    one, the student's page follows their family's language (ownership/session.py)."""
    chosen = request.GET.get("lang") or request.session.get(LANGUAGE_KEY)
    return chosen if chosen in dict(family_languages()) else None


@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Type (or scan) the code from the card. Every try is logged; a blocked address is
    refused before its code is looked at. The page never forwards to a student's page already
    open on this device: the next student scanning their card must not land on it."""
    chosen = _chosen_language(request)
    if chosen:
        request.session[LANGUAGE_KEY] = chosen
    language = chosen or "en"
    status = 200
    with translation.override(language):
        if request.method == "POST":
            form = CodeForm(request.POST)
            audit = services.student_audit(AuditContext.from_request(request))
            if ratelimits.address_blocked(request):
                services.sign_in_logged(row=None, audit=audit, refused="too many wrong codes")
                form.add_error(None, _(TOO_MANY))
                status = 429
            elif form.is_valid():
                try:
                    code = services.code_sign_in(typed=form.cleaned_data["code"], audit=audit)
                except services.CodeRefused:
                    ratelimits.wrong_code_counted(request)
                    form.add_error("code", _(WRONG_CODE))
                    status = 400
                else:
                    student_session_start(request, code)
                    if chosen:
                        request.session[LANGUAGE_KEY] = chosen
                    return redirect("ownership:me")
            else:
                status = 400
        else:
            form = CodeForm(initial={"code": request.GET.get("code", "")})
        return render(
            request,
            "ownership/sign_in.html",
            {"form": form, "language": language, "languages": family_languages()},
            status=status,
        )


@student_required
def me(request: HttpRequest, me: StudentSession) -> HttpResponse:
    return _my_page(request, me)


def _my_page(request: HttpRequest, me: StudentSession, *, errors=None, status=200) -> HttpResponse:
    """The page, each form bound to what was refused (`errors`: {anchor: form}) or fresh."""
    errors = errors or {}
    page = selectors.my_page(me)
    for row in page.plans:
        words = row.goal_words.text if row.goal_words else ""
        row.goal_form = errors.get(f"goal-{row.plan.pk}") or GoalForm(initial={"text": words})
        row.rating_form = errors.get(f"rating-{row.plan.pk}") or RatingForm()
    default_question = services.DEFAULT_QUESTION
    for row in page.checks:
        q = row.check.question
        row.question = _(default_question) if q == default_question else q
        initial = {"rating": row.answer.rating, "note": row.answer.text} if row.answer else {}
        row.form = errors.get(f"check-{row.check.pk}") or ReflectionForm(initial=initial)
    return render(
        request,
        "ownership/me.html",
        {
            "me": me,
            "page": page,
            "saved": request.GET.get("saved", ""),
            "languages": family_languages(),
        },
        status=status,
    )


def _post_form(request, me, form, write, *, where: str) -> HttpResponse:
    """Validate, write, and go back to the page at `where`; refused input shows the page
    again with the errors by the form they belong to."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, _(message))
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect(f"{redirect('ownership:me').url}?saved={where}#{where}")
    return _my_page(request, me, errors={where: form}, status=400)


@require_POST
@student_required
def goal(request: HttpRequest, me: StudentSession, plan_id: int) -> HttpResponse:
    audit = AuditContext.from_request(request)
    return _post_form(
        request,
        me,
        GoalForm(request.POST),
        lambda data: services.my_goal_write(me=me, plan_id=plan_id, text=data["text"], audit=audit),
        where=f"goal-{plan_id}",
    )


@require_POST
@student_required
def rating(request: HttpRequest, me: StudentSession, plan_id: int) -> HttpResponse:
    audit = AuditContext.from_request(request)
    return _post_form(
        request,
        me,
        RatingForm(request.POST),
        lambda data: services.my_rating_write(
            me=me, plan_id=plan_id, rating=data["rating"], note=data["note"], audit=audit
        ),
        where=f"rating-{plan_id}",
    )


@require_POST
@student_required
def reflection(request: HttpRequest, me: StudentSession, check_id: int) -> HttpResponse:
    audit = AuditContext.from_request(request)
    return _post_form(
        request,
        me,
        ReflectionForm(request.POST),
        lambda data: services.my_reflection_write(
            me=me, check_id=check_id, rating=data["rating"], text=data["note"], audit=audit
        ),
        where=f"check-{check_id}",
    )


@student_required
def chart(request: HttpRequest, me: StudentSession, plan_id: int) -> HttpResponse:
    svg = selectors.my_plan_chart(me, plan_id)
    if svg is None:
        raise Http404
    return HttpResponse(svg, content_type="image/svg+xml")


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.get("lang")
    if chosen in dict(family_languages()):
        request.session[LANGUAGE_KEY] = chosen
    return redirect("ownership:me" if current_student(request) else "ownership:sign_in")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    student_session_end(request)
    return redirect("ownership:sign_in")
