"""Writes of the screening app. Pages, API, imports, admin actions and the demo call these.

Every service is keyword-only and runs in one transaction with its AccessLog rows. Field
problems raise Django's ValidationError keyed by field (the API turns it into 400 with field
errors); business refusals raise ApplicationError; a user who may not act gets PermissionDenied.

Scores
------
`score_record` and `scores_bulk_record` share one code path, written for a whole class (or a
whole import) in a constant number of queries: fetch students, windows, measures, cut-score
sets and existing scores with one query each, then bulk insert / bulk update, write the
ScoreChange and AccessLog rows in bulk, and refresh the percentile ranks of every touched norm
group in one UPDATE. Big batches (an import's chunks) insert new scores and their access-log
rows with PostgreSQL COPY, in the same transaction.

Decisions recorded here (see docs/screening.md):
- a closed window refuses teachers; school and district administrators may still enter or
  correct scores (make-up screening happens after the window);
- the cut-score set used is the district's active set for the measure, else the active
  reference set of a reference measure; the version is stored on the score;
- percentile ranks (local norms: measure, grade, window, hence district) are recomputed for the
  whole group on every save, under a transaction-level advisory lock per group so concurrent
  saves cannot compute from a stale group or deadlock.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, Model, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from mtss.errors import ApplicationError
from screening import reference_data, risk
from screening.models import (
    SCORE_PLACES,
    BehaviorRating,
    CutScore,
    CutScoreSet,
    Measure,
    Referral,
    ScoreChange,
    ScreeningScore,
    ScreeningWindow,
    Season,
)
from students.audit import audit_record, audit_record_many, client_ip
from students.models import (
    GRADE_MAX,
    GRADE_MIN,
    AccessLog,
    District,
    Role,
    School,
    SchoolYear,
    Student,
    User,
    grade_label,
)
from students.selectors import memberships_of, students_visible_to

SCORE_OBJECT = "screening_score"
RATING_OBJECT = "behavior_rating"
REFERRAL_OBJECT = "referral"

NOT_A_DISTRICT_ADMIN = "Only a district administrator can change this district's screening setup."
REFERENCE_READ_ONLY = (
    "Reference cut scores are read-only. Make a copy for your district and edit the copy."
)
STUDENT_NOT_FOUND = "There is no such student among yours."
WINDOW_CLOSED = (
    "The {window} screening window is closed. Ask a school administrator to enter late scores."
)

# -- who may do what ---------------------------------------------------------------------


def _admin_district_ids(user: User) -> set[int]:
    return {m.district_id for m in memberships_of(user) if m.role == Role.DISTRICT_ADMIN}


def is_district_admin(user: User | None, district_id: int | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return district_id is not None and district_id in _admin_district_ids(user)


def _require_district_admin(actor: User | None, district_id: int | None) -> None:
    # actor None is the platform itself (a migration, a command run by an operator, the demo).
    if actor is not None and not is_district_admin(actor, district_id):
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)


def may_enter_in_closed_window(user: User | None, school_id: int) -> bool:
    """School administrators (of that school) and district administrators may enter late."""
    if user is None or user.is_superuser:
        return True
    for m in memberships_of(user):
        if m.role == Role.DISTRICT_ADMIN:
            return True
        if m.role == Role.SCHOOL_ADMIN and m.school_id == school_id:
            return True
    return False


# -- values ------------------------------------------------------------------------------

SCORE_QUANTUM = Decimal(1).scaleb(-SCORE_PLACES)


def parse_score(value: Any, measure: Measure) -> Decimal:
    """The value as a Decimal inside the measure's range, or a ValidationError a teacher reads."""
    if isinstance(value, bool) or value is None:
        raise ValidationError("Enter a number.")
    text = str(value).strip()
    if text == "":
        raise ValidationError("Enter a number.")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{text!r} is not a number. Enter a number, like 42.") from None
    if not number.is_finite():
        raise ValidationError(f"{text!r} is not a number. Enter a number, like 42.")
    low, high = measure.min_score, measure.max_score
    if not low <= number <= high:
        raise ValidationError(
            f"{measure.name} scores go from {_fmt(low)} to {_fmt(high)}; "
            f"{_fmt(number)} is outside that range."
        )
    if number != number.quantize(SCORE_QUANTUM):
        raise ValidationError(f"Use at most {SCORE_PLACES} decimal places.")
    return number.quantize(SCORE_QUANTUM)


def _fmt(value: Decimal) -> str:
    """42.00 -> '42', 42.50 -> '42.5' for messages."""
    text = format(value.normalize(), "f")
    return text


# -- cut-score lookup ----------------------------------------------------------------------


@dataclass
class _Rules:
    """The active cut-score sets for some measures in one district, with their rows."""

    sets: dict[int, CutScoreSet]  # measure id -> active set
    rows: dict[tuple[int, int, str], CutScore]  # (set id, grade, season) -> row

    def set_for(self, measure_id: int) -> CutScoreSet | None:
        return self.sets.get(measure_id)

    def row_for(self, cut_set: CutScoreSet, grade: int, season: str) -> CutScore | None:
        return self.rows.get((cut_set.pk, grade, season))


def _load_rules(district_ids: set[int], measure_ids: set[int]) -> dict[int, _Rules]:
    """Per district: the active set per measure (the district's own, else the reference's)."""
    candidates = list(
        CutScoreSet.objects.filter(measure_id__in=measure_ids, is_active=True).filter(
            Q(district_id__in=district_ids) | Q(district__isnull=True)
        )
    )
    rows = {
        (r.cut_score_set_id, r.grade, r.season): r
        for r in CutScore.objects.filter(cut_score_set__in=[s.pk for s in candidates])
    }
    result = {}
    for district_id in district_ids:
        sets: dict[int, CutScoreSet] = {}
        for s in candidates:
            if s.district_id is None:
                sets.setdefault(s.measure_id, s)
        for s in candidates:
            if s.district_id == district_id:
                sets[s.measure_id] = s  # the district's own set wins over the reference
        result[district_id] = _Rules(sets=sets, rows=rows)
    return result


def _classify(
    *, rules: _Rules, measure: Measure, grade: int, season: str, value: Decimal
) -> tuple[str | None, CutScoreSet | None]:
    """Risk level and set for a criterion set; percentile sets are banded after ranking."""
    cut_set = rules.set_for(measure.pk)
    if cut_set is None:
        return None, None
    if cut_set.method == CutScoreSet.Method.PERCENTILE:
        return None, cut_set  # risk follows the PR, set in percentile_ranks_refresh
    row = rules.row_for(cut_set, grade, season)
    if row is None:
        return None, None  # no cut score for this grade and season: "no rule", not "no risk"
    level = risk.classify_criterion(
        value, row.benchmark, row.high_risk_cut, measure.higher_is_better
    )
    return level.value, cut_set


# -- norm groups -----------------------------------------------------------------------------


def _group_lock_key(measure_id: int, window_id: int, grade: int) -> int:
    return zlib.crc32(f"screening-norm-group:{measure_id}:{window_id}:{grade}".encode()) - 2**31


def lock_norm_groups(groups: Iterable[tuple[int, int, int]]) -> None:
    """Serialize writers of the same norm groups until commit, in a fixed order (no deadlock).

    Groups are (measure id, window id, grade). Every score writer takes these locks, in one
    statement and sorted, before reading or writing a group; an import takes the locks of its
    whole file up front (taking a lock it already holds again costs nothing but the query).
    """
    keys = sorted({_group_lock_key(*g) for g in groups})
    if not keys:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM unnest(%s::integer[]) AS k ORDER BY k", [keys]
        )


_REFRESH_SQL = """
WITH grp AS (
    SELECT s.id,
           s.percentile_rank AS old_pr,
           s.risk_level AS old_risk,
           rank() OVER (PARTITION BY s.measure_id, s.window_id, s.grade
                        ORDER BY CASE WHEN m.higher_is_better THEN s.score ELSE -s.score END)
               - 1 AS worse,
           count(*) OVER (PARTITION BY s.measure_id, s.window_id, s.grade, s.score) AS equal,
           count(*) OVER (PARTITION BY s.measure_id, s.window_id, s.grade) AS total,
           cs.method AS method,
           cs.high_risk_below_pr AS high_edge,
           cs.some_risk_below_pr AS some_edge
    FROM screening_screeningscore s
    JOIN screening_measure m ON m.id = s.measure_id
    LEFT JOIN screening_cutscoreset cs ON cs.id = s.cut_score_set_id
    WHERE s.window_id = ANY(%(windows)s) AND s.measure_id = ANY(%(measures)s)
      AND (s.measure_id, s.window_id, s.grade) IN (
          SELECT * FROM unnest(%(g_measures)s::integer[], %(g_windows)s::integer[],
                               %(g_grades)s::integer[]))
), ranked AS (
    -- PR = 100 (B + E/2) / N rounded half up = floor((200 (2B + E) + 2N) / 4N), clamped 1..99
    SELECT id, old_pr, old_risk, method, high_edge, some_edge,
           LEAST(99, GREATEST(1, (200 * (2 * worse + equal) + 2 * total) / (4 * total)))::int
               AS pr
    FROM grp
), banded AS (
    SELECT id, pr,
           CASE WHEN method = 'percentile' THEN
                CASE WHEN pr < high_edge THEN 'high_risk'
                     WHEN pr < some_edge THEN 'some_risk'
                     ELSE 'at_or_above' END
                ELSE old_risk END AS new_risk,
           old_pr, old_risk
    FROM ranked
)
UPDATE screening_screeningscore t
SET percentile_rank = b.pr, risk_level = b.new_risk
FROM banded b
WHERE t.id = b.id
  AND (t.percentile_rank IS DISTINCT FROM b.pr OR t.risk_level IS DISTINCT FROM b.new_risk)
"""


def _refresh_groups(groups: Iterable[tuple[int, int, int]]) -> int:
    """Recompute PR (and percentile-method risk) of every score in these groups, in one UPDATE."""
    groups = sorted(set(groups))
    if not groups:
        return 0
    g_measures = [g[0] for g in groups]
    g_windows = [g[1] for g in groups]
    g_grades = [g[2] for g in groups]
    with connection.cursor() as cursor:
        cursor.execute(
            _REFRESH_SQL,
            {
                "windows": sorted(set(g_windows)),
                "measures": sorted(set(g_measures)),
                "g_measures": g_measures,
                "g_windows": g_windows,
                "g_grades": g_grades,
            },
        )
        return cursor.rowcount


@transaction.atomic
def percentile_ranks_refresh(
    *,
    measure: Measure,
    window: ScreeningWindow,
    district: District | None = None,
    grades: Iterable[int] | None = None,
) -> int:
    """Recompute the percentile ranks of a measure's scores in a window (all grades or some).

    A new score shifts everyone's rank in its norm group, so this runs after every save (the
    score services call it) and can be run by hand or by a sweep. The window fixes the district;
    `district`, when given, must match. Returns the number of scores whose PR or risk changed.
    """
    if district is not None and window.school_year.district_id != district.pk:
        raise ValidationError({"window": "This window belongs to another district."})
    if grades is None:
        grades = (
            ScreeningScore.objects.filter(measure=measure, window=window)
            .values_list("grade", flat=True)
            .distinct()
        )
    groups = [(measure.pk, window.pk, g) for g in grades]
    lock_norm_groups(groups)
    return _refresh_groups(groups)


# -- scores -------------------------------------------------------------------------------


@dataclass
class ScoreInput:
    """One score to record. `student`, `measure` and `window` may be objects or ids."""

    student: Student | int
    measure: Measure | int
    window: ScreeningWindow | int
    value: Any
    # Where it came from, for messages: a CSV row number, a grid position...
    row: int | None = None
    behavior_rating_id: int | None = None


@dataclass
class RowError:
    index: int  # position in the input list
    row: int | None  # the caller's own row number, when it gave one
    errors: dict[str, list[str]]

    def message(self) -> str:
        return "; ".join(m for messages in self.errors.values() for m in messages)


@dataclass
class BulkResult:
    scores: list[ScreeningScore] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _pk(value: Any) -> int | None:
    if value is None:
        return None
    if hasattr(value, "pk"):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def after_scores_saved(score_ids: list[int]) -> None:
    """Hook for work that follows a committed score save (decision rules, dashboards).

    Called inside the services' transaction; anything that talks to Celery must be wrapped in
    `transaction.on_commit(...)` so a rolled-back save enqueues nothing and a broker outage
    never fails a save. The decisions app schedules its school sweeps after commit (debounced,
    broker errors swallowed: decisions.tasks.sweeps_after_scores).
    """
    from decisions.tasks import sweeps_after_scores

    sweeps_after_scores(score_ids)


def _bulk_error(errors: list[RowError]) -> ValidationError:
    if len(errors) == 1 and errors[0].row is None and errors[0].index == 0:
        return ValidationError(errors[0].errors)
    lines = []
    for e in errors:
        where = f"Row {e.row}" if e.row is not None else f"Item {e.index + 1}"
        lines.append(f"{where}: {e.message()}")
    return ValidationError({"rows": lines})


# From this many rows on, new scores and their access-log rows go in with COPY: INSERT through
# the ORM costs a model instance and a parameter set per row, which dominated big imports. A
# page's class (tens of rows) keeps the ORM path and its pinned query count.
COPY_MIN_ROWS = 2000

# The columns of a new score, in the order of the tuples `scores_bulk_record` builds.
_NEW_SCORE_COLUMNS = (
    "student_id",
    "measure_id",
    "window_id",
    "grade",
    "score",
    "risk_level",
    "cut_score_set_id",
    "behavior_rating_id",
    "source",
    "entered_by_id",
)

_NEXT_SCORE_IDS_SQL = """
SELECT nextval(pg_get_serial_sequence('screening_screeningscore', 'id'))
FROM generate_series(1, %s)
"""


class _StudentFacts(NamedTuple):
    """What the score services need of a student.

    A plain row, not a model instance: an import reads 10,000 students a call.
    """

    pk: int
    district_id: int
    school_id: int
    grade: int


def _ids_in(ids: Iterable[int]) -> RawSQL:
    """For `pk__in=_ids_in(ids)`: the ids as one array parameter, not one placeholder each.

    An import's 10,000 placeholders cost more to build and parse than the query to run.
    """
    return RawSQL("SELECT unnest(%s::bigint[])", (sorted(ids),))


def copy_min_rows() -> int:
    """Rows from which the score services write with COPY (setting SCORE_COPY_MIN_ROWS)."""
    return int(getattr(settings, "SCORE_COPY_MIN_ROWS", COPY_MIN_ROWS))


def _copy(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows (tuples in `columns` order, attnames) into the model's table.

    Every concrete column but the primary key (an identity column) must be given: the
    database has no other defaults; Django's live in Python. A failure
    is raised as Django's DatabaseError, like any query's: psycopg reports it when the COPY
    block ends, outside the wrapping Django gives cursor calls.
    """
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    missing = set(column_of) - set(columns) - {model._meta.pk.attname}
    if missing:
        raise ValueError(f"COPY into {model.__name__} lacks {sorted(missing)}")
    quote = connection.ops.quote_name
    names = ", ".join(quote(column_of[c]) for c in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _scores_insert(rows: list[tuple[Any, ...]], *, now: dt.datetime) -> list[int]:
    """Insert new scores (tuples in _NEW_SCORE_COLUMNS order); their ids, in the same order.

    Many rows: ids drawn from the table's sequence in one query, then COPY with them (no
    read-back, whose join would grow with the table). Both run in the caller's transaction,
    so a rollback takes the rows away too.
    """
    if not rows:
        return []
    if len(rows) < copy_min_rows():
        made = ScreeningScore.objects.bulk_create(
            [ScreeningScore(**dict(zip(_NEW_SCORE_COLUMNS, row, strict=True))) for row in rows],
            batch_size=2000,
        )
        return [s.pk for s in made]
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SCORE_IDS_SQL, [len(rows)])
        ids = [pk for (pk,) in cursor.fetchall()]
    _copy(
        ScreeningScore,
        ("id", *_NEW_SCORE_COLUMNS, "percentile_rank", "entered_at", "updated_at"),
        ((pk, *row, None, now, now) for pk, row in zip(ids, rows, strict=True)),
    )
    return ids


def _log_scores(*, user: User | None, action: str, student_ids: list[int], request: Any) -> None:
    """One access-log row per student whose score was created or changed.

    The same rows `audit_record_many` writes; from copy_min_rows() rows on, with COPY.
    """
    if not student_ids:
        return
    if len(student_ids) < copy_min_rows():
        audit_record_many(
            user=user,
            action=action,
            object_type=SCORE_OBJECT,
            student_ids=student_ids,
            request=request,
        )
        return
    ip = client_ip(request)
    uid = user.pk if user is not None and user.is_authenticated else None
    now = timezone.now()
    _copy(
        AccessLog,
        (
            "user_id",
            "at",
            "action",
            "object_type",
            "object_id",
            "student_id",
            "ip",
            "detail",
            "purpose",
        ),
        ((uid, now, action, SCORE_OBJECT, str(sid), sid, ip, "{}", "") for sid in student_ids),
    )


@transaction.atomic
def scores_bulk_record(
    *,
    rows: Sequence[ScoreInput],
    entered_by: User | None,
    partial: bool = False,
    source: str = ScreeningScore.Source.ENTERED,
    request: Any = None,
    return_scores: bool = True,
) -> BulkResult:
    """Record (create or update) many scores in a constant number of queries.

    Each row is validated (number, range, grade, window open, student visible to
    `entered_by`, same district, no duplicate in the batch). With `partial=False` (default)
    any bad row raises ValidationError and nothing is saved; with `partial=True` the good rows
    are saved and the bad ones returned in `result.errors`.
    `entered_by=None` is the platform itself (imports run by an operator, the demo): no
    visibility check, closed windows allowed.
    `return_scores=False` leaves `result.scores` empty and skips reading every saved score
    back (with its measure, window and cut-score set): an import only needs the counts.
    From `copy_min_rows()` new rows on, the new scores and their access-log rows are written
    with COPY instead of INSERT; the outcome is the same.
    """
    result = BulkResult()
    if not rows:
        return result

    student_ids = {pk for r in rows if (pk := _pk(r.student)) is not None}
    students_qs = Student.objects.filter(pk__in=_ids_in(student_ids))
    if entered_by is not None:
        students_qs = students_visible_to(entered_by, queryset=students_qs)
    students = {
        s.pk: s
        for s in map(
            _StudentFacts._make, students_qs.values_list("id", "district_id", "school_id", "grade")
        )
    }
    windows = ScreeningWindow.objects.select_related("school_year").in_bulk(
        {pk for r in rows if (pk := _pk(r.window)) is not None}
    )
    measures = Measure.objects.in_bulk({pk for r in rows if (pk := _pk(r.measure)) is not None})
    rules = _load_rules({s.district_id for s in students.values()}, set(measures))

    valid: list[tuple[int, ScoreInput, _StudentFacts, Measure, ScreeningWindow, Decimal]] = []
    seen: dict[tuple[int, int, int], int] = {}
    for index, r in enumerate(rows):
        errors: dict[str, list[str]] = {}
        student = students.get(_pk(r.student) or 0)
        measure = measures.get(_pk(r.measure) or 0)
        window = windows.get(_pk(r.window) or 0)
        if student is None:
            errors["student"] = [STUDENT_NOT_FOUND]
        if measure is None:
            errors["measure"] = ["There is no such measure."]
        if window is None:
            errors["window"] = ["There is no such screening window."]
        value = None
        if measure is not None:
            try:
                value = parse_score(r.value, measure)
            except ValidationError as exc:
                errors["score"] = exc.messages
        if student is not None and measure is not None:
            if measure.district_id not in (None, student.district_id) or not measure.active:
                errors.setdefault("measure", []).append(
                    "This measure is not in use in the student's district."
                )
            elif not measure.serves_grade(student.grade):
                errors.setdefault("measure", []).append(
                    f"{measure.name} is for grades {grade_label(measure.lowest_grade)} to "
                    f"{grade_label(measure.highest_grade)}; this student is in grade "
                    f"{grade_label(student.grade)}."
                )
        if student is not None and window is not None:
            if window.school_year.district_id != student.district_id:
                errors.setdefault("window", []).append("This window belongs to another district.")
            elif not window.is_open and not may_enter_in_closed_window(
                entered_by, student.school_id
            ):
                errors.setdefault("window", []).append(WINDOW_CLOSED.format(window=window))
        if not errors:
            key = (student.pk, measure.pk, window.pk)
            if key in seen:
                errors["student"] = [
                    f"This student already has a {measure.name} score earlier in this list "
                    f"(item {seen[key] + 1})."
                ]
            else:
                seen[key] = index
        if errors:
            result.errors.append(RowError(index=index, row=r.row, errors=errors))
        else:
            valid.append((index, r, student, measure, window, value))

    if result.errors and not partial:
        raise _bulk_error(result.errors)
    if not valid:
        return result

    groups = {(m.pk, w.pk, s.grade) for _, _, s, m, w, _ in valid}
    lock_norm_groups(groups)
    existing = {
        (e.student_id, e.measure_id, e.window_id): e
        for e in ScreeningScore.objects.filter(
            student_id__in=_ids_in({s.pk for _, _, s, _, _, _ in valid}),
            measure_id__in={m.pk for _, _, _, m, _, _ in valid},
            window_id__in={w.pk for _, _, _, _, w, _ in valid},
        )
    }
    # New scores as plain tuples in _NEW_SCORE_COLUMNS order: an import makes 10,000 a call,
    # and model instances would cost more than the COPY that writes them.
    to_create: list[tuple[Any, ...]] = []
    to_update: list[ScreeningScore] = []
    changes: list[ScoreChange] = []
    unchanged_ids: list[int] = []
    now = timezone.now()
    actor_id = entered_by.pk if entered_by is not None else None
    for _, r, student, measure, window, value in valid:
        # Groups were locked above with the student's current grade; a re-entry keeps it too.
        level, cut_set = _classify(
            rules=rules[student.district_id],
            measure=measure,
            grade=student.grade,
            season=window.season,
            value=value,
        )
        set_id = cut_set.pk if cut_set else None
        current = existing.get((student.pk, measure.pk, window.pk))
        if current is None:
            to_create.append(
                (
                    student.pk,
                    measure.pk,
                    window.pk,
                    student.grade,
                    value,
                    level,
                    set_id,
                    r.behavior_rating_id,
                    source,
                    actor_id,
                )
            )
            continue
        same = (
            current.score == value
            and current.cut_score_set_id == set_id
            and current.grade == student.grade
            and (
                cut_set is None
                or cut_set.method == CutScoreSet.Method.PERCENTILE
                or current.risk_level == level
            )
        )
        if same:
            unchanged_ids.append(current.pk)
            continue
        if current.score != value:
            changes.append(
                ScoreChange(
                    score_id=current.pk,
                    old_value=current.score,
                    new_value=value,
                    old_risk_level=current.risk_level or "",
                    new_risk_level=level or "",
                    changed_by_id=actor_id,
                )
            )
        current.score = value
        current.grade = student.grade
        if cut_set is None or cut_set.method != CutScoreSet.Method.PERCENTILE:
            current.risk_level = level
        current.cut_score_set_id = set_id
        current.entered_by_id = actor_id
        current.source = source
        if r.behavior_rating_id:
            current.behavior_rating_id = r.behavior_rating_id
        current.updated_at = now
        to_update.append(current)

    created_ids = _scores_insert(to_create, now=now)
    if to_update:
        ScreeningScore.objects.bulk_update(
            to_update,
            [
                "score",
                "grade",
                "risk_level",
                "cut_score_set",
                "entered_by",
                "source",
                "behavior_rating",
                "updated_at",
            ],
            batch_size=1000,
        )
    ScoreChange.objects.bulk_create(changes, batch_size=2000)

    _refresh_groups(groups)

    # The access log: one row per student created, one per student changed.
    _log_scores(
        user=entered_by,
        action=AccessLog.Action.CREATE,
        student_ids=[row[0] for row in to_create],
        request=request,
    )
    _log_scores(
        user=entered_by,
        action=AccessLog.Action.UPDATE,
        student_ids=[s.student_id for s in to_update],
        request=request,
    )

    changed_ids = created_ids + [s.pk for s in to_update]
    if return_scores:
        by_id = ScreeningScore.objects.select_related("cut_score_set", "measure", "window").in_bulk(
            changed_ids + unchanged_ids
        )
        order = {(_pk(r.student), _pk(r.measure), _pk(r.window)): i for i, r, *_ in valid}
        result.scores = sorted(
            by_id.values(), key=lambda s: order[(s.student_id, s.measure_id, s.window_id)]
        )
    result.created = len(to_create)
    result.updated = len(to_update)
    result.unchanged = len(unchanged_ids)
    after_scores_saved(changed_ids)
    return result


def score_record(
    *,
    student: Student,
    measure: Measure,
    window: ScreeningWindow,
    value: Any,
    entered_by: User | None,
    source: str = ScreeningScore.Source.ENTERED,
    request: Any = None,
) -> ScreeningScore:
    """Record one score (create, or update with a ScoreChange row) and return it classified.

    Raises ValidationError keyed by field (`score`, `student`, `measure`, `window`) with a
    message a teacher can act on; nothing is saved then.
    """
    result = scores_bulk_record(
        rows=[ScoreInput(student=student, measure=measure, window=window, value=value)],
        entered_by=entered_by,
        source=source,
        request=request,
    )
    return result.scores[0]


# -- windows ------------------------------------------------------------------------------


@transaction.atomic
def window_create(
    *,
    school_year: SchoolYear,
    season: str,
    start_date: dt.date,
    end_date: dt.date,
    is_open: bool = False,
    actor: User | None,
) -> ScreeningWindow:
    _require_district_admin(actor, school_year.district_id)
    errors: dict[str, list[str]] = {}
    if season not in Season.values:
        errors["season"] = ["Choose fall, winter or spring."]
    if start_date > end_date:
        errors["end_date"] = ["The window must end on or after its first day."]
    if not (school_year.start_date <= start_date and end_date <= school_year.end_date):
        errors.setdefault("start_date", []).append(
            f"The window must fall within the school year {school_year.name} "
            f"({school_year.start_date:%b %-d, %Y} to {school_year.end_date:%b %-d, %Y})."
        )
    if ScreeningWindow.objects.filter(school_year=school_year, season=season).exists():
        errors.setdefault("season", []).append(f"{school_year.name} already has a {season} window.")
    if errors:
        raise ValidationError(errors)
    return ScreeningWindow.objects.create(
        school_year=school_year,
        season=season,
        start_date=start_date,
        end_date=end_date,
        is_open=is_open,
    )


@transaction.atomic
def window_open(*, window: ScreeningWindow, actor: User | None) -> ScreeningWindow:
    _require_district_admin(actor, window.school_year.district_id)
    if not window.is_open:
        window.is_open = True
        window.save(update_fields=["is_open"])
    return window


@transaction.atomic
def window_close(*, window: ScreeningWindow, actor: User | None) -> ScreeningWindow:
    """Close the window to teachers and settle every norm group's percentile ranks."""
    _require_district_admin(actor, window.school_year.district_id)
    if window.is_open:
        window.is_open = False
        window.save(update_fields=["is_open"])
    groups = set(
        ScreeningScore.objects.filter(window=window)
        .values_list("measure_id", "window_id", "grade")
        .distinct()
    )
    lock_norm_groups(groups)
    _refresh_groups(groups)
    from decisions.tasks import sweep_after_window_close

    sweep_after_window_close(window.school_year.district_id)  # after commit, never blocks
    return window


# -- measures -----------------------------------------------------------------------------

MEASURE_FIELDS = (
    "code",
    "name",
    "domain",
    "area",
    "purpose",
    "unit",
    "min_score",
    "max_score",
    "higher_is_better",
    "lowest_grade",
    "highest_grade",
    "slope_tolerance",
    "instrument",
    "description",
    "active",
)


@transaction.atomic
def measure_create(*, district: District, actor: User | None, **values: Any) -> Measure:
    """A district's own measure (manual measures are first-class, domain.md section 1)."""
    _require_district_admin(actor, district.pk)
    unknown = set(values) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    measure = Measure(district=district, **values)
    errors: dict[str, list[str]] = {}
    if (
        measure.min_score is not None
        and measure.max_score is not None
        and measure.min_score >= measure.max_score
    ):
        errors["max_score"] = ["The highest score must be above the lowest score."]
    if (
        measure.lowest_grade is not None
        and measure.highest_grade is not None
        and measure.lowest_grade > measure.highest_grade
    ):
        errors["highest_grade"] = ["The highest grade must not be below the lowest grade."]
    if measure.code and Measure.objects.filter(district=district, code=measure.code).exists():
        errors["code"] = [f"Your district already has a measure with the code {measure.code!r}."]
    if errors:
        raise ValidationError(errors)
    measure.full_clean(exclude=["district"], validate_unique=False, validate_constraints=False)
    measure.save()
    return measure


# -- cut-score sets -------------------------------------------------------------------------

ROW_FIELDS = ("benchmark", "high_risk_cut", "p10", "p25", "p50", "p75", "p90")


def _validate_rows(measure: Measure, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check and normalise cut-score rows; errors listed per row number (1-based)."""
    clean: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[tuple[int, str]] = set()
    for number, raw in enumerate(rows, start=1):
        where = f"Row {number}"
        try:
            grade = int(raw.get("grade"))
        except (TypeError, ValueError):
            problems.append(f"{where}: grade must be a whole number from -1 (pre-K) to 12.")
            continue
        season = raw.get("season")
        if season not in Season.values:
            problems.append(f"{where}: season must be fall, winter or spring.")
            continue
        if not (GRADE_MIN <= grade <= GRADE_MAX) or not measure.serves_grade(grade):
            problems.append(
                f"{where}: {measure.name} is for grades {grade_label(measure.lowest_grade)} to "
                f"{grade_label(measure.highest_grade)}, not grade {grade_label(grade)}."
            )
            continue
        if (grade, season) in seen:
            problems.append(f"{where}: grade {grade_label(grade)} {season} appears twice.")
            continue
        seen.add((grade, season))
        row: dict[str, Any] = {"grade": grade, "season": season}
        ok = True
        for name in ROW_FIELDS:
            value = raw.get(name)
            if value in (None, "") and name not in ("benchmark", "high_risk_cut"):
                row[name] = None
                continue
            try:
                row[name] = parse_score(value, measure)
            except ValidationError as exc:
                label = name.replace("_", " ")
                problems.append(f"{where}: {label}: {' '.join(exc.messages)}")
                ok = False
        if ok and not risk.cut_row_is_ordered(
            row["benchmark"], row["high_risk_cut"], measure.higher_is_better
        ):
            if measure.higher_is_better:
                problems.append(
                    f"{where}: the high-risk cut must not be above the benchmark "
                    "(higher scores are better on this measure)."
                )
            else:
                problems.append(
                    f"{where}: the high-risk cut must not be below the benchmark "
                    "(lower scores are better on this measure)."
                )
            ok = False
        if ok:
            clean.append(row)
    if problems:
        raise ValidationError({"rows": problems})
    return clean


def _validate_edges(high: Any, some: Any) -> tuple[int, int]:
    try:
        high_i, some_i = int(high), int(some)
    except (TypeError, ValueError):
        raise ValidationError(
            {"high_risk_below_pr": ["Percentile edges must be whole numbers from 1 to 99."]}
        ) from None
    if not (1 <= high_i <= some_i <= 99):
        raise ValidationError(
            {
                "some_risk_below_pr": [
                    "Percentile edges must be between 1 and 99, with the high-risk edge "
                    "at or below the some-risk edge."
                ]
            }
        )
    return high_i, some_i


def cut_score_set_next_version(*, district_id: int, measure_id: int) -> int:
    """The next version number of a district's sets for a measure (locks the existing ones)."""
    latest = CutScoreSet.objects.select_for_update().filter(
        district_id=district_id, measure_id=measure_id
    )
    # Lock the district's sets of this measure so two admins cannot both make version n + 1.
    list(latest.values_list("pk", flat=True))
    top = CutScoreSet.objects.filter(district_id=district_id, measure_id=measure_id).aggregate(
        top=Max("version")
    )["top"]
    return (top or 0) + 1


def _make_active_set(
    *,
    district: District,
    measure: Measure,
    name: str,
    method: str,
    rows: list[dict[str, Any]],
    high_risk_below_pr: int,
    some_risk_below_pr: int,
    based_on: CutScoreSet | None,
    source: str,
    notes: str,
    actor: User | None,
) -> CutScoreSet:
    version = cut_score_set_next_version(district_id=district.pk, measure_id=measure.pk)
    CutScoreSet.objects.filter(district=district, measure=measure, is_active=True).update(
        is_active=False
    )
    cut_set = CutScoreSet.objects.create(
        district=district,
        measure=measure,
        name=name,
        version=version,
        method=method,
        high_risk_below_pr=high_risk_below_pr,
        some_risk_below_pr=some_risk_below_pr,
        based_on=based_on,
        is_active=True,
        source=source,
        notes=notes,
        created_by=actor,
    )
    CutScore.objects.bulk_create([CutScore(cut_score_set=cut_set, **row) for row in rows])
    return cut_set


@transaction.atomic
def cut_score_set_create(
    *,
    district: District,
    measure: Measure,
    name: str,
    rows: Sequence[dict[str, Any]],
    actor: User | None,
    method: str = CutScoreSet.Method.CRITERION,
    high_risk_below_pr: int = risk.DEFAULT_HIGH_RISK_BELOW,
    some_risk_below_pr: int = risk.DEFAULT_SOME_RISK_BELOW,
    source: str = "",
    notes: str = "",
) -> CutScoreSet:
    """A district's new set for a measure, from scratch; it becomes the active version."""
    _require_district_admin(actor, district.pk)
    if measure.district_id not in (None, district.pk):
        raise ValidationError({"measure": ["This measure belongs to another district."]})
    if method not in CutScoreSet.Method.values:
        raise ValidationError({"method": ["Choose criterion or percentile."]})
    if not (name or "").strip():
        raise ValidationError({"name": ["Give the set a name."]})
    high, some = _validate_edges(high_risk_below_pr, some_risk_below_pr)
    clean = _validate_rows(measure, rows)
    if method == CutScoreSet.Method.CRITERION and not clean:
        raise ValidationError({"rows": ["A criterion set needs at least one row of cut scores."]})
    return _make_active_set(
        district=district,
        measure=measure,
        name=name.strip(),
        method=method,
        rows=clean,
        high_risk_below_pr=high,
        some_risk_below_pr=some,
        based_on=None,
        source=source,
        notes=notes,
        actor=actor,
    )


def _rows_of(cut_set: CutScoreSet) -> list[dict[str, Any]]:
    return [
        {"grade": r.grade, "season": r.season, **{f: getattr(r, f) for f in ROW_FIELDS}}
        for r in cut_set.rows.order_by("grade", "season")
    ]


@transaction.atomic
def cut_score_set_copy(
    *,
    source: CutScoreSet,
    district: District,
    actor: User | None,
    name: str | None = None,
) -> CutScoreSet:
    """The district's own active version made from `source` (usually a reference set)."""
    _require_district_admin(actor, district.pk)
    if source.district_id not in (None, district.pk):
        raise PermissionDenied("This set belongs to another district.")
    if source.measure.district_id not in (None, district.pk):
        raise PermissionDenied("This measure belongs to another district.")
    return _make_active_set(
        district=district,
        measure=source.measure,
        name=name or source.name,
        method=source.method,
        rows=_rows_of(source),
        high_risk_below_pr=source.high_risk_below_pr,
        some_risk_below_pr=source.some_risk_below_pr,
        based_on=source,
        source=source.source,
        notes=source.notes,
        actor=actor,
    )


@transaction.atomic
def cut_score_set_revise(
    *,
    cut_score_set: CutScoreSet,
    rows: Sequence[dict[str, Any]],
    actor: User | None,
    name: str | None = None,
    notes: str | None = None,
    method: str | None = None,
    high_risk_below_pr: int | None = None,
    some_risk_below_pr: int | None = None,
) -> CutScoreSet:
    """Edit a district's set: a new version (copied rows with `rows` applied) becomes active.

    `rows` lists changed or added rows by (grade, season); a row with `"remove": True` drops
    that grade and season. The old version stays as it was, so scores classified with it keep
    pointing at the numbers that produced their risk level. Reference sets are read-only.
    """
    if cut_score_set.is_reference:
        raise ApplicationError(REFERENCE_READ_ONLY)
    district = cut_score_set.district
    _require_district_admin(actor, district.pk)
    merged = {(r["grade"], r["season"]): r for r in _rows_of(cut_score_set)}
    for raw in rows:
        try:
            key = (int(raw.get("grade")), raw.get("season"))
        except (TypeError, ValueError):
            raise ValidationError(
                {"rows": ["Each row needs a grade (a whole number) and a season."]}
            ) from None
        if raw.get("remove"):
            merged.pop(key, None)
            continue
        base = dict(merged.get(key, {"grade": key[0], "season": key[1]}))
        base.update({k: v for k, v in raw.items() if k != "remove"})
        merged[key] = base
    new_method = method or cut_score_set.method
    if new_method not in CutScoreSet.Method.values:
        raise ValidationError({"method": ["Choose criterion or percentile."]})
    high, some = _validate_edges(
        cut_score_set.high_risk_below_pr if high_risk_below_pr is None else high_risk_below_pr,
        cut_score_set.some_risk_below_pr if some_risk_below_pr is None else some_risk_below_pr,
    )
    clean = _validate_rows(cut_score_set.measure, list(merged.values()))
    if new_method == CutScoreSet.Method.CRITERION and not clean:
        raise ValidationError({"rows": ["A criterion set needs at least one row of cut scores."]})
    return _make_active_set(
        district=district,
        measure=cut_score_set.measure,
        name=(name or cut_score_set.name).strip(),
        method=new_method,
        rows=clean,
        high_risk_below_pr=high,
        some_risk_below_pr=some,
        based_on=cut_score_set,
        source=cut_score_set.source,
        notes=cut_score_set.notes if notes is None else notes,
        actor=actor,
    )


@transaction.atomic
def cut_score_set_activate(*, cut_score_set: CutScoreSet, actor: User | None) -> CutScoreSet:
    """Make an existing version of the district's set the active one again (a roll-back)."""
    if cut_score_set.is_reference:
        raise ApplicationError(REFERENCE_READ_ONLY)
    _require_district_admin(actor, cut_score_set.district_id)
    CutScoreSet.objects.filter(
        district_id=cut_score_set.district_id, measure_id=cut_score_set.measure_id, is_active=True
    ).exclude(pk=cut_score_set.pk).update(is_active=False)
    if not cut_score_set.is_active:
        cut_score_set.is_active = True
        cut_score_set.save(update_fields=["is_active"])
    return cut_score_set


# -- SRSS-IE behavior ratings -----------------------------------------------------------------

SRSS_E_KEYS = tuple(k for k, _ in reference_data.SRSS_EXTERNALIZING_ITEMS)
SRSS_I_KEYS = tuple(k for k, _ in reference_data.SRSS_INTERNALIZING_ITEMS)
SRSS_ALL_KEYS = SRSS_E_KEYS + SRSS_I_KEYS


def srss_totals(items: dict[str, int], school_level: str) -> tuple[int, int]:
    """(externalizing E7 total, internalizing I5 or I6 total) of validated items."""
    external = sum(items[k] for k in SRSS_E_KEYS)
    internal = sum(items[k] for k in SRSS_I_KEYS)
    if school_level == BehaviorRating.SchoolLevel.SECONDARY:
        internal += items[reference_data.SRSS_SECONDARY_EXTRA_INTERNALIZING]
    return external, internal


def srss_validate_items(items: Any) -> dict[str, int]:
    if not isinstance(items, dict):
        raise ValidationError({"items": ["Rate every item from 0 (never) to 3 (frequently)."]})
    problems = []
    clean: dict[str, int] = {}
    labels = dict(reference_data.SRSS_EXTERNALIZING_ITEMS + reference_data.SRSS_INTERNALIZING_ITEMS)
    for key in SRSS_ALL_KEYS:
        value = items.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | str)
            or str(value).strip()
            not in (
                "0",
                "1",
                "2",
                "3",
            )
        ):
            problems.append(f"{labels[key]}: choose 0, 1, 2 or 3.")
            continue
        clean[key] = int(str(value).strip())
    unknown = sorted(set(items) - set(SRSS_ALL_KEYS))
    if unknown:
        problems.append(f"Unknown items: {', '.join(unknown)}.")
    if problems:
        raise ValidationError({"items": problems})
    return clean


def school_level_for(school: School) -> str:
    if school.level == School.Level.ELEMENTARY:
        return BehaviorRating.SchoolLevel.ELEMENTARY
    return BehaviorRating.SchoolLevel.SECONDARY


def srss_measures(district_id: int) -> dict[str, Measure]:
    """The SRSS measures by code: the district's own with that code, else the reference one."""
    codes = (
        reference_data.SRSS_E7_CODE,
        reference_data.SRSS_I5_CODE,
        reference_data.SRSS_I6_CODE,
    )
    found: dict[str, Measure] = {}
    for m in Measure.objects.filter(code__in=codes).filter(
        Q(district_id=district_id) | Q(district__isnull=True)
    ):
        if m.district_id is not None or m.code not in found:
            found[m.code] = m
    return found


@transaction.atomic
def behavior_rating_record(
    *,
    student: Student,
    window: ScreeningWindow,
    items: dict[str, Any],
    rater: User | None,
    school_level: str | None = None,
    instrument_version: str = reference_data.SRSS_INSTRUMENT,
    request: Any = None,
) -> BehaviorRating:
    """Record (or re-record) a student's SRSS-IE rating and its two screening scores.

    The externalizing total becomes an SRSS-E7 score and the internalizing total an SRSS-I5
    (elementary) or SRSS-I6 (secondary) score, through `scores_bulk_record`, so they are
    classified, versioned and audited like every other screening score.
    """
    clean = srss_validate_items(items)
    level = school_level or school_level_for(student.school)
    if level not in BehaviorRating.SchoolLevel.values:
        raise ValidationError({"school_level": ["Choose elementary or secondary."]})
    external, internal = srss_totals(clean, level)
    measures = srss_measures(student.district_id)
    internal_code = (
        reference_data.SRSS_I5_CODE
        if level == BehaviorRating.SchoolLevel.ELEMENTARY
        else reference_data.SRSS_I6_CODE
    )
    rating, _ = BehaviorRating.objects.update_or_create(
        student=student,
        window=window,
        defaults={
            "rater": rater,
            "instrument_version": instrument_version,
            "school_level": level,
            "items": clean,
            "externalizing_total": external,
            "internalizing_total": internal,
        },
    )
    scores_bulk_record(
        rows=[
            ScoreInput(
                student=student,
                measure=measures[reference_data.SRSS_E7_CODE],
                window=window,
                value=external,
                behavior_rating_id=rating.pk,
            ),
            ScoreInput(
                student=student,
                measure=measures[internal_code],
                window=window,
                value=internal,
                behavior_rating_id=rating.pk,
            ),
        ],
        entered_by=rater,
        source=ScreeningScore.Source.RATING,
        request=request,
    )
    return rating


# -- office discipline referrals ---------------------------------------------------------------

REFERRAL_FIELDS = (
    "severity",
    "location",
    "problem_behavior",
    "perceived_motivation",
    "others_involved",
    "action_taken",
)


@transaction.atomic
def referral_create(
    *,
    student: Student,
    date: dt.date,
    location: str,
    problem_behavior: str,
    reported_by: User | None,
    time: dt.time | None = None,
    severity: str = Referral.Severity.MAJOR,
    perceived_motivation: str = Referral.Motivation.UNKNOWN,
    others_involved: str = Referral.OthersInvolved.NONE,
    action_taken: str = Referral.Action.PENDING,
    staff: User | None = None,
    staff_name: str = "",
    notes: str = "",
    request: Any = None,
) -> Referral:
    """Record an office discipline referral for a student the reporter can see."""
    if (
        reported_by is not None
        and not students_visible_to(reported_by).filter(pk=student.pk).exists()
    ):
        raise ValidationError({"student": [STUDENT_NOT_FOUND]})
    errors: dict[str, list[str]] = {}
    choices = {
        "severity": (severity, Referral.Severity),
        "location": (location, Referral.Location),
        "problem_behavior": (problem_behavior, Referral.ProblemBehavior),
        "perceived_motivation": (perceived_motivation, Referral.Motivation),
        "others_involved": (others_involved, Referral.OthersInvolved),
        "action_taken": (action_taken, Referral.Action),
    }
    for name, (value, enum) in choices.items():
        if value not in enum.values:
            errors[name] = [f"Choose one of the listed options for {name.replace('_', ' ')}."]
    if date > timezone.localdate():
        errors.setdefault("date", []).append("The date can't be in the future.")
    year = (
        SchoolYear.objects.filter(
            district_id=student.district_id, start_date__lte=date, end_date__gte=date
        )
        .order_by("-start_date")
        .first()
    )
    if year is None and "date" not in errors:
        errors["date"] = ["This date is not within one of the district's school years."]
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        student=student,
        school_id=student.school_id,
        school_year=year,
        date=date,
        time=time,
        severity=severity,
        location=location,
        problem_behavior=problem_behavior,
        perceived_motivation=perceived_motivation,
        others_involved=others_involved,
        action_taken=action_taken,
        staff=staff,
        staff_name=staff_name or (staff.display_name() if staff else ""),
        notes=notes,
        reported_by=reported_by,
    )
    audit_record(
        user=reported_by,
        action=AccessLog.Action.CREATE,
        object_type=REFERRAL_OBJECT,
        object_id=referral.pk,
        student=student,
        request=request,
    )
    return referral
