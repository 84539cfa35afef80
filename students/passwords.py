"""Changing one's own password, and resetting a forgotten one by e-mail (Django's views with
our wording and templates).

The current-password check of the change page is a guess like any sign-in: a wrong
password counts towards the sign-in lockout (students/lockout.py) and a locked account
cannot change its password. A completed reset proves the person holds the account's
mailbox, so it lifts the lock on that username. Changing the password in any way ends the
account's other sessions (Django) and its API tokens (students/tokens.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from students.lockout import normalize_username


def reset_link_lifetime() -> str:
    """How long a reset link works, in words ("2 hours")."""
    now = timezone.now()
    return timeuntil(now + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now)


class LockoutPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Your current password was not right. Type it again."),
    }

    def __init__(self, user: Any, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            # The lockout middleware answers with the lockout page.
            self.request.axes_locked_out = True
            self.request.axes_credentials = credentials
            raise forms.ValidationError(gettext("Too many failed sign-ins."), code="locked_out")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            user_login_failed.send(sender=type(self), credentials=credentials, request=self.request)
            raise


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = LockoutPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetView(auth_views.PasswordResetView):
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"

    def get_extra_email_context(self) -> dict[str, str]:
        # SITE_URL, when set, names the site in the link instead of the request's host.
        return {"site_url": settings.SITE_URL.rstrip("/"), "timeout_text": reset_link_lifetime()}

    def form_valid(self, form: Any) -> Any:
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "timeout_text": reset_link_lifetime()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: Any) -> Any:
        response = super().form_valid(form)
        username = normalize_username(self.request, {"username": form.user.get_username()})
        AxesProxyHandler.reset_attempts(username=username)
        return response


urlpatterns = [
    path("password/change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
