"""What every page carries: the site icon, and the script that lets the keyboard reach tables
that scroll sideways."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse


def test_favicon_ico_leads_to_a_real_icon_file(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO signature


def test_pages_link_the_icon(client):
    html = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.ico")}"' in html


def test_pages_load_the_script_that_makes_scrolling_tables_focusable(client):
    html = client.get(reverse("login")).content.decode()
    assert f'<script src="{static("js/scroll-regions.js")}"></script>' in html
    assert finders.find("js/scroll-regions.js")
