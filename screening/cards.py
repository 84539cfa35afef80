"""What screening shows on the roster's pages (students.slots): the student profile's
"Screening history" card, per measure a table and a chart."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from screening import charts
from screening.models.measures import Measure
from screening.models.scores import ScreeningScore
from screening.selectors import score_history
from students.models import Student, User


def student_screening_card(*, user: User, student: Student) -> dict[str, Any]:
    """Data of the profile's "Screening history" card: per measure a table and a chart."""
    history = score_history(user=user, student_id=student.pk)
    by_measure: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for item in history:
        measure = item["measure"]
        entry = by_measure.setdefault(measure.pk, {"measure": measure, "rows": []})
        score: ScreeningScore = item["score"]
        entry["rows"].append(
            {
                "score": score,
                "window": item["window"],
                "benchmark": item["benchmark"],
                "high_risk_cut": item["high_risk_cut"],
                "point": charts.HistoryPoint(
                    label=f"{item['window'].name} {item['window'].school_year.name}",
                    score=score.score,
                    risk_level=score.risk_level,
                    benchmark=item["benchmark"],
                    high_risk_cut=item["high_risk_cut"],
                ),
            }
        )
    measures = []
    for entry in by_measure.values():
        measure: Measure = entry["measure"]
        points = [r["point"] for r in entry["rows"]]
        figure = charts.history_figure(
            points,
            measure_name=measure.name,
            unit=measure.unit,
            higher_is_better=measure.higher_is_better,
            min_score=float(measure.min_score),
            max_score=float(measure.max_score),
        )
        measures.append(
            {
                **entry,
                "figure": figure,
                "summary": charts.history_summary(points, measure_name=measure.name),
                "chart_id": f"screening-chart-{measure.pk}",
                "figure_id": f"screening-chart-{measure.pk}-data",
            }
        )
    return {"measures": measures}
