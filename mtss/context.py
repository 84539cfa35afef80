"""Template context shared by every page: the signed-in user's roles for the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from students.selectors import roles_of


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set()}
    return {"user_roles": roles_of(user)}
