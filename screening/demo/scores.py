"""The screening demo step: windows, the district's cut-score sets, ORF and math scores."""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal
from typing import Any

import numpy as np
from django.apps import apps as django_apps

from screening import reference_data, risk
from screening.demo.ratings import _seed_srss
from screening.demo.referrals import _seed_referrals
from screening.demo.shared import MISSING_SHARE, _copy, _local_ranks
from screening.models.cut_scores import CutScoreSet
from screening.models.measures import Measure
from screening.models.scores import ScreeningScore
from screening.models.windows import ScreeningWindow
from screening.services.cut_scores import cut_score_set_copy, cut_score_set_create
from screening.services.measures import measure_create

# Window dates as days after the first day of school (Aug 17, 2026 -> Sep 8 etc.).
WINDOW_DAYS = {"fall": (22, 53), "winter": (91, 158), "spring": (252, 277)}
WINTER_CLASS_SHARE = 0.35  # classes that already entered winter scores
CLASSWIDE_SHARE = 0.07  # classes far below benchmark
CLASSWIDE_EFFECT = -1.4
CLASS_SD = 0.2
WINDOW_NOISE_SD = 0.35
LATENT_SHIFT = 0.4  # the demo district does a little better than the national norms

MATH_CODE = "math-comp"
Z_KNOTS = np.array([-2.3263, -1.2816, -0.6745, 0.0, 0.6745, 1.2816, 2.3263])


def _rng(ctx: Any) -> np.random.Generator:
    return np.random.default_rng([ctx.seed, zlib.crc32(b"screening-demo")])


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
        sets[code] = cut_score_set_copy(
            source=reference_sets[code], district=district, actor=None, activate=True
        )
    math = measure_create(
        district=district,
        actor=None,
        code=MATH_CODE,
        name="Math computation",
        domain="math",
        skill="computation",
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
        activate=True,
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
