"""Staff pages rendered in a pseudo-language: every message of the catalog wrapped in ⟦ ⟧.

The template scanner (test_i18n_templates.py) shows the text sits in translation tags; this
shows the tags and the Python strings really reach gettext when a page is served in another
language: marked template text, form labels, model choices and the navigation all come out
wrapped, while data (names, schools) stays as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

MESSAGES = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES"


def _wrapped(po: Path) -> polib.POFile:
    source = polib.pofile(str(po))
    catalog = polib.POFile()
    catalog.metadata = dict(source.metadata)
    for entry in source:
        if not entry.msgid or entry.obsolete:
            continue
        wrapped = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt)
        if entry.msgid_plural:
            wrapped.msgid_plural = entry.msgid_plural
            wrapped.msgstr_plural = {0: f"⟦{entry.msgid}⟧", 1: f"⟦{entry.msgid_plural}⟧"}
        else:
            wrapped.msgstr = f"⟦{entry.msgid}⟧"
        catalog.append(wrapped)
    return catalog


@pytest.fixture
def pseudo(settings, tmp_path):
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    # The pages' messages and the scripts' (static/js, served by /jsi18n/).
    for domain in ("django", "djangojs"):
        _wrapped(MESSAGES / f"{domain}.po").save_as_mofile(str(folder / f"{domain}.mo"))
    # Changing these settings resets Django's cached catalogs and language look-ups (and
    # the fixture's undo resets them again).
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en", "English"), ("xx", "Pseudo")]
    return "xx"


def test_the_student_profile_comes_out_in_the_pseudo_language(client, world, pseudo):
    client.force_login(world.team_member)
    html = client.get(
        reverse("student_detail", args=[world.student.pk]), HTTP_ACCEPT_LANGUAGE=pseudo
    ).content.decode()
    assert '<html lang="xx">' in html
    # Template text, a sentence with named variables, the navigation and a model choice.
    assert "⟦Legal name⟧" in html
    assert f"⟦Grade {world.student.grade_label} · Maple Elementary · Student ID" in html
    assert "⟦Students⟧</a>" in html
    assert "⟦Sign out⟧" in html
    assert "⟦Intervention plans⟧" in html  # a profile card's title, registered at start-up
    with translation.override("en"):
        sex = world.student.get_sex_display()
    assert f"<dd>⟦{sex}⟧</dd>" in html  # a model's choice label (gettext_lazy)
    assert world.student.first_name in html  # data is not translated


def test_the_same_profile_in_english_is_unchanged(client, world, pseudo):
    client.force_login(world.team_member)
    html = client.get(reverse("student_detail", args=[world.student.pk])).content.decode()
    assert "⟦" not in html
    assert "<dt>Legal name</dt>" in html


def test_form_labels_and_choices_come_out_in_the_pseudo_language(client, world, pseudo):
    client.force_login(world.team_member)
    html = client.get(reverse("student_list"), HTTP_ACCEPT_LANGUAGE=pseudo).content.decode()
    assert ">⟦Search by name or student ID⟧</label>" in html  # a form label (gettext_lazy)
    assert ">⟦All schools⟧</option>" in html  # a form's empty choice
    english = client.get(reverse("student_list")).content.decode()
    # Every marked string of the English page is wrapped in the pseudo one: count them.
    assert html.count("⟦") > 20
    assert "⟦" not in english


def test_the_scripts_words_come_out_in_the_pseudo_language(client, world, pseudo):
    client.force_login(world.team_member)
    catalog = reverse("javascript-catalog")
    js = client.get(catalog, HTTP_ACCEPT_LANGUAGE=pseudo).content.decode()
    # The catalog is a script holding JSON (non-ASCII written as \u escapes): each word as it
    # reaches gettext(), and both forms of a plural for ngettext().
    wrapped = json.dumps("⟦%(name)s (scrolls sideways)⟧")
    assert f'"%(name)s (scrolls sideways)": {wrapped}' in js
    assert f'"%(count)s student": [\n      {json.dumps("⟦%(count)s student⟧")}' in js
    assert json.dumps("⟦%(count)s students⟧") in js
    assert json.dumps("⟦")[1:-1] not in client.get(catalog).content.decode()


def test_words_python_hands_to_the_pages_come_out_in_the_pseudo_language(client, world, pseudo):
    # Settings entries registered in the apps' ready() (gettext_lazy, read per request) and a
    # settings form's labels and help (tests/test_i18n_python.py checks they are marked).
    client.force_login(world.district_admin)
    home = client.get(reverse("settings_home"), HTTP_ACCEPT_LANGUAGE=pseudo).content.decode()
    assert "⟦Cut scores⟧" in home
    assert "⟦Decision rules⟧" in home
    form = client.get(reverse("marks_settings:rule"), HTTP_ACCEPT_LANGUAGE=pseudo)
    assert "⟦Lowest passing percent⟧" in form.content.decode()
    english = client.get(reverse("settings_home")).content.decode()
    assert "Cut scores" in english and "⟦" not in english


def test_a_dashboard_and_its_api_come_out_in_the_pseudo_language(client, world, pseudo):
    # The equity pipeline's step and group labels are catalog messages (gettext_noop where
    # written) read in the request's language: the page shows them wrapped, and the API
    # answers plain strings (pandas, plotly and JSON never see a lazy string) while its
    # keys and codes stay as they are.
    from tests.dashboards.conftest import build_dash

    dash = build_dash(world)
    client.force_login(world.district_admin)
    choices = {"step": "placed", "school": world.school.pk, "audience": "published"}
    html = client.get(
        reverse("dashboards:equity"), choices, HTTP_ACCEPT_LANGUAGE=pseudo
    ).content.decode()
    assert "⟦Placed in Tier 2/3 (given at risk)⟧" in html  # a step
    assert "⟦Hispanic/Latino⟧" in html  # a student group
    assert "⟦Students with an IEP⟧" in html
    english = client.get(reverse("dashboards:equity"), choices).content.decode()
    assert "Hispanic/Latino" in english and "⟦" not in english

    answer = client.get(
        "/api/v1/dashboards/equity/",
        {"step": "at_risk", "school": world.school.pk, "window": dash.fall.pk},
        HTTP_ACCEPT_LANGUAGE=pseudo,
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["step"] == "at_risk"
    assert body["all_students"]["group"] == "⟦All students⟧"
    assert "⟦Hispanic/Latino⟧" in {row["group"] for row in body["results"]}
    tiers = client.get("/api/v1/dashboards/tiers/", HTTP_ACCEPT_LANGUAGE=pseudo)
    assert tiers.status_code == 200


def test_equity_band_words_are_shown_translated_and_stay_codes_in_the_api(client, world, pseudo):
    # The bands and the small-cell marker are codes in the data, the CSV and the API; the
    # page says them in the reader's language (their msgid is the code, so English is as before).
    from dashboards import band_words, equity, suppression
    from tests.dashboards.conftest import build_dash

    codes = {getattr(equity, name) for name in dir(equity) if name.startswith("BAND_")}
    codes |= {suppression.SUPPRESSED, suppression.COMPLEMENT, suppression.CAUTION}
    assert codes == band_words.WORDS

    dash = build_dash(world)
    client.force_login(world.district_admin)
    choices = {"step": "at_risk", "school": world.school.pk, "window": dash.fall.pk}
    page = {**choices, "audience": "published"}
    url = reverse("dashboards:equity")
    html = client.get(url, page, HTTP_ACCEPT_LANGUAGE=pseudo).content.decode()
    english = client.get(url, page).content.decode()
    cells = {w: f"<td>{w}</td>" for w in (equity.BAND_NONE, equity.BAND_NOT_ENOUGH)}
    shown = {w for w, cell in cells.items() if cell in english}
    assert shown  # the English page prints the band as before
    for word in shown:
        assert f"<td>⟦{word}⟧</td>" in html
    assert "⟦n&lt;10⟧" in html  # the small-cell marker
    assert "⟦" not in english

    answer = client.get("/api/v1/dashboards/equity/", choices, HTTP_ACCEPT_LANGUAGE=pseudo)
    assert answer.status_code == 200
    body = answer.json()
    bands = {row["band"] for row in [body["all_students"], *body["results"]]}
    # The English codes, never wrapped ("" is the all-students row, which has no band).
    assert bands & band_words.WORDS and bands - {""} <= band_words.WORDS
    csv = client.get(url, {**page, "download": "equity"}, HTTP_ACCEPT_LANGUAGE=pseudo)
    text = csv.content.decode()
    assert any(f",{w}" in text for w in shown) and "⟦none⟧" not in text


def test_a_band_inside_a_sentence_is_worded_on_the_page_and_kept_as_a_code_in_the_csv(pseudo):
    # How the equity and three-years tables write "2.10 (over-represented)": the CSV row
    # keeps the code, the page's own wording goes in `page`; a count with the internal
    # caution keeps its number.
    from dashboards import band_words
    from dashboards.analysis.table import Column, Table

    table = Table(key="t", caption="", columns=[Column("group", "Group", False), Column("y0", "")])
    with translation.override(pseudo):
        table.add(
            {"group": "Boys", "y0": "2.10 (over-represented)"},
            {},
            page={"y0": f"2.10 ({band_words.shown('over-represented')})"},
        )
        table.add({"group": "Girls", "y0": "7 (small group: read with care)"}, {})
        page = [[band_words.shown(v) for v, _ in line["cells"]] for line in table.lines()]
    assert page == [
        ["Boys", "2.10 (⟦over-represented⟧)"],
        ["Girls", "7 (⟦small group: read with care⟧)"],
    ]
    assert [row[1] for row in table.csv_rows()[1:]] == [
        "2.10 (over-represented)",
        "7 (small group: read with care)",
    ]


def test_the_access_log_s_sentences_come_out_in_the_pseudo_language(client, world, pseudo):
    # Each row's "who" and "what" is one whole catalog sentence with named placeholders (the
    # list's items are a message of their own, so they come out wrapped inside it); a job's
    # name and the people's names are data and stay as they are.
    from students.audit import AuditContext, audit_record, audit_record_many

    audit_record_many(
        user=world.teacher,
        action="view",
        object_type="student",
        student_ids=[world.student.pk],
        detail={"via": "api", "list": True},
    )
    audit_record(
        user=None,
        action="create",
        object_type="flag",
        student=world.student,
        audit=AuditContext.system(via="nightly decision sweep"),
    )
    client.force_login(world.principal)
    page = reverse("student_access_log", args=[world.student.pk])
    html = client.get(page, HTTP_ACCEPT_LANGUAGE=pseudo).content.decode()
    assert "⟦Read through the API, in a list of ⟦students⟧⟧" in html
    assert "⟦The platform (nightly decision sweep)⟧" in html
    assert "⟦Created flag⟧" in html
    teacher = world.teacher
    assert f"⟦{teacher.get_full_name()} ({teacher.username})⟧" in html
    english = client.get(page).content.decode()
    assert "Read through the API, in a list of students" in english
    assert "The platform (nightly decision sweep)" in english
    assert "⟦" not in english
