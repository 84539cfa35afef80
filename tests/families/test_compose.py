"""The words of each letter, in English and in Spanish, from hand-written facts: every
decision type, dates and numbers in the family's locale, no codes, no English in Spanish."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from families.compose import (
    LetterFacts,
    ProgressFacts,
    compose_letter,
    compose_progress_report,
)
from families.models import LetterKind

FACTS = LetterFacts(
    student_name="Maria",
    recipients=["Rosa Garcia"],
    school_name="Maple Elementary",
    domain="reading",
    tier=2,
    intervention="Read Naturally",
    interventionist="Ms. Nguyen",
    sessions_per_week=4,
    minutes_per_session=30,
    planned_weeks=10,
    start_date=dt.date(2026, 9, 15),
    review_date=dt.date(2026, 11, 10),
    student_goal="Leer un libro entero yo sola",
    contact_name="Ms. Nguyen",
    contact_email="nguyen@example.org",
)

# Words that give away English left in a Spanish letter (names and the program's name,
# given in quotes, are removed first).
ENGLISH = re.compile(
    r"\b(the|and|will|with|week|weeks|help|dear|sincerely|progress|team|school|starts|goal|"
    r"reading|check|times|minutes|your|please|contact|questions|we|our)\b",
    re.IGNORECASE,
)


def spanish_words(text: str) -> str:
    text = re.sub(r"“[^”]*”", "", text)
    for name in ("Maria", "Rosa Garcia", "Ms. Nguyen", "Maple Elementary", "nguyen@example.org"):
        text = text.replace(name, "")
    return text


KINDS = [
    LetterKind.PLAN_START,
    LetterKind.PLAN_CHANGE,
    LetterKind.PLAN_INTENSIFY,
    LetterKind.PLAN_END,
]


@pytest.mark.parametrize("kind", KINDS)
def test_no_english_is_left_in_a_spanish_letter(kind):
    subject, body = compose_letter(kind, FACTS, "es")
    assert ENGLISH.findall(spanish_words(subject + "\n" + body)) == []
    assert body.startswith("A la atención de Rosa Garcia:")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_no_codes_reach_a_family(kind, language):
    _, body = compose_letter(kind, FACTS, language)
    assert not re.search(r"\b(Tier|Nivel|ORF|tier_?\d|RTI|MTSS)\b", body)


def test_the_start_letter_in_english_says_who_how_often_how_long_and_when():
    subject, body = compose_letter(LetterKind.PLAN_START, FACTS, "en")
    assert subject == "Extra help for Maria at school"
    paragraphs = body.split("\n\n")
    assert paragraphs[0] == "Dear Rosa Garcia,"
    assert "would benefit from extra help with reading" in paragraphs[1]
    assert paragraphs[2] == (
        "Maria will work in a small group on reading with Ms. Nguyen. The program is called "
        "“Read Naturally”. The sessions take place 4 times a week, 30 minutes each time. We "
        "plan this support for about 10 weeks. It starts on September 15, 2026."
    )
    assert "every one or two weeks" in paragraphs[3]
    assert paragraphs[4] == (
        "The school team will look at Maria's progress again around November 10, 2026."
    )
    assert paragraphs[5] == "In Maria's own words, the goal is: “Leer un libro entero yo sola”"
    assert "nguyen@example.org" in paragraphs[6]
    assert paragraphs[7] == "Sincerely,\nMs. Nguyen"


def test_the_start_letter_in_spanish_has_spanish_dates():
    subject, body = compose_letter(LetterKind.PLAN_START, FACTS, "es")
    assert subject == "Apoyo adicional para Maria en la escuela"
    paragraphs = body.split("\n\n")
    assert paragraphs[0] == "A la atención de Rosa Garcia:"
    assert paragraphs[2] == (
        "Maria trabajará la lectura en un grupo pequeño con Ms. Nguyen. El programa se llama "
        "“Read Naturally”. Las sesiones son 4 veces por semana, de 30 minutos cada una. "
        "Tenemos previsto este apoyo durante unas 10 semanas. Empieza el 15 de septiembre "
        "de 2026."
    )
    assert "10 de noviembre de 2026" in paragraphs[4]


def test_one_session_a_week_is_singular_in_both_languages():
    one = LetterFacts(**{**FACTS.__dict__, "sessions_per_week": 1, "planned_weeks": 1})
    _, en = compose_letter(LetterKind.PLAN_START, one, "en")
    _, es = compose_letter(LetterKind.PLAN_START, one, "es")
    assert "1 time a week" in en and "about 1 week." in en
    assert "1 vez por semana" in es and "1 semana." in es


def test_tier_3_is_individual_help_and_weekly_checks():
    three = LetterFacts(**{**FACTS.__dict__, "tier": 3})
    _, en = compose_letter(LetterKind.PLAN_INTENSIFY, three, "en")
    assert "individually or in a very small group" in en
    assert "every week" in en
    assert "slower than we hoped" in en
    _, es = compose_letter(LetterKind.PLAN_INTENSIFY, three, "es")
    assert "de forma individual o en un grupo muy pequeño" in es
    assert "cada semana" in es


def test_fading_and_ending_say_so_in_plain_words():
    fade = LetterFacts(**{**FACTS.__dict__, "fading": True})
    _, en = compose_letter(LetterKind.PLAN_CHANGE, fade, "en")
    assert "now needs less extra help" in en
    subject, end = compose_letter(LetterKind.PLAN_END, FACTS, "es")
    assert subject == "Maria ha terminado el apoyo adicional"
    assert "El apoyo adicional terminó el 15 de septiembre de 2026." in end


def test_a_letter_to_nobody_in_particular_greets_the_family():
    nobody = LetterFacts(**{**FACTS.__dict__, "recipients": []})
    _, en = compose_letter(LetterKind.PLAN_START, nobody, "en")
    _, es = compose_letter(LetterKind.PLAN_START, nobody, "es")
    assert en.startswith("Dear family of Maria,")
    assert es.startswith("Estimada familia de Maria:")


@pytest.mark.parametrize(
    "recommendation",
    [
        "insufficient_data",
        "continue",
        "raise_goal",
        "change_intervention",
        "improve_fidelity",
        "exit",
    ],
)
def test_progress_reports_put_the_recommendation_in_plain_words(recommendation):
    facts = ProgressFacts(
        letter=FACTS,
        recommendation=recommendation,
        latest_score=54.5,
        latest_date=dt.date(2026, 10, 20),
        goal=72,
        goal_date=dt.date(2027, 2, 1),
        points=7,
        sessions_attended=21,
    )
    subject, es = compose_progress_report(facts, "es")
    assert ENGLISH.findall(spanish_words(subject + es)) == []
    assert "El 20 de octubre de 2026, Maria obtuvo 54,5 puntos." in es
    assert "La meta es 72 para el 1 de febrero de 2027." in es
    assert "Maria ha asistido a 21 sesiones hasta ahora." in es
    _, en = compose_progress_report(facts, "en")
    assert "On October 20, 2026, Maria's score was 54.5. The goal is 72 by February 1, 2027." in en
