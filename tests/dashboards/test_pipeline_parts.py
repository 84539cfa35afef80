"""The equity pipeline counted from per-student parts (dashboards.selectors.pipeline_parts):
the counts are those of the students' own rows, and a write re-reads only the part, and for
flags only the school, it concerns."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import timezone

from dashboards import data_version
from dashboards.analysis.pipeline import STEP_BY_KEY, pipeline_frame, step_counts
from dashboards.selectors.conditions import Filters
from dashboards.selectors.pipeline import pipeline_counts
from decisions.models import Flag

pytestmark = pytest.mark.django_db


def _filters(dash) -> Filters:
    w = dash.world
    return Filters(
        district_id=w.district.pk,
        school_ids=(w.school.pk, w.other_school.pk),
        year=dash.year,
        window=dash.fall,
        previous_window=None,
    )


def _flag_at(dash, school, student, **fields) -> Flag:
    """A copy of the fixture's open reading flag, for `student` at `school`."""
    model = Flag.objects.filter(student=dash.groups["lee_a"][0]).get()
    copied = {
        f.name: getattr(model, f.name)
        for f in Flag._meta.concrete_fields
        if f.name not in ("id", "student", "school", "created_at", "updated_at")
    }
    return Flag.objects.create(**{**copied, **fields}, student=student, school=school)


def _parts_read(f: Filters) -> list[tuple[str, list]]:
    """(part, schools asked for) of each part query while counting `f`'s pipeline."""
    read: list[tuple[str, list]] = []

    def spy(execute, sql, params, many, context):  # noqa: ANN001 -- Django's wrapper API
        if match := re.search(r"/\* pipeline part (\w+) \*/", sql):
            read.append((match.group(1), sorted(params.get("schools", []))))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        pipeline_counts(f)
    return read


def test_the_flagged_and_decided_counts_are_the_students_own_flags(dash):
    # The fixture: lee_a[0] has an open flag, ruiz_c[0] a dismissed one (both at Maple).
    f = _filters(dash)
    frame = pipeline_frame(pipeline_counts(f))
    assert step_counts(frame, STEP_BY_KEY["flagged"])[1] == 2
    # "Overridden": among students with a decided flag (the dismissed one; the open one is
    # not decided yet), those with a decision against the rules: the dismissal.
    assert step_counts(frame, STEP_BY_KEY["overridden"])[:2] == (1, 1)


def test_a_student_flagged_at_two_schools_is_counted_once_with_both_flags(dash):
    w = dash.world
    student = dash.groups["lee_a"][0]
    _flag_at(
        dash,
        w.other_school,
        student,
        status="dismissed",
        dismissed_reason="Moved",
        resolved_at=timezone.now(),
    )
    frame = pipeline_frame(pipeline_counts(_filters(dash)))
    # Still two flagged students; now both have a dismissed flag.
    assert step_counts(frame, STEP_BY_KEY["flagged"])[1] == 2
    assert step_counts(frame, STEP_BY_KEY["overridden"])[:2] == (2, 2)


def test_a_flag_written_at_one_school_re_reads_that_schools_flags_only(dash):
    w = dash.world
    f = _filters(dash)
    first = _parts_read(f)
    assert ("fl", sorted([w.school.pk, w.other_school.pk])) in first
    assert _parts_read(f) == []  # every part from the cache
    _flag_at(dash, w.other_school, w.other_student)
    assert _parts_read(f) == [("fl", [w.other_school.pk])]
    Flag.objects.filter(school=w.school).update(recommended_tier=3)
    assert _parts_read(f) == [("fl", [w.school.pk])]


def test_flag_notes_name_the_school_so_another_schools_version_stays(dash):
    w = dash.world

    def version(school) -> str:
        return data_version.version(
            tables=(), per_window=["decisions_flag:student"], windows=[school.pk]
        )

    maple, oak = version(w.school), version(w.other_school)
    every = data_version.version(tables=["decisions_flag"], windows=None)
    Flag.objects.filter(school=w.school).update(recommended_tier=3)
    assert version(w.school) != maple
    assert version(w.other_school) == oak
    assert data_version.version(tables=["decisions_flag"], windows=None) != every


def test_each_part_names_every_table_it_reads(dash):
    """A table a part reads but does not name would leave that part stale in the cache."""
    from dataclasses import replace

    from dashboards.selectors.pipeline_parts import PARTS

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p', 'v', 'm')"
            " AND relnamespace = current_schema()::regnamespace"
        )
        tables = {name for (name,) in cursor.fetchall()}
    district = _filters(dash)
    choices = [
        district,
        replace(district, domain="reading"),
        replace(district, school_ids=(dash.world.school.pk,)),
    ]
    for name, part in PARTS.items():
        read = {t for f in choices for t in re.findall(r"[a-z][a-z0-9_]+", part.sql(f))}
        assert sorted((read & tables) - part.reads.every) == [], name
