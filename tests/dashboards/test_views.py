"""Dashboard pages: what a district administrator and a school team see on the district of
conftest.py, the CSV of each table equal to the table on the page, and pinned query counts."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from dashboards.suppression import CAUTION, COMPLEMENT
from mtss.lib.spreadsheet import safe_cell
from students.models import AccessLog

pytestmark = pytest.mark.django_db

PAGES = ["tiers", "core", "completion", "equity", "interventions", "behavior"]


class _Tables(HTMLParser):
    """Cells of every <table data-table=...> on a page, as the user reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._key: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._key = attrs["data-table"]
            self.tables[self._key] = []
        elif self._key and tag == "tr":
            self._row = []
        elif self._key and tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif (
            self._key
            and tag == "span"
            and "visually-hidden" in (attrs.get("class") or "")
            or self._key
            and tag == "caption"
        ):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self._key = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._key:
            self.tables[self._key].append(self._row)
            self._row = None
        elif tag in ("span", "caption") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def tables_of(response) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def csv_of(response) -> list[list[str]]:
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_it_shows_the_tier_distribution_with_small_cells_hidden(client, dash):
    client.force_login(dash.world.district_admin)
    response = client.get(
        reverse("dashboards:tiers"), {"school": dash.world.school.pk, "audience": "published"}
    )
    assert response.status_code == 200
    header, grade3 = tables_of(response)["tiers"]
    assert header[:3] == ["Domain", "Grade", "Tier 1"]
    # Maple, fall: 26 / 10 / 6 of 42. Tier 3 (6) is small; Tier 2 goes with it, else it
    # would be 42 - 26 - 10.
    assert grade3 == [
        "Reading",
        "3",
        "26",
        "61.9%",
        COMPLEMENT,
        COMPLEMENT,
        "n<10",
        "n<10",
        "42",
        "n<10",
        "No",
    ]
    # The chart's data is on the page, and plotly.js comes from our own static files.
    assert b'id="chart-tiers-reading-data"' in response.content
    assert b"/static/plotly/plotly.min.js" in response.content


def test_it_protects_a_school_row_through_the_all_schools_totals(client, dash):
    client.force_login(dash.world.district_admin)
    published = client.get(reverse("dashboards:tiers"), {"audience": "published"})
    header, maple, oak, total = tables_of(published)["tiers"]
    # Oak screened nobody (0 < 10: its row is hidden). With the "All" totals shown, Maple's
    # Tier 1 and its total would give Oak's away (26 - 26 = 0, 42 - 42 = 0), so they are
    # hidden too.
    assert oak[1:10] == ["Oak Elementary"] + ["n<10"] * 8
    assert maple[2] == COMPLEMENT and maple[8] == COMPLEMENT
    assert total[1:3] == ["All", "26"] and total[8] == "42"


@pytest.mark.parametrize("page", PAGES)
def test_it_downloads_each_table_exactly_as_the_page_shows_it(client, dash, page):
    client.force_login(dash.world.district_admin)
    params = {"window": dash.winter.pk} if page in ("tiers", "core") else {}
    # A download is for reporting: the published figures, as the page shows them when
    # asked for those.
    response = client.get(reverse(f"dashboards:{page}"), {**params, "audience": "published"})
    assert response.status_code == 200
    tables = tables_of(response)
    assert tables, f"no table on the {page} page"
    for key, rows in tables.items():
        download = client.get(reverse(f"dashboards:{page}"), {**params, "download": key})
        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")
        got = csv_of(download)
        # The page adds a column of links ("List missing students", "Profile"); the rest
        # is the CSV cell for cell, a text that a spreadsheet would read as a formula
        # ("+2 per week") carrying the writer's leading apostrophe.
        width = len(got[0])
        assert [[safe_cell(c) for c in r[:width]] for r in rows] == got, key


def test_it_lists_the_missing_students_one_click_away(client, dash):
    client.force_login(dash.world.principal)
    response = client.get(reverse("dashboards:completion"))
    page = response.content.decode()
    missing = reverse("screening:completion_missing")
    assert (
        f"{missing}?window={dash.fall.pk}&amp;measure={dash.orf.pk}" not in page
    )  # Maple: all screened
    client.force_login(dash.world.district_admin)
    response = client.get(reverse("dashboards:completion"))
    page = response.content.decode()
    link = f"{missing}?window={dash.fall.pk}&amp;measure={dash.orf.pk}&amp;school={dash.world.other_school.pk}"
    assert link in page  # Noah at Oak has no score
    follow = client.get(link.replace("&amp;", "&"))
    assert follow.status_code == 200 and "Noah" in follow.content.decode()


def test_the_district_home_links_the_dashboards_once_scores_exist(client, dash):
    client.force_login(dash.world.district_admin)
    html = client.get(reverse("home")).content.decode()
    assert "will be linked here once screening scores are entered" not in html
    for name in ("dashboards:tiers", "dashboards:completion", "dashboards:equity"):
        assert f'href="{reverse(name)}"' in html


def test_a_grade_row_links_to_the_missing_students_of_that_grade(client, dash):
    client.force_login(dash.world.district_admin)
    school = dash.world.other_school
    page = client.get(f"{reverse('dashboards:completion')}?school={school.pk}").content.decode()
    grade = dash.world.other_student.grade
    link = (
        f"{reverse('screening:completion_missing')}?window={dash.fall.pk}&amp;"
        f"measure={dash.orf.pk}&amp;school={school.pk}&amp;grade={grade}"
    )
    assert link in page  # one school: rows per grade, each link keeps its grade
    follow = client.get(link.replace("&amp;", "&"))
    assert follow.status_code == 200 and "Noah" in follow.content.decode()


def test_it_shows_equity_for_one_step_and_the_pipeline(client, dash):
    client.force_login(dash.world.district_admin)
    response = client.get(
        reverse("dashboards:equity"),
        {"step": "placed", "school": dash.world.school.pk, "audience": "published"},
    )
    tables = tables_of(response)
    pipeline = {r[0]: r for r in tables["pipeline"][1:]}
    # At Maple: 42 screened; 16 at risk (10 Lee A, Maria, 5 Ruiz C); 10 placed.
    assert pipeline["At risk"][1:4] == ["42", "16", "38.1%"]
    assert pipeline["Placed in Tier 2/3 (given at risk)"][1:4] == ["16", "10", "62.5%"]
    assert pipeline["Referred for special-education evaluation"][1] in ("no data yet", "42")
    groups = {r[0]: r for r in tables["equity"][1:]}
    # Placed given at risk: Hispanic 10 of 10, White 0 of 5, not reported 0 of 1. The two
    # small groups are hidden; their X add up to 0, so Hispanic's X is hidden too (else
    # 10 - 10 = 0 would tell that no White student at risk was placed).
    assert groups["Hispanic/Latino"][1:3] == ["10", COMPLEMENT]
    assert groups["White"][1:3] == ["n<10", "n<10"]
    assert groups["All students"][1:4] == ["16", "10", "62.5%"]


def test_it_says_no_data_yet_for_a_step_without_data(client, dash):
    client.force_login(dash.world.district_admin)
    response = client.get(reverse("dashboards:equity"), {"step": "fidelity"})
    assert b'data-empty="equity"' in response.content
    assert b"No sessions logged yet" in response.content


def test_it_reports_intervention_effectiveness(client, dash):
    client.force_login(dash.world.district_admin)
    response = client.get(reverse("dashboards:interventions"))
    [header, row] = tables_of(response)["effectiveness"]
    # Ten Read Well plans at Maple, each rising 2 a week against an aim of 1 a week.
    assert row == [
        "Read Well",
        "Maple Elementary",
        "10",
        "+2 per week (Oral reading fluency)",
        "100.0%",
        "0.0%",
        "no data yet",
    ]


def test_it_shows_the_big_five_and_logs_who_saw_the_top_students(client, dash):
    w = dash.world
    client.force_login(w.team_member)
    response = client.get(reverse("dashboards:behavior"))
    tables = tables_of(response)
    # The school team's own page: every count, the small one with a caution.
    assert tables["locations"][1:] == [
        ["Classroom", "12", "80.0%"],
        ["Hallway", f"3 ({CAUTION})", f"20.0% ({CAUTION})"],
        ["All referrals", "15", "100.0%"],
    ]
    # For reporting: 15 referrals, classroom 12, hallway 3 -> the hallway is small, the
    # classroom goes too, and says why.
    published = tables_of(client.get(reverse("dashboards:behavior"), {"audience": "published"}))
    assert published["locations"][1:] == [
        ["Classroom", COMPLEMENT, COMPLEMENT],
        ["Hallway", "n<10", "n<10"],
        ["All referrals", "15", "100.0%"],
    ]
    assert [r[0] for r in tables["top_students"][1:]] == ["Liam Smith", "Maria Garcia"]
    logged = AccessLog.objects.filter(user=w.team_member, object_type="dashboard_top_referred")
    assert set(logged.values_list("student_id", flat=True)) == {w.classmate.pk, w.student.pk}


def test_it_keeps_a_school_team_to_its_school(client, dash):
    client.force_login(dash.world.team_member)
    response = client.get(reverse("dashboards:tiers"), {"school": dash.world.other_school.pk})
    page = response.content.decode()
    assert "That school is not one you can see" in page
    assert "Oak Elementary" not in page
    rows = tables_of(response)["tiers"]
    assert rows[1][1] == "3"  # one school: rows per grade (grade 3)


PINNED = {
    "tiers": 12,
    "core": 12,
    "completion": 11,
    # The pipeline's students and its seven parts are one query each, so that each is kept
    # in the cache apart (dashboards.selectors.pipeline_parts); none grows with the data.
    "equity": 20,
    "interventions": 10,
    "behavior": 14,
}


@pytest.mark.parametrize("page", PAGES)
def test_it_reads_each_page_in_a_fixed_number_of_queries(
    client, dash, page, django_assert_max_num_queries
):
    client.force_login(dash.world.district_admin)
    client.get(reverse("dashboards:index"))  # session and user loaded once
    with django_assert_max_num_queries(PINNED[page]):
        response = client.get(reverse(f"dashboards:{page}"), {"window": dash.winter.pk})
    assert response.status_code == 200
