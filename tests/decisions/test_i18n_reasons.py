"""The sentences the services build (a flag's reason and recommendation, a plan's progress
decision) go through the message catalog and write numbers the way the language does.

Served in the pseudo-language of tests/test_i18n_pseudo.py (every catalog message wrapped in
⟦ ⟧), each sentence comes out wrapped, its pieces too, with the numbers and names left as they
are: proof that the words are catalog messages, not English built in code. Spanish (a real
locale) shows the numbers: a decimal comma and a space before the percent sign. The English
wording is checked by tests/interventions/test_explain.py and tests/indicators/test_ew_rules.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import translation

from decisions.models import Flag
from decisions.sweep import sweep
from indicators.explain import explain_attendance
from interventions.analysis import PlanFacts, ProgressPoint, SessionLog, analyze_plan
from interventions.explain import explain_analysis
from meetings.minutes import DecisionRow, decision_sentence
from tests.decisions.conftest import AS_OF
from tests.test_i18n_pseudo import pseudo  # noqa: F401  (the fixture)

START = date(2024, 9, 2)  # a Monday

# 25 of 76 days missed = 32.89...%: over the 10% line, under the 35% severe line.
ABSENT = {
    "rule": "chronic_absence",
    "days_absent": 25,
    "days_enrolled": 76,
    "absence_share": 25 / 76,
    "chronic_at": 0.1,
    "severe_at": 0.35,
}


def _trend_below_the_aim():
    """Scores 40, 40.8, 41.6 ... weekly against an aim of 1.5 a week: change the plan
    (tests/interventions/test_explain.py works out the same numbers in English)."""
    facts = PlanFacts(
        phase_start=START,
        baseline=40.0,
        goal=70.0,
        goal_date=START + timedelta(weeks=20),
        as_of=date(2024, 12, 20),
        sessions_per_week=3,
        sessions=[
            SessionLog(START + timedelta(days=7 * w + d)) for w in range(10) for d in (0, 2, 4)
        ],
    )
    points = [ProgressPoint(START + timedelta(weeks=w), 40 + 0.8 * w) for w in range(8)]
    return analyze_plan(facts, points)


@pytest.mark.django_db
def test_a_flag_page_writes_its_reason_in_the_page_language(sweep_world, pseudo):  # noqa: F811
    sweep(district_id=sweep_world.world.district.pk, as_of=AS_OF, triggered_by="manual")
    flag = Flag.objects.get(student=sweep_world.maria, kind="screening_risk")
    client = Client()
    client.force_login(sweep_world.world.team_member)

    html = client.get(f"/flags/{flag.pk}/", HTTP_ACCEPT_LANGUAGE=pseudo).content.decode()

    page = " ".join(html.split())
    # The clause, the season, the grade, the cut-score set and the recommendation are each a
    # message; the measure's name and the scores are data.
    assert (
        "⟦⟦⟦Oral reading fluency 38 in ⟦fall⟧⟧ is below the cut point for risk 55 "
        "(⟦grade 3⟧, ⟦cut-score set v1⟧)⟧: ⟦Tier 3 recommended⟧.⟧" in page
    )
    english = " ".join(client.get(f"/flags/{flag.pk}/").content.decode().split())
    assert "⟦" not in english
    assert (
        "Oral reading fluency 38 in fall is below the cut point for risk 55 (grade 3, "
        "cut-score set v1): Tier 3 recommended." in english
    )


def test_an_attendance_reason_and_recommendation_are_catalog_messages(pseudo):  # noqa: F811
    with translation.override(pseudo):
        text = explain_attendance(ABSENT)

    assert text == (
        "⟦Missed 25 of ⟦76 school days⟧ enrolled (⟦32.9%⟧), at or above the chronic-absence "
        "line of ⟦10%⟧: Tier 2 recommended.⟧"
    )


def test_a_progress_decision_is_written_from_catalog_messages(pseudo):  # noqa: F811
    with translation.override(pseudo):
        text = explain_analysis(_trend_below_the_aim(), unit="words")

    assert text == (
        "⟦8 points since ⟦2 Sep⟧.⟧ "
        "⟦⟦Trend +0.80 ⟦words/week⟧ is below the aim of 1.50 minus the tolerance of 0.50 "
        "(1.00)⟧: ⟦change the intervention⟧.⟧ "
        "⟦Sessions: 22 delivered, 21.4 planned (fidelity ⟦100%⟧).⟧"
    )


def test_a_minutes_sentence_places_its_optional_parts_by_placeholder(pseudo):  # noqa: F811
    row = DecisionRow(
        student="Maria G.",
        type="place_tier2",
        intervention="Read Naturally",
        interventionist="Ms. Lee",
        sessions_per_week=4,
        minutes_per_session=30,
        start_date=date(2027, 1, 12),
        review_date=date(2027, 2, 23),
    )
    with translation.override(pseudo):
        text = decision_sentence(row)

    # One message for the sentence; each optional part a whole phrase of its own.
    assert text == (
        "⟦Maria G. will receive Read Naturally (Tier 2)⟦ from Ms. Lee⟧, "
        "⟦4x30 min a week⟧⟦, starting ⟦12 Jan⟧⟧⟦; next review ⟦23 Feb⟧⟧⟧."
    )


def test_numbers_in_the_sentences_follow_the_locale():
    # Only English ships for staff pages, so the words stay English here; the numbers
    # already follow the Spanish locale (decimal comma, "32,9 %").
    with translation.override("es"):
        absent = explain_attendance(ABSENT)
        progress = explain_analysis(_trend_below_the_aim(), unit="words")

    assert "(32,9 %), at or above the chronic-absence line of 10 %" in absent
    assert "Trend +0,80 words/week is below the aim of 1,50 minus the tolerance of 0,50 (1,00)" in (
        progress
    )
    assert "Sessions: 22 delivered, 21,4 planned (fidelity 100 %)." in progress
    assert progress.startswith("8 points since 2 Sep.")  # Spanish abbreviates September "Sep"
