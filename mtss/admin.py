"""The admin site, for active superusers only.

The admin lists rows of every district: scores, referrals, flags, plans, meetings, users.
Only the pages and the API narrow what a person sees to their schools and role, so the
admin is not a place for anyone else, whatever permissions their account holds. Staff
accounts without the superuser flag get neither its pages nor its sign-in.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            _(
                "That username and password do not match a superuser account. Site administration "
                "is for superusers only; everyone else signs in on the main sign-in page."
            )
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SuperuserAdminSite(admin.AdminSite):
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_superuser
