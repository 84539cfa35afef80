"""The district progress measures the demo plans use (made when the district has none)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from screening import reference_data
from screening import services as screening_services
from screening.models import Measure

MATH_CODE = "math-comp"  # the screening demo's district math measure
BEHAVIOR_CODE = "daily-points"
SEL_CODE = "dbr-internalizing"


def _progress_measures(ctx: Any) -> dict[str, Measure]:
    district = ctx.district
    orf = Measure.objects.get(district=None, code=reference_data.ORF_CODE)
    math = Measure.objects.filter(district=district, code=MATH_CODE).first()
    behavior = Measure.objects.filter(district=district, code=BEHAVIOR_CODE).first()
    if behavior is None:
        behavior = screening_services.measure_create(
            district=district,
            actor=None,
            code=BEHAVIOR_CODE,
            name="Daily point card (% of points earned)",
            domain="behavior",
            area="behavior",
            purpose="progress",
            unit="percent of points",
            min_score=Decimal("0"),
            max_score=Decimal("100"),
            higher_is_better=True,
            lowest_grade=0,
            highest_grade=12,
            slope_tolerance=Decimal("2.0"),
            instrument="Check-in/Check-out daily progress report",
            description="Share of the points a student earned on the daily card: teachers rate "
            "each school-wide expectation after every period. Weekly average.",
        )
    sel = Measure.objects.filter(district=district, code=SEL_CODE).first()
    if sel is None:
        sel = screening_services.measure_create(
            district=district,
            actor=None,
            code=SEL_CODE,
            name="Direct behavior rating: worried or withdrawn",
            domain="sel",
            area="sel",
            purpose="progress",
            unit="rating 0-10",
            min_score=Decimal("0"),
            max_score=Decimal("10"),
            higher_is_better=False,
            lowest_grade=0,
            highest_grade=12,
            slope_tolerance=Decimal("0.3"),
            instrument="Direct behavior rating (teacher, end of day)",
            description="How much of the day the student seemed worried or withdrawn, 0 (none) "
            "to 10 (all of it); weekly average. Lower is better.",
        )
    result = {"reading": orf, "behavior": behavior, "sel": sel}
    if math is not None:
        result["math"] = math
    return result
