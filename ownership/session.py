"""The student's session: separate from staff sign-in, and good for the /me/ pages only.

A student signed in with a code has no account: `request.user` stays anonymous, so every
staff page (all behind `login_required` or a staff permission) sends them to the staff
sign-in page, and the API refuses them. What marks the student is one session key holding the
code's id and the student's id; every /me/ request looks the code up again, so a code that
expired, or that the teacher replaced by printing new ones, ends the session at once.

Signing a student in flushes the session first (a teacher still signed in on that device is
signed out), and a staff sign-in drops the student's key (the receiver below), so one browser
never holds both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from ownership.models import SignInCode
from students.family import family_languages, family_links
from students.models import Section, Student

SESSION_KEY = "ownership_student"
LANGUAGE_KEY = "ownership_language"
# A student's page left open on a shared device closes after this long without a click,
# and at the latest when the code expires.
IDLE = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class StudentSession:
    code: SignInCode

    @property
    def student(self) -> Student:
        return self.code.student

    @property
    def section(self) -> Section:
        return self.code.section


def student_session_start(request: HttpRequest, code: SignInCode) -> None:
    request.session.flush()
    request.session[SESSION_KEY] = {"code": code.pk, "student": code.student_id}
    _keep_alive(request, code)


def _keep_alive(request: HttpRequest, code: SignInCode) -> None:
    idle = timezone.now() + min(IDLE, dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))
    request.session.set_expiry(min(code.expires_at, idle))


def student_session_end(request: HttpRequest) -> None:
    request.session.flush()


def current_student(request: HttpRequest) -> StudentSession | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    code = (
        SignInCode.objects.select_related("student", "section")
        .filter(pk=data.get("code"), student_id=data.get("student"))
        .first()
    )
    if code is None or not code.is_live() or not code.student.active:
        request.session.pop(SESSION_KEY, None)
        return None
    _keep_alive(request, code)
    return StudentSession(code)


def student_language(request: HttpRequest, student: Student) -> str:
    """The language the student chose on their page, else the first family contact's
    preferred language the platform is written in, else English."""
    offered = {code for code, _ in family_languages()}
    chosen = request.session.get(LANGUAGE_KEY)
    if chosen in offered:
        return chosen
    for link in family_links(student):
        if link.guardian.active and link.guardian.preferred_language in offered:
            return link.guardian.preferred_language
    return "en"


def student_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A /me/ view: the signed-in student is passed as `me`, the page is in their language
    and never cached (a school device is shared); no student session goes to the code page."""

    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        me = current_student(request)
        if me is None:
            return redirect("ownership:sign_in")
        with translation.override(student_language(request, me.student)):
            response = view(request, me, *args, **kwargs)
            response.headers.setdefault("Content-Language", translation.get_language())
            return response

    return wrapped


def end_student_session_on_staff_login(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
        request.session.pop(LANGUAGE_KEY, None)
