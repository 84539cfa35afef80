"""The cached dashboard figures move with the data, stay within their scope, and every table
of the counted apps is watched (dashboards.panel_cache, dashboards.data_version)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import data_version, filters, panels
from dashboards.analysis.pipeline import STEPS
from dashboards.suppression import INTERNAL
from decisions.models import Flag
from screening.models import ScreeningScore
from tests.dashboards.test_views import tables_of

pytestmark = pytest.mark.django_db


def _maple_tiers(client, dash, **params) -> tuple[list[str], int]:
    """Maple's grade 3 reading row of the tiers page (internal figures), and how many queries
    read the scores table to draw it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("dashboards:tiers"), {"school": dash.world.school.pk, **params}
        )
    assert response.status_code == 200
    [row] = [r for r in tables_of(response)["tiers"][1:] if r[:2] == ["Reading", "3"]]
    reads = sum("screening_screeningscore" in q["sql"] for q in queries.captured_queries)
    return row, reads


def test_a_saved_score_moves_the_page_that_was_served_from_the_cache(client, dash):
    client.force_login(dash.world.district_admin)
    # Maple, fall: 26 in Tier 1, 10 in Tier 2, 6 in Tier 3 (conftest).
    first, reads = _maple_tiers(client, dash)
    assert first[2] == "26" and first[6].startswith("6 ") and reads > 0
    again, reads = _maple_tiers(client, dash)
    assert again == first and reads == 0  # worked out once, served after

    # A "Ruiz C" student (fall 50, high risk) is rescored 80: at or above benchmark.
    score = ScreeningScore.objects.get(student=dash.groups["ruiz_c"][1], window=dash.fall)
    score.score = 80
    score.risk_level = "at_or_above"
    score.save()
    moved, reads = _maple_tiers(client, dash)
    assert moved[2] == "27" and moved[6].startswith("5 ") and reads > 0

    # A bulk update (as imports and sweeps write) moves it too.
    ScreeningScore.objects.filter(student__in=dash.groups["ruiz_c"][2:4], window=dash.fall).update(
        score=80, risk_level="at_or_above"
    )
    moved, _ = _maple_tiers(client, dash)
    assert moved[2] == "29" and moved[6].startswith("3 ")


def test_a_score_of_another_window_leaves_the_cached_figures_and_moves_its_own(client, dash):
    client.force_login(dash.world.district_admin)
    _maple_tiers(client, dash)
    winter, _ = _maple_tiers(client, dash, window=dash.winter.pk)
    # Winter: 10 "Lee A" at or above (90), 10 "Lee B" at some risk (80).
    assert winter[2] == "10"
    ScreeningScore.objects.filter(student__in=dash.groups["lee_b"][:3], window=dash.winter).update(
        score=90, risk_level="at_or_above"
    )
    fall, reads = _maple_tiers(client, dash)
    assert fall[2] == "26" and reads == 0
    # Winter's page shows the new scores, and the movement from fall to winter with them.
    winter, reads = _maple_tiers(client, dash, window=dash.winter.pk)
    assert winter[2] == "13" and reads > 0


def test_a_flag_decided_moves_the_equity_page(client, dash):
    client.force_login(dash.world.principal)
    params = {"school": dash.world.school.pk, "step": "flagged", "dimension": "race"}

    def flagged() -> list[str]:
        tables = tables_of(client.get(reverse("dashboards:equity"), params))
        return next(r for r in tables["pipeline"] if r[0].startswith("Flagged"))

    before = flagged()
    assert flagged() == before
    Flag.objects.filter(student__in=dash.groups["lee_b"][:1]).delete()
    flag = Flag.objects.filter(student=dash.groups["lee_a"][0]).first()
    Flag.objects.create(
        **{
            f.name: getattr(flag, f.name)
            for f in Flag._meta.concrete_fields
            if f.name not in ("id", "student")
        },
        student=dash.groups["lee_b"][0],
    )
    assert flagged() != before


def test_one_scope_never_reads_another_scopes_figures(client, dash):
    w = dash.world
    # The district administrator's whole-district page is worked out and cached first.
    client.force_login(w.district_admin)
    district = tables_of(client.get(reverse("dashboards:tiers")))["tiers"]
    assert [r[1] for r in district[1:]] == ["Maple Elementary", "Oak Elementary", "All"]
    # The same query from the principal of Maple is worked out for Maple alone.
    client.force_login(w.principal)
    maple = tables_of(client.get(reverse("dashboards:tiers")))["tiers"]
    assert all("Oak" not in cell for row in maple for cell in row)


def test_the_published_figures_are_cached_apart_from_the_internal_ones(client, dash):
    client.force_login(dash.world.district_admin)
    internal, _ = _maple_tiers(client, dash)
    published, _ = _maple_tiers(client, dash, audience="published")
    assert internal[6].startswith("6 ") and published[6] == "n<10"


def test_the_data_version_follows_the_tables_and_windows_asked_for(dash):
    def version(table, windows):
        return data_version.version(tables=(), per_window=[table], windows=windows)

    scores = "screening_screeningscore"
    fall, winter = version(scores, [dash.fall.pk]), version(scores, [dash.winter.pk])
    flags = data_version.version(tables=["decisions_flag"], windows=None)
    ScreeningScore.objects.filter(window=dash.winter).delete()
    assert version(scores, [dash.fall.pk]) == fall
    assert version(scores, [dash.winter.pk]) != winter
    assert version(scores, None) != fall
    assert data_version.version(tables=["decisions_flag"], windows=None) == flags
    # A student's flag changed: the readers of every flag see it, those of classwide flags
    # do not; a classwide flag in fall moves fall's classwide readers, not winter's.
    classwide = "decisions_flag:classwide"
    flags_winter = version(classwide, [dash.winter.pk])
    flags_fall = version(classwide, [dash.fall.pk])
    flag = Flag.objects.filter(student=dash.groups["lee_a"][0]).get()
    Flag.objects.filter(pk=flag.pk).update(recommended_tier=3)
    assert data_version.version(tables=["decisions_flag"], windows=None) != flags
    assert version(classwide, [dash.fall.pk]) == flags_fall
    Flag.objects.filter(pk=flag.pk).update(
        kind="classwide", student=None, section=dash.world.section, measure=dash.orf
    )
    assert version(classwide, [dash.fall.pk]) != flags_fall
    assert version(classwide, [dash.winter.pk]) == flags_winter
    assert version(scores, [dash.fall.pk]) == fall


def test_folding_the_notes_keeps_the_version(dash):
    every = ["decisions_flag:classwide", "screening_screeningscore", "students_student"]
    versions = {
        name: data_version.version(tables=(), per_window=[name], windows=None) for name in every
    }
    data_version.compact()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) = COUNT(DISTINCT source) FROM dashboards_datachange")
        assert cursor.fetchone()[0]
    # The same data, the same versions: a fold must not make every cached panel be worked
    # out again. A write after it still moves its own.
    for name in every:
        assert data_version.version(tables=(), per_window=[name], windows=None) == versions[name]
    flags = data_version.version(tables=["decisions_flag"], windows=None)
    Flag.objects.filter(student=dash.groups["lee_a"][0]).update(recommended_tier=3)
    assert data_version.version(tables=["decisions_flag"], windows=None) != flags
    scores = data_version.version(tables=(), per_window=[every[1]], windows=None)
    assert scores == versions["screening_screeningscore"]


def test_every_table_of_the_counted_apps_is_watched_or_named_as_unwatched():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid
                                      AND t.tgname LIKE 'dashboards_note_%%')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
            """
        )
        tables = dict(cursor.fetchall())
    counted = {
        name
        for name in tables
        if name.split("_", 1)[0] in data_version.WATCHED_APPS and name not in data_version.UNWATCHED
    }
    assert counted, "no table found"
    assert sorted(name for name in counted if not tables[name]) == []


PANELS = ("tiers", "core", "completion", "equity_panel", "early_warning", "effectiveness")


def test_each_panel_names_every_table_its_figures_are_read_from(dash):
    """A table a panel reads but does not name would leave its cached figures stale."""
    w = dash.world
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p', 'v', 'm')"
            " AND relnamespace = current_schema()::regnamespace"
        )
        tables = {name for (name,) in cursor.fetchall()}
    choices = [
        {},
        {"window": dash.winter.pk},
        {"school": w.school.pk},
        {"span": "3"},
        {"tiers": "placements"},
        {"step": "placed", "domain": "reading"},
        {"step": "flagged", "school": w.school.pk},
        {"step": "major_referral", "span": "3", "school": w.school.pk},
        {"group": "iep", "grade": "3"},
        {"measure": dash.orf.pk},
    ] + [{"step": step.key} for step in STEPS]
    builds = [(name, getattr(panels, name)) for name in PANELS]
    builds.append(("behavior", panels._behavior_figures))
    for name, wrapper in builds:
        read: set[str] = set()
        for params in choices:
            r = filters.resolve(
                w.district_admin,
                QueryDict(urlencode(params)),
                today=dt.date(2026, 12, 3),
                default_audience=INTERNAL,
                with_previous=True,
                with_measures=True,
            )
            with CaptureQueriesContext(connection) as queries:
                wrapper.__wrapped__(r)
            for query in queries.captured_queries:
                read |= set(re.findall(r"[a-z][a-z0-9_]+", query["sql"])) & tables
        assert sorted(read - wrapper.reads.every - {"dashboards_datachange"}) == [], name


def test_the_equity_page_reads_again_only_the_parts_of_the_pipeline_whose_data_moved(client, dash):
    client.force_login(dash.world.principal)
    url = reverse("dashboards:equity")

    def parts_read(params) -> set[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"window": dash.fall.pk, **params}).status_code == 200
        return {
            name
            for q in queries.captured_queries
            for name in re.findall(r"/\* pipeline part (\w+) \*/", q["sql"])
        }

    assert parts_read({"step": "at_risk"}) >= {"sc", "fl", "placed", "disc"}
    # Another step of the same figures: nothing read again.
    assert parts_read({"step": "flagged"}) == set()
    # A saved score: the window's scores only, not the flags, plans or referrals.
    ScreeningScore.objects.filter(student=dash.groups["lee_a"][0], window=dash.fall).update(
        score=90, risk_level="at_or_above"
    )
    assert parts_read({"step": "placed"}) == {"sc"}
    # A flag withdrawn: the flags only.
    Flag.objects.filter(student=dash.groups["lee_a"][0]).delete()
    assert parts_read({"step": "overridden"}) == {"fl"}
