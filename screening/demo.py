"""Screening demo data: windows, measures, the district's cut-score sets, scores, SRSS-IE
ratings and office discipline referrals for the synthetic district of `students/demo.py`.

Called by `seed_demo` as `seed(ctx)` inside its transaction. Deterministic (every draw comes
from one numpy generator seeded from `ctx.seed`, over the context's lists in their fixed
order) and fast: scores, ratings and referrals go in with PostgreSQL COPY, percentile ranks
with one UPDATE per measure and window.

What a user sees (the demo's "today" is late November 2026):
- fall window (3 to 7.5 weeks into the year: Sep 8 - Oct 9, 2026) closed, nearly everyone
  screened: reading (ORF, grades 1-6; grade 1 starts in winter, as Hasbrouck & Tindal have no
  grade 1 fall norm) against the district's copy of the Hasbrouck & Tindal norms; math
  computation (K-8, a district measure with invented cut scores, said so in its notes); and
  the SRSS-IE rating (K-8, SRSS-E7 plus I5 in elementary / I6 in middle school);
- winter window (Nov 16, 2026 - Jan 22, 2027) open: about a third of the classes have
  entered ORF and math, the demo teacher's class not yet, so score entry can be tried;
- spring window (Apr 26 - May 21, 2027) not open yet;
- roughly 75 % at or above benchmark, 15 % some risk, 8-10 % high risk, with about one class
  in fourteen far below (a classwide problem: its median under the benchmark);
- referrals since school started: most students none, a tail with 2 to 10.
Nothing here is real: latent abilities are random normals, turned into scores through the
published norm percentiles.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from screening import reference_data, risk
from screening.models import (
    BehaviorRating,
    CutScoreSet,
    Measure,
    Referral,
    ScreeningScore,
    ScreeningWindow,
)
from screening.services.cut_scores import cut_score_set_copy, cut_score_set_create
from screening.services.measures import measure_create
from students.models import User

# Window dates as days after the first day of school (Aug 17, 2026 -> Sep 8 etc.).
WINDOW_DAYS = {"fall": (22, 53), "winter": (91, 158), "spring": (252, 277)}
WINTER_CLASS_SHARE = 0.35  # classes that already entered winter scores
MISSING_SHARE = 0.03  # absent on screening day, never made up
CLASSWIDE_SHARE = 0.07  # classes far below benchmark
CLASSWIDE_EFFECT = -1.4
CLASS_SD = 0.2
WINDOW_NOISE_SD = 0.35
LATENT_SHIFT = 0.4  # the demo district does a little better than the national norms

MATH_CODE = "math-comp"
Z_KNOTS = np.array([-2.3263, -1.2816, -0.6745, 0.0, 0.6745, 1.2816, 2.3263])


def _rng(ctx: Any) -> np.random.Generator:
    return np.random.default_rng([ctx.seed, zlib.crc32(b"screening-demo")])


def _copy(model: type, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Bulk insert with PostgreSQL COPY (psycopg 3)."""
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(column_of[c]) for c in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


# -- score distributions --------------------------------------------------------------------


def _orf_curve(row: Any) -> np.ndarray:
    """Scores at Z_KNOTS from a norm row (p10..p90), extrapolated to the 1st and 99th."""
    p10, p25, p50, p75, p90 = (float(v) for v in (row.p10, row.p25, row.p50, row.p75, row.p90))
    stretch = (2.3263 - 1.2816) / (1.2816 - 0.6745)
    p1 = max(0.0, p10 - (p25 - p10) * stretch)
    p99 = p90 + (p90 - p75) * stretch
    return np.array([p1, p10, p25, p50, p75, p90, p99])


def _math_norm(grade: int, season: str) -> tuple[float, float]:
    """Mean and SD of the invented math computation measure (0-80 points)."""
    growth = {"fall": 0.0, "winter": 4.0, "spring": 7.0}[season]
    return 6.0 + 5.0 * grade + growth, 4.0 + 0.9 * grade


def _math_rows() -> list[dict[str, Any]]:
    rows = []
    for grade in range(0, 9):
        for season in reference_data.SEASONS:
            mean, sd = _math_norm(grade, season)
            rows.append(
                {
                    "grade": grade,
                    "season": season,
                    "benchmark": Decimal(round(mean - 0.6745 * sd)),
                    "high_risk_cut": Decimal(round(mean - 1.2816 * sd)),
                }
            )
    return rows


def _local_ranks(values: np.ndarray, groups: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """Percentile ranks within each group (grade): the same rule as the services' refresh."""
    frame = pd.DataFrame({"value": values, "group": groups})
    ranks = frame.groupby("group")["value"].transform(
        lambda column: risk.percentile_ranks(column, higher_is_better=higher_is_better)
    )
    return ranks.to_numpy(dtype=np.int64)


# -- the step --------------------------------------------------------------------------------


def seed(ctx: Any) -> None:
    rng = _rng(ctx)
    district, year = ctx.district, ctx.year
    windows = {}
    for season, (start, end) in WINDOW_DAYS.items():
        windows[season] = ScreeningWindow.objects.create(
            school_year=year,
            season=season,
            start_date=year.start_date + dt.timedelta(days=start),
            end_date=year.start_date + dt.timedelta(days=end),
            is_open=season == "winter",
        )

    # The district's own active sets, copied from the shipped references. The migration loads
    # those; load them again (idempotent) for a database emptied with `flush` since.
    reference_data.load(django_apps)
    reference_sets = {
        s.measure.code: s
        for s in CutScoreSet.objects.filter(district=None, is_active=True).select_related("measure")
    }
    sets: dict[str, CutScoreSet] = {}
    for code in (
        reference_data.ORF_CODE,
        reference_data.SRSS_E7_CODE,
        reference_data.SRSS_I5_CODE,
        reference_data.SRSS_I6_CODE,
    ):
        sets[code] = cut_score_set_copy(source=reference_sets[code], district=district, actor=None)
    math = measure_create(
        district=district,
        actor=None,
        code=MATH_CODE,
        name="Math computation",
        domain="math",
        area="academic",
        purpose="both",
        unit="points (8-minute probe)",
        min_score=Decimal("0"),
        max_score=Decimal("80"),
        higher_is_better=True,
        lowest_grade=0,
        highest_grade=8,
        instrument="District math computation probe",
        description="Mixed computation problems at grade level, scored in points.",
    )
    sets[MATH_CODE] = cut_score_set_create(
        district=district,
        measure=math,
        name="Math computation benchmarks",
        rows=_math_rows(),
        actor=None,
        source="Demo data.",
        notes="Invented for the demo district: benchmark at about the 25th and high-risk cut "
        "at about the 10th percentile of a made-up norm (mean 6 + 5 x grade points in fall).",
    )
    measures = {
        "orf": sets[reference_data.ORF_CODE].measure,
        "math": math,
    }
    rows_by = {
        code: {(r.grade, r.season): r for r in cut_set.rows.all()} for code, cut_set in sets.items()
    }

    students = list(ctx.students)
    if not students:
        return
    n = len(students)
    index_of = {s.id: i for i, s in enumerate(students)}
    grades = np.array([s.grade for s in students])
    boys = np.array([s.sex == "M" for s in students])
    iep = np.array([s.iep for s in students])
    el = np.array([s.english_learner for s in students])
    econ = np.array([s.economically_disadvantaged for s in students])
    middle_ids = {school.pk for school in ctx.middle_schools}
    in_middle = np.array([s.school_id in middle_ids for s in students])

    # Latent abilities: reading, math (correlated), behavior and internalizing propensities.
    base = rng.normal(size=n)
    reading = base - 0.4 * iep - 0.2 * el - 0.1 * econ + LATENT_SHIFT
    math_z = 0.6 * base + 0.8 * rng.normal(size=n) - 0.35 * iep - 0.1 * el - 0.1 * econ
    math_z += LATENT_SHIFT
    behavior = rng.normal(size=n) + 0.3 * boys + 0.2 * iep
    internal = 0.3 * behavior + rng.normal(size=n)

    # Classes: each student's reading class (homeroom or ELA) and math class (homeroom or math).
    sections = list(ctx.sections)
    reading_class = np.full(n, -1)
    math_class = np.full(n, -1)
    teacher_of = np.zeros(n, dtype=np.int64)
    effect = rng.normal(scale=CLASS_SD, size=len(sections))
    effect[rng.random(len(sections)) < CLASSWIDE_SHARE] = CLASSWIDE_EFFECT
    demo_teacher = ctx.logins.get("teacher")
    demo_sections = set()
    for k, section in enumerate(sections):
        if demo_teacher in section.teacher_ids:
            demo_sections.add(k)
        idx = [index_of[sid] for sid in section.student_ids if sid in index_of]
        if section.subject in ("homeroom", "ela"):
            reading_class[idx] = k
            if section.teacher_ids:
                teacher_of[idx] = section.teacher_ids[0]
        if section.subject in ("homeroom", "math"):
            math_class[idx] = k
    class_effect = np.append(effect, 0.0)  # index -1: no class
    reading = reading + class_effect[reading_class]
    math_z = math_z + class_effect[math_class]
    winter_classes = rng.random(len(sections)) < WINTER_CLASS_SHARE
    for k in demo_sections:
        winter_classes[k] = False
    winter_done = np.append(winter_classes, False)

    score_rows: list[tuple] = []

    def add_scores(
        code: str, measure: Measure, window: ScreeningWindow, values: np.ndarray, take: np.ndarray
    ) -> None:
        cut_set = sets[code]
        rows = rows_by[code]
        when = dt.datetime.combine(window.start_date, dt.time(15, 0), tzinfo=dt.UTC)
        taken = np.flatnonzero(take)
        ranks = _local_ranks(values[taken], grades[taken], measure.higher_is_better)
        for i, pr in zip(taken, ranks, strict=True):
            grade = int(grades[i])
            value = Decimal(int(values[i]))
            row = rows.get((grade, window.season))
            level = (
                risk.classify_criterion(
                    value, row.benchmark, row.high_risk_cut, measure.higher_is_better
                ).value
                if row
                else None
            )
            score_rows.append(
                (
                    students[i].id,
                    measure.pk,
                    window.pk,
                    grade,
                    value,
                    level,
                    int(pr),
                    cut_set.pk if row else None,
                    ScreeningScore.Source.ENTERED,
                    int(teacher_of[i]) or None,
                    when,
                    when,
                )
            )

    for season in ("fall", "winter"):
        window = windows[season]
        noise = rng.normal(scale=WINDOW_NOISE_SD, size=n)
        present = rng.random(n) >= MISSING_SHARE
        if season == "winter":
            reading_take = present & winter_done[reading_class]
            math_take = present & winter_done[math_class]
        else:
            reading_take = present.copy()
            math_take = present.copy()
        # ORF: grades 1-6 where the norms have a row for the season.
        orf_values = np.zeros(n)
        orf_ok = np.zeros(n, dtype=bool)
        for grade in range(1, 7):
            row = rows_by[reference_data.ORF_CODE].get((grade, season))
            if row is None:
                continue
            mask = grades == grade
            orf_values[mask] = np.interp(reading[mask] + noise[mask], Z_KNOTS, _orf_curve(row))
            orf_ok |= mask
        orf_values = np.clip(np.rint(orf_values), 0, 300)
        add_scores(
            reference_data.ORF_CODE, measures["orf"], window, orf_values, orf_ok & reading_take
        )
        # Math: grades K-8.
        math_values = np.zeros(n)
        math_ok = (grades >= 0) & (grades <= 8)
        for grade in range(0, 9):
            mask = grades == grade
            mean, sd = _math_norm(grade, season)
            math_values[mask] = mean + sd * (math_z[mask] + noise[mask])
        math_values = np.clip(np.rint(math_values), 0, 80)
        add_scores(MATH_CODE, math, window, math_values, math_ok & math_take)

    _copy(
        ScreeningScore,
        (
            "student_id",
            "measure_id",
            "window_id",
            "grade",
            "score",
            "risk_level",
            "percentile_rank",
            "cut_score_set_id",
            "source",
            "entered_by_id",
            "entered_at",
            "updated_at",
        ),
        score_rows,
    )

    _seed_srss(
        rng, windows["fall"], sets, students, grades, in_middle, behavior, internal, teacher_of
    )
    _seed_referrals(ctx, rng, students, in_middle, behavior, teacher_of)


def _seed_srss(
    rng: np.random.Generator,
    window: ScreeningWindow,
    sets: dict[str, CutScoreSet],
    students: list,
    grades: np.ndarray,
    in_middle: np.ndarray,
    behavior: np.ndarray,
    internal: np.ndarray,
    teacher_of: np.ndarray,
) -> None:
    """SRSS-IE ratings in the fall window (6-8 weeks in), with their two screening scores."""
    n = len(students)
    rated = (grades >= 0) & (grades <= 8) & (rng.random(n) >= MISSING_SHARE)
    e_keys = [k for k, _ in reference_data.SRSS_EXTERNALIZING_ITEMS]
    i_keys = [k for k, _ in reference_data.SRSS_INTERNALIZING_ITEMS]
    # Each item is 0-3: a binomial(3, p) with p rising with the student's propensity.
    p_e = 1 / (1 + np.exp(-(1.3 * behavior - 2.9)))
    p_i = 1 / (1 + np.exp(-(1.3 * internal - 3.4)))
    e_items = rng.binomial(3, np.repeat(p_e[:, None], len(e_keys), axis=1))
    i_items = rng.binomial(3, np.repeat(p_i[:, None], len(i_keys), axis=1))
    peer_rejection = e_items[:, e_keys.index(reference_data.SRSS_SECONDARY_EXTRA_INTERNALIZING)]
    e_total = e_items.sum(axis=1)
    i_total = i_items.sum(axis=1) + np.where(in_middle, peer_rejection, 0)
    when = dt.datetime.combine(window.end_date, dt.time(16, 0), tzinfo=dt.UTC)

    def rating_rows() -> Iterable[tuple]:
        for i in np.flatnonzero(rated):
            items = dict(zip(e_keys, (int(v) for v in e_items[i]), strict=True))
            items.update(zip(i_keys, (int(v) for v in i_items[i]), strict=True))
            yield (
                students[i].id,
                window.pk,
                int(teacher_of[i]) or None,
                reference_data.SRSS_INSTRUMENT,
                "secondary" if in_middle[i] else "elementary",
                json.dumps(items),
                int(e_total[i]),
                int(i_total[i]),
                when,
                when,
            )

    _copy(
        BehaviorRating,
        (
            "student_id",
            "window_id",
            "rater_id",
            "instrument_version",
            "school_level",
            "items",
            "externalizing_total",
            "internalizing_total",
            "created_at",
            "updated_at",
        ),
        rating_rows(),
    )
    rating_id = dict(BehaviorRating.objects.filter(window=window).values_list("student_id", "id"))
    e7 = sets[reference_data.SRSS_E7_CODE]
    i5 = sets[reference_data.SRSS_I5_CODE]
    i6 = sets[reference_data.SRSS_I6_CODE]
    rows_of = {s.pk: {(r.grade, r.season): r for r in s.rows.all()} for s in (e7, i5, i6)}

    taken = np.flatnonzero(rated)
    e_ranks = dict(zip(taken, _local_ranks(e_total[taken], grades[taken], False), strict=True))
    # I5 and I6 are separate measures, so separate norm groups (grade keeps them apart too,
    # except in grades where both are used; the level is folded into the group key).
    level_key = grades[taken] + 100 * in_middle[taken]
    i_ranks = dict(zip(taken, _local_ranks(i_total[taken], level_key, False), strict=True))

    def score_rows() -> Iterable[tuple]:
        for i in taken:
            grade = int(grades[i])
            for cut_set, value, pr in (
                (e7, int(e_total[i]), e_ranks[i]),
                (i6 if in_middle[i] else i5, int(i_total[i]), i_ranks[i]),
            ):
                row = rows_of[cut_set.pk].get((grade, window.season))
                level = (
                    risk.classify_criterion(value, row.benchmark, row.high_risk_cut, False).value
                    if row
                    else None
                )
                yield (
                    students[i].id,
                    cut_set.measure_id,
                    window.pk,
                    grade,
                    Decimal(value),
                    level,
                    int(pr),
                    cut_set.pk if row else None,
                    rating_id[students[i].id],
                    ScreeningScore.Source.RATING,
                    int(teacher_of[i]) or None,
                    when,
                    when,
                )

    _copy(
        ScreeningScore,
        (
            "student_id",
            "measure_id",
            "window_id",
            "grade",
            "score",
            "risk_level",
            "percentile_rank",
            "cut_score_set_id",
            "behavior_rating_id",
            "source",
            "entered_by_id",
            "entered_at",
            "updated_at",
        ),
        score_rows(),
    )


LOCATIONS = (
    ("classroom", 0.44),
    ("hallway", 0.1),
    ("cafeteria", 0.1),
    ("playground", 0.12),
    ("bus", 0.05),
    ("restroom", 0.04),
    ("gym", 0.06),
    ("library", 0.02),
    ("bus_area", 0.03),
    ("other", 0.04),
)
BEHAVIORS = (
    ("defiance", 0.22),
    ("disruption", 0.2),
    ("physical_aggression", 0.12),
    ("abusive_language", 0.12),
    ("fighting", 0.05),
    ("harassment", 0.06),
    ("skipping", 0.05),
    ("technology", 0.04),
    ("property_damage", 0.03),
    ("theft", 0.02),
    ("lying_cheating", 0.03),
    ("physical_contact", 0.03),
    ("other", 0.03),
)
MOTIVATIONS = (
    ("peer_attention", 0.3),
    ("adult_attention", 0.14),
    ("avoid_task", 0.25),
    ("obtain_item", 0.08),
    ("avoid_peers", 0.05),
    ("avoid_adults", 0.05),
    ("avoid_activity", 0.03),
    ("unknown", 0.1),
)
OTHERS = (("peers", 0.5), ("none", 0.22), ("teacher", 0.14), ("staff", 0.09), ("substitute", 0.05))
ACTIONS = (
    ("conference", 0.28),
    ("parent_contact", 0.2),
    ("loss_of_privilege", 0.15),
    ("time_in_office", 0.12),
    ("detention", 0.08),
    ("in_school_suspension", 0.07),
    ("out_of_school_suspension", 0.04),
    ("restitution", 0.03),
    ("reflection", 0.03),
)


def _pick(rng: np.random.Generator, options: Sequence[tuple[str, float]], size: int) -> list:
    names = [o for o, _ in options]
    weights = np.array([w for _, w in options])
    return [names[k] for k in rng.choice(len(names), size=size, p=weights / weights.sum())]


def _seed_referrals(
    ctx: Any,
    rng: np.random.Generator,
    students: list,
    in_middle: np.ndarray,
    behavior: np.ndarray,
    teacher_of: np.ndarray,
) -> None:
    """Office discipline referrals from the first week of school to the Friday before 'today'."""
    year = ctx.year
    n = len(students)
    rate = np.exp(-1.9 + 1.3 * behavior + 0.35 * in_middle)
    counts = np.minimum(rng.poisson(rate), 10)
    total = int(counts.sum())
    if total == 0:
        return
    who = np.repeat(np.arange(n), counts)
    first, last = year.start_date + dt.timedelta(days=7), year.start_date + dt.timedelta(days=95)
    school_days = [
        first + dt.timedelta(days=d)
        for d in range((last - first).days + 1)
        if (first + dt.timedelta(days=d)).weekday() < 5
    ]
    days = rng.integers(0, len(school_days), size=total)
    minutes = rng.integers(0, 91, size=total) * 5 + 7 * 60 + 45  # 7:45 to 15:15
    severity = np.where(rng.random(total) < 0.7, "major", "minor")
    columns = {
        "location": _pick(rng, LOCATIONS, total),
        "problem_behavior": _pick(rng, BEHAVIORS, total),
        "perceived_motivation": _pick(rng, MOTIVATIONS, total),
        "others_involved": _pick(rng, OTHERS, total),
        "action_taken": _pick(rng, ACTIONS, total),
    }
    teacher_ids = sorted({int(t) for t in teacher_of if t})
    names = {u.pk: u.display_name() for u in User.objects.filter(pk__in=teacher_ids)}
    when = timezone.now()

    def rows() -> Iterable[tuple]:
        for k in range(total):
            i = who[k]
            staff = int(teacher_of[i]) or None
            yield (
                students[i].id,
                students[i].school_id,
                year.pk,
                school_days[days[k]],
                dt.time(int(minutes[k]) // 60, int(minutes[k]) % 60),
                str(severity[k]),
                columns["location"][k],
                columns["problem_behavior"][k],
                columns["perceived_motivation"][k],
                columns["others_involved"][k],
                columns["action_taken"][k],
                staff,
                names.get(staff, "") if staff else "",
                "",
                staff,
                when,
            )

    _copy(
        Referral,
        (
            "student_id",
            "school_id",
            "school_year_id",
            "date",
            "time",
            "severity",
            "location",
            "problem_behavior",
            "perceived_motivation",
            "others_involved",
            "action_taken",
            "staff_id",
            "staff_name",
            "notes",
            "reported_by_id",
            "created_at",
        ),
        rows(),
    )
