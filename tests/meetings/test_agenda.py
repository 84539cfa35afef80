"""The agenda builder (meetings.agenda), without a database."""

from __future__ import annotations

import datetime as dt

from meetings.agenda import (
    ConcernRow,
    FlagRow,
    PlanRow,
    ScoreRow,
    build_agenda,
    plan_is_due,
    screening_summary,
)

MEETING = dt.date(2027, 1, 20)
T0 = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


def at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


NAMES = {
    1: "Adams Amy",
    2: "Brown Ben",
    3: "Cruz Cara",
    4: "Diaz Dan",
    5: "Evans Eve",
    6: "Ford Finn",
    7: "Garcia Maria",
}


def order(items) -> list[int]:
    return [i.student_id for i in items]


def test_it_puts_tier3_and_change_first_then_tier2_exits_raise_goal_reviews_concerns():
    flags = [
        FlagRow(1, 1, "progress_raise_goal", 2, "reading", at(0)),
        FlagRow(2, 2, "screening_risk", 2, "reading", at(0)),
        FlagRow(3, 3, "progress_exit", 2, "math", at(0)),
        FlagRow(4, 4, "screening_risk", 3, "reading", at(5)),
        FlagRow(5, 5, "progress_change_intervention", 2, "reading", at(1)),
    ]
    plans = [PlanRow(10, 6, 2, MEETING - dt.timedelta(weeks=7))]
    concerns = [ConcernRow(20, 7, at(2))]
    items = build_agenda(
        flags=flags, plans=plans, concerns=concerns, names=NAMES, meeting_date=MEETING
    )
    # Tier 3 (Diaz, tier 3) before change of intervention (Evans, tier 2) within group 0;
    # then Tier 2 (Brown), exit (Cruz), raise goal (Adams), plan review (Ford), concern (Garcia).
    assert order(items) == [4, 5, 2, 3, 1, 6, 7]
    assert [i.priority for i in items] == [0, 0, 1, 2, 3, 4, 5]


def test_it_makes_one_item_per_student_with_all_their_flags_plans_and_concerns():
    flags = [
        FlagRow(1, 1, "screening_risk", 2, "reading", at(3)),
        FlagRow(2, 1, "odr", 3, "behavior", at(1)),
        FlagRow(3, 1, "october_catch", 2, "behavior", at(2)),
        FlagRow(4, 2, "screening_risk", 2, "math", at(0)),
    ]
    plans = [PlanRow(10, 1, 2, MEETING - dt.timedelta(days=3))]  # reviewed recently
    concerns = [ConcernRow(20, 1, at(4)), ConcernRow(21, 1, at(5))]
    items = build_agenda(
        flags=flags, plans=plans, concerns=concerns, names=NAMES, meeting_date=MEETING
    )
    assert order(items) == [1, 2]
    amy = items[0]
    assert sorted(amy.flag_ids) == [1, 2, 3]
    assert amy.concern_ids == [20, 21]
    # Not due for review, but it rides along: the team looks at the student's plan anyway.
    assert amy.plan_ids == [10]
    # The most urgent source decides the group: the Tier 3 referral flag.
    assert amy.priority == 0
    assert "Tier 3 or change of intervention recommended" in amy.reason
    assert "Concern raised by a teacher" in amy.reason


def test_it_orders_ties_by_tier_then_who_waited_longest_then_name():
    flags = [
        FlagRow(1, 3, "screening_risk", 2, "reading", at(2)),
        FlagRow(2, 2, "screening_risk", 2, "reading", at(2)),
        FlagRow(3, 1, "screening_risk", 2, "reading", at(9)),
        FlagRow(4, 4, "screening_risk", 2, "reading", at(1)),
    ]
    items = build_agenda(flags=flags, plans=[], concerns=[], names=NAMES, meeting_date=MEETING)
    # Diaz waited since day 1; Brown and Cruz since day 2 (alphabetical); Adams since day 9.
    assert order(items) == [4, 2, 3, 1]


def test_it_proposes_a_plan_for_review_only_after_six_weeks_without_one():
    due = PlanRow(10, 1, 2, MEETING - dt.timedelta(weeks=6))
    not_due = PlanRow(11, 2, 2, MEETING - dt.timedelta(weeks=6) + dt.timedelta(days=1))
    items = build_agenda(
        flags=[], plans=[due, not_due], concerns=[], names=NAMES, meeting_date=MEETING
    )
    assert order(items) == [1]
    assert items[0].plan_ids == [10]
    assert plan_is_due(
        last_reviewed=dt.date(2027, 1, 1), meeting_date=dt.date(2027, 1, 22), review_weeks=3
    )
    assert not plan_is_due(
        last_reviewed=dt.date(2027, 1, 2), meeting_date=dt.date(2027, 1, 22), review_weeks=3
    )


def test_it_leaves_out_students_already_on_the_agenda():
    flags = [
        FlagRow(1, 1, "screening_risk", 3, "reading", at(0)),
        FlagRow(2, 2, "screening_risk", 2, "reading", at(0)),
    ]
    items = build_agenda(
        flags=flags,
        plans=[],
        concerns=[],
        names=NAMES,
        meeting_date=MEETING,
        exclude_student_ids=[1],
    )
    assert order(items) == [2]


def test_it_returns_an_empty_agenda_when_there_is_nothing_to_discuss():
    assert build_agenda(flags=[], plans=[], concerns=[], names={}, meeting_date=MEETING) == []


def test_it_summarises_the_grade_by_measure_and_risk_level():
    scores = [
        ScoreRow(1, 101, "at_or_above"),
        ScoreRow(1, 102, "some_risk"),
        ScoreRow(1, 103, "high_risk"),
        ScoreRow(1, 104, "at_or_above"),
        ScoreRow(2, 101, "at_or_above"),
        ScoreRow(2, 102, ""),
    ]
    summary = screening_summary(scores=scores, measures={1: "ORF", 2: "Math CBM"}, enrolled=5)
    orf, math = summary
    assert (orf.screened, orf.not_screened, orf.at_or_above, orf.some_risk, orf.high_risk) == (
        4,
        1,
        2,
        1,
        1,
    )
    assert (math.screened, math.not_screened, math.at_or_above, math.unclassified) == (2, 3, 1, 1)
    assert orf.share(orf.at_or_above) == 0.5
    empty = screening_summary(scores=[], measures={3: "Maze"}, enrolled=5)[0]
    assert empty.share(empty.at_or_above) is None
