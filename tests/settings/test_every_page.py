"""Every settings URL, every persona (issue 17's quality bar).

`ROUTES` names each URL mounted under /settings/ with how to reach it and which methods it
answers; `test_the_matrix_covers_every_settings_url` fails when a settings page is added
without a line here. Expected answers, written out: a district administrator opens every page;
a school administrator (the `principal`) the settings home and the windows page, and writes
only their own school's dates (tests/settings/test_pages.py checks that write); everyone else
gets 403 and nothing is written (no audit row, no preview, no new version).

`test_each_district_write_goes_through_its_service` posts each write as the district
administrator and checks what only the service does: its audit row, and for versioned
settings a new version beside the old one, which is kept as it was.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from decisions.models import RuleSet, SettingsPreview
from screening.models import CutScoreSet, Measure, ScreeningWindow
from smallgroups.models import SkillResource
from students.models import AccessLog
from tests.settings.test_pages import setup  # noqa: F401  (fixture)
from tests.settings.test_permission_matrix import objects  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

NAMESPACES = (
    "screening_settings",
    "decisions_settings",
    "catalog_settings",
    "marks_settings",
    "smallgroups_settings",
)
# url name -> (the object its path names, or None; the methods it answers: G get, P post)
ROUTES = {
    "settings_home": (None, "G"),
    "screening_settings:windows": (None, "G"),
    "screening_settings:window_add": (None, "P"),
    "screening_settings:window_dates": ("fall", "P"),
    "screening_settings:window_toggle": ("fall", "P"),
    "screening_settings:window_school_dates": ("fall", "P"),
    "screening_settings:measures": (None, "G"),
    "screening_settings:measure_new": (None, "GP"),
    "screening_settings:measure_edit": ("orf", "GP"),
    "screening_settings:accuracy": (None, "G"),
    "screening_settings:cut_scores": (None, "G"),
    "screening_settings:cut_score_set": ("orf_set", "G"),
    "screening_settings:cut_score_copy": ("orf_set", "P"),
    "screening_settings:cut_score_revise": ("orf_set", "GP"),
    "decisions_settings:rule_sets": (None, "GP"),
    "decisions_settings:rule_set_whatif": ("rule_draft", "GP"),
    "decisions_settings:rule_set_activate": ("rule_draft", "P"),
    "decisions_settings:cut_score_whatif": ("cut_draft", "GP"),
    "decisions_settings:preview_progress": ("preview", "G"),
    "decisions_settings:cut_score_activate": ("cut_draft", "P"),
    "catalog_settings:catalog": (None, "G"),
    "catalog_settings:entry_new": (None, "GP"),
    "catalog_settings:entry_edit": ("entry", "GP"),
    "marks_settings:rule": (None, "GP"),
    "smallgroups_settings:resources": (None, "GP"),
    "smallgroups_settings:resource_edit": ("resource", "GP"),
    "smallgroups_settings:resource_remove": ("resource", "P"),
}
SCHOOL_ADMIN_OPENS = {"settings_home", "screening_settings:windows"}
# The principal's one write, their own school's dates, is checked with its data in
# test_pages.py; here it is posted without a school and refused like the others' writes.
OTHERS = ["principal", "team_member", "teacher", "other_teacher", "interventionist", "nobody"]


def _names(patterns, prefix: str = "") -> set[str]:
    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            names |= _names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_the_matrix_covers_every_settings_url():
    mounted = {n for n in _names(get_resolver().url_patterns) if n.split(":")[0] in NAMESPACES}
    assert mounted | {"settings_home"} == set(ROUTES)


@pytest.fixture
def every(world, objects):  # noqa: F811
    resource = SkillResource.objects.create(
        district=world.district,
        title="Sound boxes",
        skill="phonemic_awareness",
        kind="offline",
        description="Boxes and counters",
        lowest_grade=0,
        highest_grade=1,
    )
    preview = SettingsPreview.objects.create(
        district=world.district,
        subject=SettingsPreview.Subject.RULE_SET,
        rule_set=objects["rule_draft"],
        requested_by=world.district_admin,
    )
    return {**objects, "resource": resource, "preview": preview}


def _url(name: str, o: dict) -> str:
    key, _ = ROUTES[name]
    return reverse(name, args=[o[key].pk] if key else [])


def _state(o: dict) -> tuple:
    """What a refused write must leave alone."""
    o["fall"].refresh_from_db()
    return (
        AccessLog.objects.exclude(action=AccessLog.Action.VIEW).count(),
        SettingsPreview.objects.count(),
        tuple(CutScoreSet.objects.values_list("pk", "is_active").order_by("pk")),
        tuple(RuleSet.objects.values_list("pk", "is_active").order_by("pk")),
        (o["fall"].start_date, o["fall"].is_open),
        Measure.objects.count(),
        ScreeningWindow.objects.count(),
        SkillResource.objects.count(),
    )


def test_a_district_administrator_opens_every_settings_page(client, world, every):
    client.force_login(world.district_admin)
    for name, (_, methods) in ROUTES.items():
        expected = 200 if "G" in methods else 405
        assert client.get(_url(name, every)).status_code == expected, name


@pytest.mark.parametrize("persona", OTHERS)
def test_others_are_refused_every_settings_page_and_write(client, world, every, persona):
    client.force_login(world.persona(persona))
    before = _state(every)
    for name, (_, methods) in ROUTES.items():
        url = _url(name, every)
        opens = persona == "principal" and name in SCHOOL_ADMIN_OPENS
        get = client.get(url).status_code
        post = client.post(url, {"name": "x", "reason": "x", "preview": "1"}).status_code
        # A preview's progress too: refused (403) before it is looked up, as
        # test_permission_matrix.py says; only another district's administrator gets 404.
        assert get == (405 if "G" not in methods else 200 if opens else 403), (name, "GET")
        assert post == (405 if "P" not in methods else 403), (name, "POST")
    assert _state(every) == before


MEASURE_FORM = {
    "code": "orf",
    "name": "Oral reading fluency (words correct)",
    "domain": "reading",
    "purpose": "screening",
    "unit": "wcpm",
    "min_score": "0",
    "max_score": "250",
    "higher_is_better": "on",
    "lowest_grade": "1",
    "highest_grade": "6",
    "slope_tolerance": "0.5",
    "active": "on",
}
RESOURCE_FORM = {
    "title": "Elkonin boxes",
    "skill": "phonemic_awareness",
    "kind": "offline",
    "description": "Boxes drawn on paper, counters",
    "lowest_grade": "0",
    "highest_grade": "1",
    "active": "on",
}
# Each district write of a settings page: (url name, form data, the service's audit object).
# The cut-score grid, the rules, both switches, the catalog and the marks rule are checked
# with their own data in test_pages.py and tests/indicators/test_mark_rule_settings.py.
WRITES = [
    (
        "screening_settings:window_add",
        {"season": "winter", "start_date": "2027-01-05", "end_date": "2027-01-29"},
        "screening_window",
    ),
    ("screening_settings:window_toggle", {}, "screening_window"),
    ("screening_settings:measure_edit", MEASURE_FORM, "measure"),
    ("screening_settings:cut_score_copy", {}, "cut_score_set"),
    ("smallgroups_settings:resources", RESOURCE_FORM, "skill_resource"),
    (
        "smallgroups_settings:resource_edit",
        {**RESOURCE_FORM, "title": "Sound boxes"},
        "skill_resource",
    ),
    ("smallgroups_settings:resource_remove", {}, "skill_resource"),
]


@pytest.mark.parametrize(("name", "data", "object_type"), WRITES)
def test_each_district_write_goes_through_its_service(
    client, world, every, name, data, object_type
):
    client.force_login(world.district_admin)
    response = client.post(_url(name, every), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    log = AccessLog.objects.filter(object_type=object_type).exclude(action="view").get()
    assert log.user == world.district_admin


def test_copying_a_set_makes_a_new_version_and_keeps_the_old_one(client, world, every):
    orf_set = every["orf_set"]
    rows_before = list(orf_set.rows.values_list("grade", "season", "benchmark", "high_risk_cut"))
    client.force_login(world.district_admin)
    client.post(_url("screening_settings:cut_score_copy", every), {})
    versions = dict(
        CutScoreSet.objects.filter(measure=every["orf"]).values_list("version", "is_active")
    )
    # v1 in use, the fixture's v2 draft, and the copy as v3: a draft too.
    assert versions == {1: True, 2: False, 3: False}
    orf_set.refresh_from_db()
    assert list(orf_set.rows.values_list("grade", "season", "benchmark", "high_risk_cut")) == (
        rows_before
    )
