"""Goal setting from published weekly oral-reading growth rates."""

from __future__ import annotations

from typing import Literal

# Fuchs, Fuchs, Hamlett, Walz & Germann (1993), oral reading, words correct per week:
# grade -> (realistic, ambitious).
GROWTH_RATES: dict[int, tuple[float, float]] = {
    1: (2.0, 3.0),
    2: (1.5, 2.0),
    3: (1.0, 1.5),
    4: (0.85, 1.1),
    5: (0.5, 0.8),
    6: (0.3, 0.65),
}


def growth_rate(grade: int, ambition: Literal["realistic", "ambitious"] = "ambitious") -> float:
    """Weekly oral-reading growth for goal setting (Fuchs et al. 1993); grades 1-6 only."""
    if grade not in GROWTH_RATES:
        raise ValueError(f"no published oral-reading growth rate for grade {grade} (1-6 only)")
    realistic, ambitious = GROWTH_RATES[grade]
    if ambition == "realistic":
        return realistic
    if ambition == "ambitious":
        return ambitious
    raise ValueError("ambition must be 'realistic' or 'ambitious'")


def goal_from_growth(
    *,
    baseline: float,
    grade: int,
    weeks: float,
    ambition: Literal["realistic", "ambitious"] = "ambitious",
) -> float:
    """Goal = baseline + weekly growth x weeks (42 + 1.5 x 20 = 72 in domain.md)."""
    return baseline + growth_rate(grade, ambition) * weeks
