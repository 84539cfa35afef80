"""The Django admin is for active superusers only (mtss/admin.py).

The admin shows every district's rows; only the pages scope by role. So a staff account,
even one holding every view permission, gets no admin page and no admin data.
"""

from __future__ import annotations

import contextlib

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def admin_urls() -> list[str]:
    """The changelist, add, change and history pages of every registered model."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        # A model with no row yet is asked for by a made-up key: the gate comes first.
        pk = obj.pk if obj is not None else 1
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
        urls.append(reverse("admin:{}_{}_history".format(*info), args=[pk]))
    return urls


@pytest.fixture
def viewer(world):
    """A staff account with every view permission there is."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


def test_it_shows_a_staff_user_with_every_view_permission_no_admin_page(client, viewer, world):
    urls = admin_urls()
    assert len(urls) >= 3 * len(admin.site._registry) > 60  # every model of every app
    client.force_login(viewer)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
        assert "Garcia" not in response.content.decode()
    response = client.get(reverse("admin:autocomplete"), {"app_label": "students"})
    assert response.status_code != 200
    assert "Garcia" not in response.content.decode()


def test_it_shows_a_superuser_every_admin_page(client, world):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for url in admin_urls():
        # 403: the add page of a read-only model; 302: the made-up key of an empty model.
        assert client.get(url).status_code in (200, 302, 403), url


def test_it_refuses_a_deactivated_superuser(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    root.is_active = False
    root.save()
    assert client.get(reverse("admin:index")).status_code == 302


def test_it_refuses_a_staff_account_at_the_admin_sign_in(client, world, viewer):
    viewer.set_password(world.password)
    viewer.save()
    response = client.post(
        reverse("admin:login"), {"username": "viewer", "password": world.password}
    )
    assert response.status_code == 200
    assert "superuser" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_it_links_the_admin_for_superusers_only(client, world, viewer):
    client.force_login(viewer)
    assert "Site administration" not in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert "Site administration" in client.get(reverse("home")).content.decode()
