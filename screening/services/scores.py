"""Recording screening scores: one score, a class, or an import's chunk, on one code path.

`score_record` and `scores_bulk_record` share one code path, written for a whole class (or a
whole import) in a constant number of queries: fetch students, windows, measures, cut-score
sets and existing scores with one query each, then bulk insert / bulk update, write the
ScoreChange and AccessLog rows in bulk, and refresh the percentile ranks of every touched norm
group in one UPDATE. Big batches (an import's chunks) insert new scores and their access-log
rows with PostgreSQL COPY, in the same transaction (`score_writes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import events
from screening.models.cut_scores import CutScoreSet
from screening.models.measures import Measure
from screening.models.scores import ScoreChange, ScreeningScore
from screening.models.windows import ScreeningWindow
from screening.services.access import STUDENT_NOT_FOUND, WINDOW_CLOSED, may_enter_in_closed_window
from screening.services.classification import _classify, _load_rules
from screening.services.norms import _refresh_groups, lock_norm_groups
from screening.services.school_windows import SchoolDays
from screening.services.score_rows import (  # re-exported: callers import them from here
    BulkResult as BulkResult,
)
from screening.services.score_rows import RowError as RowError
from screening.services.score_rows import ScoreInput as ScoreInput
from screening.services.score_rows import _bulk_error, _conflict
from screening.services.score_writes import _log_scores, _scores_insert, _scores_update
from screening.services.values import parse_score
from students.audit import AuditContext
from students.models import AccessLog, Student, User, grade_label
from students.selectors import students_visible_to
from students.versioning import is_stale


def _pk(value: Any) -> int | None:
    if value is None:
        return None
    if hasattr(value, "pk"):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def after_scores_saved(students: Iterable[_StudentFacts]) -> None:
    """Announce a committed score save (screening/events.py): the event is recorded in the
    services' transaction, so a rolled-back save announces nothing, and delivered after
    commit without waiting on the broker. The decisions app schedules its sweeps from it."""
    facts = list(students)
    events.scores_saved(
        school_ids={s.school_id for s in facts},
        district_ids={s.district_id for s in facts},
        scores=len(facts),
    )


class _StudentFacts(NamedTuple):
    """What the score services need of a student.

    A plain row, not a model instance: an import reads 10,000 students a call.
    """

    pk: int
    district_id: int
    school_id: int
    grade: int


def _given_or_read(
    values: Iterable[Any],
    model: type[Model],
    queryset: QuerySet,
    loaded: Callable[[Any], bool] = lambda obj: True,
) -> dict[int, Any]:
    """{pk: instance} of the rows' windows or measures: the instances the caller passed (read
    in its own request, with what `loaded` asks for), the others read in one query. A grid
    box's save passes the window and measure its page just read: two queries fewer a save."""
    given: dict[int, Any] = {}
    wanted: set[int] = set()
    for value in values:
        if isinstance(value, model) and value.pk is not None and loaded(value):
            given[value.pk] = value
        elif (pk := _pk(value)) is not None:
            wanted.add(pk)
    wanted -= given.keys()
    return given | (queryset.in_bulk(wanted) if wanted else {})


def _ids_in(ids: Iterable[int]) -> RawSQL:
    """For `pk__in=_ids_in(ids)`: the ids as one array parameter, not one placeholder each.

    An import's 10,000 placeholders cost more to build and parse than the query to run.
    """
    return RawSQL("SELECT unnest(%s::bigint[])", (sorted(ids),))


@transaction.atomic
def scores_bulk_record(
    *,
    rows: Sequence[ScoreInput],
    entered_by: User | None,
    partial: bool = False,
    source: str = ScreeningScore.Source.ENTERED,
    audit: AuditContext | None = None,
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
    windows = _given_or_read(
        [r.window for r in rows],
        ScreeningWindow,
        ScreeningWindow.objects.select_related("school_year"),
        loaded=ScreeningWindow.school_year.is_cached,
    )
    days = SchoolDays(windows.values())  # a school's own dates decide when it may enter
    measures = _given_or_read([r.measure for r in rows], Measure, Measure.objects.all())
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
            errors["measure"] = [_("There is no such measure.")]
        if window is None:
            errors["window"] = [_("There is no such screening window.")]
        value = None
        if measure is not None:
            try:
                value = parse_score(r.value, measure)
            except ValidationError as exc:
                errors["score"] = exc.messages
        if student is not None and measure is not None:
            if measure.district_id not in (None, student.district_id) or not measure.active:
                errors.setdefault("measure", []).append(
                    _("This measure is not in use in the student's district.")
                )
            elif not measure.serves_grade(student.grade):
                errors.setdefault("measure", []).append(
                    _(
                        "%(measure)s is for grades %(lowest_grade)s to %(highest_grade)s; this student is in grade %(grade)s."
                    )
                    % {
                        "measure": measure.name,
                        "lowest_grade": grade_label(measure.lowest_grade),
                        "highest_grade": grade_label(measure.highest_grade),
                        "grade": grade_label(student.grade),
                    }
                )
        if student is not None and window is not None:
            if window.school_year.district_id != student.district_id:
                errors.setdefault("window", []).append(
                    _("This window belongs to another district.")
                )
            elif not days.is_open(window, student.school_id) and not may_enter_in_closed_window(
                entered_by, student.school_id
            ):
                errors.setdefault("window", []).append(WINDOW_CLOSED.format(window=window))
        if not errors:
            key = (student.pk, measure.pk, window.pk)
            if key in seen:
                errors["student"] = [
                    _(
                        "This student already has a %(measure)s score earlier in this list (item %(item)s)."
                    )
                    % {"measure": measure.name, "item": seen[key] + 1}
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
    for index, r, student, measure, window, value in valid:
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
        # The norm groups are locked above, so no save slips in between this check and the
        # write. The same value as the stored one is no conflict.
        if (current is None or current.score != value) and is_stale(
            expected=r.expected_version, current=current.version if current else 0
        ):
            conflict = _conflict(current, value, measure)
            if not partial:
                raise conflict
            result.errors.append(
                RowError(
                    index=index, row=r.row, errors={"score": [conflict.message]}, conflict=conflict
                )
            )
            continue
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
        if current.score != value:
            current.version += 1  # a new value is a new version; a re-classification is not
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
    _scores_update(to_update)
    ScoreChange.objects.bulk_create(changes, batch_size=2000)

    _refresh_groups(groups)

    # The access log: one row per student created, one per student changed.
    _log_scores(
        user=entered_by,
        action=AccessLog.Action.CREATE,
        student_ids=[row[0] for row in to_create],
        audit=audit,
    )
    _log_scores(
        user=entered_by,
        action=AccessLog.Action.UPDATE,
        student_ids=[s.student_id for s in to_update],
        audit=audit,
    )

    changed_ids = created_ids + [s.pk for s in to_update]
    changed_students = [row[0] for row in to_create] + [s.student_id for s in to_update]
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
    after_scores_saved(students[pk] for pk in changed_students)
    return result


def score_record(
    *,
    student: Student,
    measure: Measure,
    window: ScreeningWindow,
    value: Any,
    entered_by: User | None,
    source: str = ScreeningScore.Source.ENTERED,
    audit: AuditContext | None = None,
    version: int | None = None,
) -> ScreeningScore:
    """Record one score (create, or update with a ScoreChange row) and return it classified.

    Raises ValidationError keyed by field (`score`, `student`, `measure`, `window`) with a
    message a teacher can act on; nothing is saved then. `version` is the version of the
    stored score the person saw (0: none): EditConflict with both values when a colleague
    saved since.
    """
    result = scores_bulk_record(
        rows=[
            ScoreInput(
                student=student,
                measure=measure,
                window=window,
                value=value,
                expected_version=version,
            )
        ],
        entered_by=entered_by,
        source=source,
        audit=audit,
    )
    return result.scores[0]
