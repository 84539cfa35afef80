"""The rows of a cut-score set checked before any version is written: grades the measure
serves, each grade and season once, scores in the measure's range, the high-risk cut on the
right side of the benchmark, percentile edges in order. Errors name the row (1-based)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from screening import risk
from screening.models.measures import Measure
from screening.models.values import Season
from screening.services.values import parse_score
from students.models import GRADE_MAX, GRADE_MIN, grade_label

ROW_FIELDS = ("benchmark", "high_risk_cut", "p10", "p25", "p50", "p75", "p90")


def validate_rows(measure: Measure, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
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


def validate_edges(high: Any, some: Any) -> tuple[int, int]:
    try:
        high_i, some_i = int(high), int(some)
    except (TypeError, ValueError):
        raise ValidationError(
            {
                "high_risk_below_pr": [
                    gettext("Percentile edges must be whole numbers from 1 to 99.")
                ]
            }
        ) from None
    if not (1 <= high_i <= some_i <= 99):
        raise ValidationError(
            {
                "some_risk_below_pr": [
                    gettext(
                        "Percentile edges must be between 1 and 99, with the high-risk edge "
                        "at or below the some-risk edge."
                    )
                ]
            }
        )
    return high_i, some_i
