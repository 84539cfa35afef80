"""Template context shared by every page: the signed-in user's roles and where they are.

- `user_roles`: set of Role values the user holds (students.models.Role);
- `user_role_labels`: their plain-language names, for the navigation bar;
- `capabilities`: what the user may reach (students.access.Capabilities), for navigation
  entries that ask a question instead of testing role names;
- `nav_entries`: the apps' navigation entries this user sees (students.slots.NAV_ENTRIES);
- `nav_current`: the first segment of the path ("students", "screening", "" for home), so a
  navigation link can mark itself `aria-current="page"`.
"""

from __future__ import annotations

from django.http import HttpRequest

from students import slots
from students.access import Capabilities, capabilities, roles_of
from students.models import Role


def navigation(request: HttpRequest) -> dict:
    path = getattr(request, "path", "") or ""
    nav_current = path.strip("/").split("/", 1)[0]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "user_roles": set(),
            "user_role_labels": [],
            "capabilities": Capabilities(),
            "nav_current": nav_current,
            "nav_entries": [],
        }
    roles = roles_of(user)
    # In Role's own order (teacher first, district administrator last), not set order.
    # str(): the labels are lazy translations, and the template joins them.
    labels = [str(label) for value, label in Role.choices if value in roles]
    return {
        "user_roles": roles,
        "user_role_labels": labels,
        "capabilities": capabilities(user),
        "nav_current": nav_current,
        "nav_entries": slots.nav_entries_for(user, roles),
    }
