"""Minutes text (meetings.minutes), without a database."""

from __future__ import annotations

import datetime as dt

from meetings.minutes import (
    ActionRow,
    DecisionRow,
    MinutesInput,
    build_minutes,
    decision_sentence,
    minutes_csv_rows,
    minutes_text,
)


def test_it_writes_a_placement_as_the_team_would_say_it():
    row = DecisionRow(
        student="Maria G.",
        type="place_tier2",
        domain="reading",
        tier=2,
        intervention="Read Naturally",
        interventionist="Ms. Lee",
        sessions_per_week=4,
        minutes_per_session=30,
        start_date=dt.date(2027, 1, 12),
        review_date=dt.date(2027, 2, 23),
    )
    assert decision_sentence(row) == (
        "Maria G. will receive Read Naturally (Tier 2) from Ms. Lee, 4x30 min a week, "
        "starting 12 Jan; next review 23 Feb."
    )


def test_it_writes_every_decision_type():
    base = dict(student="Ben C.", domain="reading", intervention="Phonics", tier=2)
    sentences = {
        t: decision_sentence(DecisionRow(type=t, **base))
        for t in ("continue", "exit", "refer_evaluation", "monitor", "dismiss_flag")
    }
    assert sentences["continue"] == "Ben C. will continue Phonics (Tier 2)."
    assert sentences["exit"] == "Ben C. exits Phonics and returns to Tier 1 in reading."
    assert sentences["refer_evaluation"] == "Ben C. is referred for a special-education evaluation."
    assert sentences["monitor"] == "Ben C. will be monitored in reading without a new plan."
    assert sentences["dismiss_flag"] == "The team dismissed the flag for Ben C."
    intensify = DecisionRow(
        type="intensify",
        student="Ben C.",
        intervention="Phonics",
        tier=3,
        sessions_per_week=5,
        minutes_per_session=45,
        review_date=dt.date(2027, 3, 1),
    )
    assert decision_sentence(intensify) == (
        "Ben C.'s support is intensified (Phonics, now Tier 3, 5x45 min a week); next review 1 Mar."
    )


def test_it_marks_a_decision_against_the_rules_with_the_reason():
    row = DecisionRow(
        student="Liam S.",
        type="monitor",
        domain="behavior",
        is_override=True,
        recommendation="Tier 3",
        rationale="Referrals were all in one week of a family crisis.",
    )
    assert decision_sentence(row) == (
        "Liam S. will be monitored in behavior without a new plan. Against the rules' "
        "recommendation (Tier 3): Referrals were all in one week of a family crisis."
    )


def test_it_builds_minutes_with_attendees_decisions_and_action_items():
    data = MinutesInput(
        title="Problem-solving team meeting",
        school="Maple Elementary",
        scheduled_at=dt.datetime(2027, 1, 12, 15, 30),
        facilitator="Mr. Ortiz",
        attendees=["Mr. Ortiz", "Ms. Brown"],
        decisions=[
            DecisionRow(student="Maria G.", type="refer_evaluation", rationale="Parent request")
        ],
        action_items=[
            ActionRow(
                owner="Ms. Brown",
                description="Call the family",
                due_date=dt.date(2027, 1, 19),
                student="Maria G.",
            )
        ],
    )
    minutes = build_minutes(data)
    assert minutes["date"] == "12 January 2027"
    assert minutes["attendees"] == ["Mr. Ortiz", "Ms. Brown"]
    text = minutes_text(minutes)
    assert "Facilitator: Mr. Ortiz" in text
    assert "- Maria G. is referred for a special-education evaluation. Why: Parent request" in text
    assert "- Call the family (Maria G.) - Ms. Brown, due 19 Jan" in text
    rows = list(minutes_csv_rows(minutes))
    assert rows[0] == (
        "section",
        "student",
        "text",
        "owner",
        "due_date",
        "rationale",
        "against_rule",
    )
    assert ("action_item", "Maria G.", "Call the family", "Ms. Brown", "2027-01-19", "", "") in rows
    assert sum(1 for r in rows if r[0] == "attendee") == 2
