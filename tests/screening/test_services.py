"""Score, window, cut-score, rating and referral services against a real database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mtss.errors import ApplicationError
from screening import services
from screening.models import (
    BehaviorRating,
    CutScore,
    CutScoreSet,
    Measure,
    Referral,
    ScoreChange,
    ScreeningScore,
)
from screening.services import ScoreInput
from students.access import memberships_of
from students.models import AccessLog
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


def record(world, screening, value, *, student=None, measure=None, window=None, by=None):
    return services.score_record(
        student=student or world.student,
        measure=measure or screening.orf,
        window=window or screening.fall,
        value=value,
        entered_by=by or world.teacher,
    )


# -- classification --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("70", "at_or_above"), ("69", "some_risk"), ("55", "some_risk"), ("54", "high_risk")],
)
def test_it_classifies_a_score_at_the_boundaries_of_the_district_set(
    world, screening, value, expected
):
    score = record(world, screening, value)
    assert score.risk_level == expected
    assert score.cut_score_set_id == screening.orf_set.pk
    assert score.cut_score_version == 1
    assert score.grade == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5", "at_or_above"), ("6", "some_risk"), ("12", "some_risk"), ("13", "high_risk")],
)
def test_it_mirrors_the_bands_for_a_lower_is_better_measure(world, screening, value, expected):
    assert record(world, screening, value, measure=screening.errors).risk_level == expected


def test_it_gives_no_risk_level_when_no_cut_score_applies(world, screening):
    fourth_grader = StudentFactory(school=world.school, grade=4)
    EnrollmentFactory(student=fourth_grader, section=world.section)
    score = record(world, screening, "30", student=fourth_grader)
    assert score.risk_level is None
    assert score.cut_score_set_id is None
    assert score.score == Decimal("30.00")


def test_it_uses_the_reference_norms_when_the_district_has_no_set(world, screening):
    orf = Measure.objects.get(district=None, code="orf-wcpm")
    screening.winter.is_open = True
    screening.winter.save()
    # Hasbrouck & Tindal grade 3 winter: 25th percentile 79, 10th percentile 62.
    expected = {"79": "at_or_above", "78": "some_risk", "62": "some_risk", "61": "high_risk"}
    for value, level in expected.items():
        score = record(world, screening, value, measure=orf, window=screening.winter)
        assert score.risk_level == level, value
        assert score.cut_score_set.district_id is None


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("251", "Oral reading fluency scores go from 0 to 250; 251 is outside that range."),
        ("-1", "Oral reading fluency scores go from 0 to 250; -1 is outside that range."),
        ("abc", "'abc' is not a number. Enter a number, like 42."),
        ("", "Enter a number."),
        (None, "Enter a number."),
        ("12.345", "Use at most 2 decimal places."),
        ("NaN", "'NaN' is not a number. Enter a number, like 42."),
        ("1e400", "Oral reading fluency scores go from 0 to 250;"),
    ],
)
def test_it_refuses_a_bad_value_and_saves_nothing(world, screening, value, message):
    with pytest.raises(ValidationError) as caught:
        record(world, screening, value)
    assert message in caught.value.message_dict["score"][0]
    assert ScreeningScore.objects.count() == 0
    assert not AccessLog.objects.filter(object_type="screening_score").exists()


def test_it_refuses_a_student_outside_the_measures_grades(world, screening):
    kindergartner = StudentFactory(school=world.school, grade=0)
    EnrollmentFactory(student=kindergartner, section=world.section)
    with pytest.raises(ValidationError) as caught:
        record(world, screening, "20", student=kindergartner)
    assert caught.value.message_dict["measure"] == [
        "Oral reading fluency is for grades 1 to 6; this student is in grade K."
    ]


def test_it_refuses_a_student_the_teacher_does_not_teach(world, screening):
    with pytest.raises(ValidationError) as caught:
        record(world, screening, "80", student=world.classmate)
    assert caught.value.message_dict["student"] == ["There is no such student among yours."]
    assert ScreeningScore.objects.count() == 0


def test_it_refuses_teachers_in_a_closed_window_but_lets_the_principal_enter_late(world, screening):
    with pytest.raises(ValidationError) as caught:
        record(world, screening, "80", window=screening.winter)
    assert (
        "The Winter 2026-2027 screening window is closed"
        in (caught.value.message_dict["window"][0])
    )
    score = record(world, screening, "80", window=screening.winter, by=world.principal)
    assert score.entered_by == world.principal


# -- re-entry and audit ---------------------------------------------------------------------


def test_it_updates_a_re_entered_score_and_keeps_the_change(world, screening):
    first = record(world, screening, "54")
    second = record(world, screening, "71", by=world.principal)
    assert second.pk == first.pk
    assert ScreeningScore.objects.count() == 1
    assert second.risk_level == "at_or_above"
    change = ScoreChange.objects.get()
    assert (change.old_value, change.new_value) == (Decimal("54"), Decimal("71"))
    assert (change.old_risk_level, change.new_risk_level) == ("high_risk", "at_or_above")
    assert change.changed_by == world.principal
    log = list(
        AccessLog.objects.filter(object_type="screening_score")
        .order_by("id")
        .values_list("action", "user__username", "student_id")
    )
    assert log == [
        ("create", "teacher", world.student.pk),
        ("update", "principal", world.student.pk),
    ]


def test_it_writes_nothing_when_the_same_score_is_entered_again(world, screening):
    record(world, screening, "60")
    record(world, screening, "60.00")
    assert ScoreChange.objects.count() == 0
    assert AccessLog.objects.filter(object_type="screening_score").count() == 1


def test_it_moves_the_current_windows_scores_to_a_new_active_version_only(world, screening):
    # Decided with the district settings (issue 17): switching a version on classifies the
    # current window's scores again (so the what-if preview and the switch agree); scores of
    # other windows keep the version that classified them. Today (Dec 2026) fall is current.
    current = record(world, screening, "65")  # v1 fall 70/55 -> some risk
    other = record(world, screening, "80", window=screening.winter, by=world.district_admin)
    assert (other.risk_level, other.cut_score_version) == ("some_risk", 1)  # winter 86/68
    v2 = services.cut_score_set_revise(
        cut_score_set=screening.orf_set,
        rows=[{"grade": 3, "season": "fall", "benchmark": "60", "high_risk_cut": "45"}],
        actor=world.district_admin,
        activate=True,
    )
    assert v2.version == 2 and v2.is_active
    current.refresh_from_db()
    other.refresh_from_db()
    assert (current.risk_level, current.cut_score_version) == ("at_or_above", 2)
    assert (other.risk_level, other.cut_score_version) == ("some_risk", 1)
    new = record(world, screening, "65", student=_second_student(world))
    assert (new.risk_level, new.cut_score_version) == ("at_or_above", 2)


def test_it_keeps_a_draft_version_off_until_it_is_activated(world, screening):
    current = record(world, screening, "65")
    draft = services.cut_score_set_revise(
        cut_score_set=screening.orf_set,
        rows=[{"grade": 3, "season": "fall", "benchmark": "60", "high_risk_cut": "45"}],
        reason="Local norms",
        activate=False,
        actor=world.district_admin,
    )
    assert (draft.version, draft.is_active, draft.notes) == (2, False, "Local norms")
    current.refresh_from_db()
    assert (current.risk_level, current.cut_score_version) == ("some_risk", 1)
    services.cut_score_set_activate(cut_score_set=draft, actor=world.district_admin)
    current.refresh_from_db()
    assert (current.risk_level, current.cut_score_version) == ("at_or_above", 2)
    assert (
        AccessLog.objects.filter(object_type="cut_score_set", object_id=str(draft.pk)).count() == 2
    )


def test_it_refuses_a_revision_without_a_reason_or_without_a_change(world, screening):
    with pytest.raises(ValidationError) as exc:
        services.cut_score_set_revise(
            cut_score_set=screening.orf_set, rows=[], reason=" ", actor=world.district_admin
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.cut_score_set_revise(
            cut_score_set=screening.orf_set, rows=[], reason="same", actor=world.district_admin
        )
    assert "already" in " ".join(exc.value.messages)


def _second_student(world):
    s = StudentFactory(school=world.school, grade=3)
    EnrollmentFactory(student=s, section=world.section)
    return s


# -- bulk ---------------------------------------------------------------------------------


def _class_of(world, n):
    students = [StudentFactory(school=world.school, grade=3) for _ in range(n)]
    for s in students:
        EnrollmentFactory(student=s, section=world.section)
    return students


def _bulk(world, screening, students, values):
    return services.scores_bulk_record(
        rows=[
            ScoreInput(student=s, measure=screening.orf, window=screening.fall, value=v)
            for s, v in zip(students, values, strict=True)
        ],
        entered_by=world.teacher,
    )


def test_it_saves_a_whole_class_in_the_same_number_of_queries_whatever_its_size(world, screening):
    small, large = _class_of(world, 3), _class_of(world, 30)
    memberships_of(world.teacher)  # the per-request roles cache, warm as in a request
    counts = []
    for students in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            result = _bulk(world, screening, students, [str(60 + i) for i in range(len(students))])
        counts.append(len(ctx.captured_queries))
        assert result.created == len(students)
    # Re-entry of the whole large class: updates, change rows, logs, still constant.
    with CaptureQueriesContext(connection) as ctx:
        result = _bulk(world, screening, large, [str(40 + i) for i in range(30)])
    assert result.updated == 30
    assert ScoreChange.objects.count() == 30
    assert counts[0] == counts[1]
    assert len(ctx.captured_queries) <= counts[1] + 3  # + bulk_update and change rows
    assert len(ctx.captured_queries) <= 20


def test_it_saves_nothing_from_a_batch_with_one_bad_row(world, screening):
    students = _class_of(world, 3)
    with pytest.raises(ValidationError) as caught:
        _bulk(world, screening, students, ["60", "600", "70"])
    assert caught.value.message_dict["rows"] == [
        "Item 2: Oral reading fluency scores go from 0 to 250; 600 is outside that range."
    ]
    assert ScreeningScore.objects.count() == 0


def test_it_saves_the_good_rows_and_lists_the_bad_ones_when_asked(world, screening):
    students = _class_of(world, 3)
    result = services.scores_bulk_record(
        rows=[
            ScoreInput(student=s, measure=screening.orf, window=screening.fall, value=v, row=i + 2)
            for i, (s, v) in enumerate(zip(students, ["60", "x", "70"], strict=True))
        ],
        entered_by=world.teacher,
        partial=True,
    )
    assert result.created == 2
    assert [(e.row, e.message()) for e in result.errors] == [
        (3, "'x' is not a number. Enter a number, like 42.")
    ]
    assert ScreeningScore.objects.count() == 2


def test_it_refuses_the_same_student_twice_in_one_batch(world, screening):
    with pytest.raises(ValidationError) as caught:
        _bulk(world, screening, [world.student, world.student], ["60", "61"])
    assert caught.value.message_dict["rows"] == [
        "Item 2: This student already has a Oral reading fluency score earlier in this list "
        "(item 1)."
    ]


# -- big batches: COPY instead of INSERT ----------------------------------------------------


def _recent(moment: dt.datetime) -> bool:
    return abs(timezone.now() - moment) < dt.timedelta(minutes=5)


def test_it_writes_a_batch_past_the_copy_threshold_like_a_small_one(world, screening, settings):
    settings.SCORE_COPY_MIN_ROWS = 2  # three new scores: written with COPY
    students = _class_of(world, 3)
    result = _bulk(world, screening, students, ["54", "69", "70"])
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    # Grade 3 fall cuts: benchmark 70, high risk below 55. Ranks in a group of three:
    # 100 * 0.5 / 3 = 16.7 -> 17, 100 * 1.5 / 3 = 50, 100 * 2.5 / 3 = 83.3 -> 83.
    got = [
        (s.student_id, s.score, s.risk_level, s.percentile_rank, s.cut_score_version)
        for s in result.scores
    ]
    assert got == [
        (students[0].pk, Decimal("54"), "high_risk", 17, 1),
        (students[1].pk, Decimal("69"), "some_risk", 50, 1),
        (students[2].pk, Decimal("70"), "at_or_above", 83, 1),
    ]
    saved = ScreeningScore.objects.filter(student__in=students).order_by("score")
    assert [s.pk for s in saved] == [s.pk for s in result.scores]
    for score in saved:
        assert (score.source, score.entered_by_id, score.grade) == ("entered", world.teacher.pk, 3)
        assert score.behavior_rating_id is None
        assert _recent(score.entered_at) and _recent(score.updated_at)
    log = list(
        AccessLog.objects.filter(object_type="screening_score")
        .order_by("student_id")
        .values_list("action", "user__username", "object_id", "student_id", "detail", "purpose")
    )
    assert log == [
        ("create", "teacher", str(s.pk), s.pk, {}, "") for s in sorted(students, key=lambda s: s.pk)
    ]
    assert all(_recent(at) for at in AccessLog.objects.values_list("at", flat=True))


def test_it_logs_and_keeps_every_change_of_a_big_re_entry(world, screening, settings):
    settings.SCORE_COPY_MIN_ROWS = 2
    students = _class_of(world, 3)
    _bulk(world, screening, students, ["54", "69", "70"])
    result = services.scores_bulk_record(
        rows=[
            ScoreInput(student=s, measure=screening.orf, window=screening.fall, value=v)
            for s, v in zip(students, ["56", "69", "40"], strict=True)
        ],
        entered_by=world.principal,
    )
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert sorted(ScoreChange.objects.values_list("old_value", "new_value")) == [
        (Decimal("54"), Decimal("56")),
        (Decimal("70"), Decimal("40")),
    ]
    updates = AccessLog.objects.filter(object_type="screening_score", action="update")
    assert sorted(updates.values_list("user__username", "student_id")) == [
        ("principal", students[0].pk),
        ("principal", students[2].pk),
    ]


def test_it_leaves_nothing_of_a_copied_batch_when_the_callers_transaction_rolls_back(
    world, screening, settings
):
    settings.SCORE_COPY_MIN_ROWS = 2
    students = _class_of(world, 3)
    with pytest.raises(RuntimeError), transaction.atomic():
        _bulk(world, screening, students, ["54", "69", "70"])
        raise RuntimeError("a later chunk of the import failed")
    assert ScreeningScore.objects.count() == 0
    assert AccessLog.objects.filter(object_type="screening_score").count() == 0


@pytest.mark.parametrize("copy_min_rows", [2, 1000], ids=["copy", "insert"])
def test_it_raises_a_database_failure_as_djangos_error_and_saves_nothing(
    world, screening, settings, copy_min_rows
):
    settings.SCORE_COPY_MIN_ROWS = copy_min_rows
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(
            """
            CREATE FUNCTION pg_test_refuse_66() RETURNS trigger AS $$
            BEGIN
                IF NEW.score = 66 THEN RAISE EXCEPTION 'simulated disk failure'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER pg_test_refuse_66 BEFORE INSERT ON screening_screeningscore
                FOR EACH ROW EXECUTE FUNCTION pg_test_refuse_66();
            """
        )
    students = _class_of(world, 3)
    # Callers (the import job) catch Django's database errors, whichever way rows went in.
    with pytest.raises(DatabaseError, match="simulated disk failure"):
        _bulk(world, screening, students, ["54", "66", "70"])
    assert ScreeningScore.objects.count() == 0
    assert AccessLog.objects.filter(object_type="screening_score").count() == 0


def test_it_skips_reading_the_scores_back_when_the_caller_needs_only_counts(world, screening):
    students = _class_of(world, 6)
    memberships_of(world.teacher)

    def save(some, values, return_scores):
        with CaptureQueriesContext(connection) as ctx:
            result = services.scores_bulk_record(
                rows=[
                    ScoreInput(student=s, measure=screening.orf, window=screening.fall, value=v)
                    for s, v in zip(some, values, strict=True)
                ],
                entered_by=world.teacher,
                return_scores=return_scores,
            )
        return result, len(ctx.captured_queries)

    counted, without = save(students[:3], ["60", "61", "62"], return_scores=False)
    assert (counted.created, counted.scores) == (3, [])
    assert ScreeningScore.objects.filter(student__in=students[:3]).count() == 3
    returned, with_scores = save(students[3:], ["50", "51", "52"], return_scores=True)
    assert [s.score for s in returned.scores] == [Decimal("50"), Decimal("51"), Decimal("52")]
    assert with_scores == without + 1  # the read-back


# -- percentile method ----------------------------------------------------------------------


def test_it_ranks_a_percentile_set_in_its_local_norm_group_and_re_ranks_on_each_save(
    world, screening
):
    services.cut_score_set_create(
        district=world.district,
        measure=screening.orf,
        name="Local norms",
        method="percentile",
        rows=[],
        actor=world.district_admin,
        activate=True,
    )
    students = _class_of(world, 5)
    _bulk(world, screening, students[:4], ["10", "20", "20", "30"])
    got = dict(
        ScreeningScore.objects.filter(student__in=students[:4]).values_list(
            "score", "percentile_rank"
        )
    )
    # 10: 100*0.5/4 = 12.5 -> 13; 20: 100*(1+1)/4 = 50; 30: 100*3.5/4 = 87.5 -> 88.
    assert got == {Decimal("10"): 13, Decimal("20"): 50, Decimal("30"): 88}
    assert ScreeningScore.objects.get(student=students[0]).risk_level == "some_risk"
    # A fifth, lower score shifts everyone: 5 -> 10, 10 -> 30, 20 -> 60, 30 -> 90.
    fifth = record(world, screening, "5", student=students[4])
    assert (fifth.percentile_rank, fifth.risk_level) == (10, "some_risk")
    ranks = dict(
        ScreeningScore.objects.filter(student__in=students).values_list("score", "percentile_rank")
    )
    assert ranks == {Decimal("5"): 10, Decimal("10"): 30, Decimal("20"): 60, Decimal("30"): 90}
    assert ScreeningScore.objects.get(student=students[0]).risk_level == "at_or_above"


def test_it_keeps_percentile_ranks_of_criterion_scores_current(world, screening):
    students = _class_of(world, 2)
    _bulk(world, screening, students, ["60", "80"])
    ranks = sorted(
        ScreeningScore.objects.filter(student__in=students).values_list(
            "percentile_rank", flat=True
        )
    )
    assert ranks == [25, 75]  # group of two: 100*0.5/2 and 100*1.5/2


# -- cut-score sets -------------------------------------------------------------------------


def test_it_refuses_to_revise_a_reference_set(world):
    reference = CutScoreSet.objects.get(district=None, measure__code="orf-wcpm")
    with pytest.raises(ApplicationError) as caught:
        services.cut_score_set_revise(
            cut_score_set=reference,
            rows=[{"grade": 2, "season": "fall", "benchmark": "40", "high_risk_cut": "20"}],
            actor=world.district_admin,
            activate=True,
        )
    assert "Reference cut scores are read-only" in caught.value.message
    assert CutScore.objects.get(cut_score_set=reference, grade=2, season="fall").benchmark == 36


def test_it_copies_a_reference_set_for_the_district_and_then_versions_it(world):
    reference = CutScoreSet.objects.get(district=None, measure__code="orf-wcpm")
    copy = services.cut_score_set_copy(
        source=reference, district=world.district, actor=world.district_admin, activate=True
    )
    assert (copy.district, copy.version, copy.is_active, copy.based_on) == (
        world.district,
        1,
        True,
        reference,
    )
    assert copy.rows.count() == 17
    v2 = services.cut_score_set_revise(
        cut_score_set=copy,
        rows=[
            {"grade": 2, "season": "fall", "benchmark": "40"},
            {"grade": 6, "season": "spring", "remove": True},
        ],
        actor=world.district_admin,
        activate=True,
    )
    copy.refresh_from_db()
    assert (v2.version, v2.is_active, copy.is_active, v2.based_on) == (2, True, False, copy)
    assert v2.rows.count() == 16
    row = v2.rows.get(grade=2, season="fall")
    assert (row.benchmark, row.high_risk_cut, row.p50) == (Decimal("40"), Decimal("23"), 50)
    assert copy.rows.get(grade=2, season="fall").benchmark == Decimal("36")


def test_it_lets_only_a_district_admin_change_cut_scores(world, screening):
    with pytest.raises(PermissionDenied):
        services.cut_score_set_revise(
            cut_score_set=screening.orf_set, rows=[], actor=world.principal
        )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"grade": 3, "season": "fall", "benchmark": "50", "high_risk_cut": "60"},
            "Row 1: the high-risk cut must not be above the benchmark (higher scores are "
            "better on this measure).",
        ),
        (
            {"grade": 9, "season": "fall", "benchmark": "50", "high_risk_cut": "40"},
            "Row 1: Oral reading fluency is for grades 1 to 6, not grade 9.",
        ),
        (
            {"grade": 3, "season": "summer", "benchmark": "50", "high_risk_cut": "40"},
            "Row 1: season must be fall, winter or spring.",
        ),
        (
            {"grade": 3, "season": "fall", "benchmark": "999", "high_risk_cut": "40"},
            "Row 1: benchmark: Oral reading fluency scores go from 0 to 250; 999 is outside "
            "that range.",
        ),
    ],
)
def test_it_refuses_bad_cut_score_rows(world, screening, row, message):
    with pytest.raises(ValidationError) as caught:
        services.cut_score_set_create(
            district=world.district,
            measure=screening.orf,
            name="Bad",
            rows=[row],
            actor=world.district_admin,
            activate=True,
        )
    assert caught.value.message_dict["rows"] == [message]
    assert CutScoreSet.objects.filter(district=world.district).count() == 2  # fixture's


# -- windows --------------------------------------------------------------------------------


def test_it_lets_a_district_admin_close_a_window_and_no_one_else(world, screening):
    with pytest.raises(PermissionDenied):
        services.window_close(window=screening.fall, actor=world.principal)
    services.window_close(window=screening.fall, actor=world.district_admin)
    screening.fall.refresh_from_db()
    assert screening.fall.is_open is False


def test_it_refuses_a_window_outside_its_school_year(world, screening):
    with pytest.raises(ValidationError) as caught:
        services.window_create(
            school_year=screening.fall.school_year,
            season="fall",
            start_date=dt.date(2026, 7, 1),
            end_date=dt.date(2026, 7, 20),
            actor=world.district_admin,
        )
    # Outside the year, and the year has a window called Fall already (two windows may share
    # a season now; their names tell them apart).
    assert set(caught.value.message_dict) == {"start_date", "name"}


# -- SRSS-IE ----------------------------------------------------------------------------------

ZERO_ITEMS = {k: 0 for k in services.SRSS_ALL_KEYS}


def test_it_records_an_srss_rating_as_two_screening_scores(world, screening):
    items = {
        **ZERO_ITEMS,
        "steal": 1,
        "lie_cheat_sneak": 1,
        "behavior_problem": 2,
        "low_achievement": 1,
        "anxious": 2,
    }
    rating = services.behavior_rating_record(
        student=world.student, window=screening.fall, items=items, rater=world.teacher
    )
    assert (rating.school_level, rating.externalizing_total, rating.internalizing_total) == (
        "elementary",
        5,
        2,
    )
    scores = {
        s.measure.code: (s.score, s.risk_level, s.source)
        for s in ScreeningScore.objects.select_related("measure")
    }
    assert scores == {
        "srss-e7": (Decimal("5"), "some_risk", "rating"),  # 4-8 moderate
        "srss-i5": (Decimal("2"), "some_risk", "rating"),  # 2-3 moderate
    }


def test_it_counts_peer_rejection_in_the_secondary_internalizing_total(world, screening):
    items = {**ZERO_ITEMS, "peer_rejection": 3, "lonely": 3}
    fifth_grader = StudentFactory(school=world.school, grade=5)
    EnrollmentFactory(student=fifth_grader, section=world.section)
    rating = services.behavior_rating_record(
        student=fifth_grader,
        window=screening.fall,
        items=items,
        rater=world.teacher,
        school_level="secondary",
    )
    assert (rating.externalizing_total, rating.internalizing_total) == (3, 6)
    i6 = ScreeningScore.objects.get(measure__code="srss-i6")
    assert i6.risk_level == "high_risk"  # 6-18 high
    assert ScreeningScore.objects.get(measure__code="srss-e7").risk_level == "at_or_above"


def test_it_refuses_an_srss_item_outside_0_to_3(world, screening):
    with pytest.raises(ValidationError) as caught:
        services.behavior_rating_record(
            student=world.student,
            window=screening.fall,
            items={**ZERO_ITEMS, "anxious": 4},
            rater=world.teacher,
        )
    assert caught.value.message_dict["items"] == ["Anxious: choose 0, 1, 2 or 3."]
    assert not BehaviorRating.objects.exists() and not ScreeningScore.objects.exists()


# -- referrals --------------------------------------------------------------------------------


def test_it_records_a_referral_in_its_school_year(world):
    referral = services.referral_create(
        student=world.student,
        date=dt.date(2026, 10, 14),
        time=dt.time(10, 20),
        location="playground",
        problem_behavior="physical_aggression",
        perceived_motivation="peer_attention",
        reported_by=world.teacher,
        staff=world.teacher,
    )
    assert referral.school_year.name == "2026-2027"
    assert referral.school == world.school
    assert referral.staff_name == "Ms. Lee"
    assert AccessLog.objects.filter(object_type="referral", action="create").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": dt.date(2030, 1, 1)}, "date", "The date can't be in the future."),
        (
            {"date": dt.date(2026, 7, 1)},
            "date",
            "This date is not within one of the district's school years.",
        ),
        (
            {"location": "moon"},
            "location",
            "Choose one of the listed options for location.",
        ),
    ],
)
def test_it_refuses_a_bad_referral(world, changes, field, message):
    values = {
        "date": dt.date(2026, 10, 14),
        "location": "classroom",
        "problem_behavior": "defiance",
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        services.referral_create(student=world.student, reported_by=world.teacher, **values)
    assert caught.value.message_dict[field] == [message]
    assert not Referral.objects.exists()
