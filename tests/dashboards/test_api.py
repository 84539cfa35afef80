"""The dashboards API: the equity endpoint's exact row shape and suppression, the other
panels' tables, strict filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EQUITY_KEYS = [
    "group",
    "n",
    "x",
    "risk",
    "risk_ratio",
    "composition",
    "enrollment_share",
    "band",
    "suppressed",
]


def test_it_answers_one_row_per_group_with_exactly_the_equity_fields(client, dash):
    w = dash.world
    client.force_login(w.district_admin)
    response = client.get(
        "/api/v1/dashboards/equity/",
        {"step": "at_risk", "school": w.school.pk, "window": dash.fall.pk, "domain": "reading"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["step"] == "at_risk"
    assert all(list(row) == EQUITY_KEYS for row in body["results"])
    by = {row["group"]: row for row in body["results"]}
    # At Maple, fall reading: 42 screened, 16 at risk. Hispanic 30 screened, 10 at risk
    # (the gates hold exactly: N 30, X 10); everyone else 12 screened (< 30): no ratio.
    assert body["all_students"] == {
        "group": "All students",
        "n": 42,
        "x": 16,
        "risk": pytest.approx(16 / 42),
        "risk_ratio": None,
        "composition": 1.0,
        "enrollment_share": 1.0,
        "band": "",
        "suppressed": False,
    }
    hispanic = by["Hispanic/Latino"]
    assert (hispanic["n"], hispanic["x"]) == (30, 10)
    assert hispanic["risk"] == pytest.approx(1 / 3)
    assert hispanic["risk_ratio"] is None and hispanic["band"] == "not enough students"
    assert hispanic["composition"] == pytest.approx(10 / 16)
    assert hispanic["enrollment_share"] == pytest.approx(30 / 42)
    # Race not reported: Maria and Liam (2, hidden). Else 42 - 30 - 10 = 2 would give them
    # away, so a second group is hidden with them: the one that withholds least, a group
    # with nobody in it (its 0 is below 10 too), not White's 10 students.
    white = by["White"]
    assert white["n"] == 10 and white["x"] is None and white["risk"] is None
    assert white["suppressed"] is True and white["band"] == "n<10"  # 5 at risk: small
    assert by["Race/ethnicity not reported"]["n"] is None
    partner = by["American Indian or Alaska Native"]
    assert partner["n"] is None and partner["band"] == "n<10"
    # English learners: the 10 Lee B students, none at risk: X 0 is hidden.
    el = by["English learners"]
    assert el["n"] == 10 and el["x"] is None and el["band"] == "n<10"


def test_it_matches_the_page_for_the_same_filters(client, dash):
    client.force_login(dash.world.district_admin)
    params = {"step": "screened", "school": dash.world.school.pk}
    api = client.get("/api/v1/dashboards/equity/", params).json()
    csv_text = client.get(
        reverse("dashboards:equity"), {**params, "download": "equity"}
    ).content.decode("utf-8-sig")
    lines = [line.split(",")[0:3] for line in csv_text.strip().splitlines()[1:]]
    for (group, n, x), row in zip(lines, [api["all_students"], *api["results"]], strict=True):
        assert group == row["group"]
        hidden = ("n<10", "hidden so that a small group cannot be worked out")
        assert n in hidden if row["n"] is None else n == f"{row['n']:,}"
        assert x in hidden if row["x"] is None else x == f"{row['x']:,}"


def test_it_says_when_a_step_has_no_data_yet(client, dash):
    client.force_login(dash.world.district_admin)
    body = client.get("/api/v1/dashboards/equity/", {"step": "fidelity"}).json()
    assert body["results"] == [] and "No sessions logged yet" in body["no_data"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"grade": "13"}, "grade"),
        ({"domain": "art"}, "domain"),
        ({"step": "nope"}, "step"),
        ({"group": "left-handed"}, "group"),
        ({"window": "0"}, "window"),
    ],
)
def test_it_refuses_filters_it_cannot_use(client, dash, params, field):
    client.force_login(dash.world.district_admin)
    response = client.get("/api/v1/dashboards/equity/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_it_serves_the_other_panels_as_tables(client, dash):
    client.force_login(dash.world.district_admin)
    tiers = client.get(
        "/api/v1/dashboards/tiers/", {"school": dash.world.school.pk, "window": dash.winter.pk}
    ).json()
    # Winter at Maple: 20 screened, 10 Tier 1, 10 Tier 2, 0 Tier 3. The 0 is a small cell;
    # alone it would be 20 - 10 - 10, so one 10 (the first) is hidden with it.
    [row] = tiers["tables"]["tiers"]
    assert (row["tier1"], row["tier2"], row["tier3"], row["screened"]) == (None, 10, None, 20)
    assert "movement" in tiers["tables"]
    core = client.get("/api/v1/dashboards/core/", {"school": dash.world.school.pk}).json()
    sections = {r["section"]: r for r in core["tables"]["sections"]}
    assert sections["Grade 3 - Lee"]["classwide_problem"] is True
    assert sections["Grade 3 - Ruiz"]["classwide_problem"] is False
    assert "growth" in core["no_data"]  # fall is the first window
    completion = client.get("/api/v1/dashboards/completion/").json()
    oak = [r for r in completion["tables"]["completion"] if r["unit"] == "Oak Elementary"][0]
    assert oak["students"] is None and oak["missing_students_page"].startswith(
        "/screening/completion/missing/"
    )
