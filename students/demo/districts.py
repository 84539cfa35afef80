"""Several demo districts in one database, for a state or large-network deployment
(`manage.py seed_demo --districts 10`; benchmarks/state_scale.py).

District 1 is exactly the single demo district (same seed, name and logins). District k > 1
is planned from a seed of its own, derived from the base seed and k alone, so its rows do
not depend on how many districts come before or after it; its name, demo logins
("teacher-d2", ...) and staff sourcedIds carry its number. Each district is loaded in a
transaction of its own: a state-sized load keeps what it finished when a later district
fails, and no transaction holds hundreds of thousands of rows.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from students.demo.context import DemoContext
from students.demo.data import DEFAULT_DISTRICT_NAME

# Invented place words for the later districts' names ("Birch Creek School District (demo)").
DISTRICT_WORDS = (
    "Birch Creek",
    "Lakeshore",
    "Pine Ridge",
    "Riverbend",
    "Stone Mill",
    "Willow Park",
    "Clearwater",
    "Aspen Hills",
    "Fox Hollow",
    "Granite Falls",
    "Maple Grove",
    "Elk Prairie",
)
MAX_DISTRICTS = 100


def district_seed(seed: int, number: int) -> int:
    """District `number`'s seed: the base seed for district 1, else a value drawn from the
    base seed and the number only (CRC-32: stable across processes and Python versions)."""
    if number == 1:
        return seed
    return zlib.crc32(f"{seed}:district-{number}".encode())


def district_name(base_name: str, number: int) -> str:
    """District `number`'s name: the given name for district 1, an invented one after."""
    if number == 1:
        return base_name
    word = DISTRICT_WORDS[(number - 2) % len(DISTRICT_WORDS)]
    again = (number - 2) // len(DISTRICT_WORDS)
    return f"{word} School District{f' {again + 1}' if again else ''} (demo)"


def seed_districts(
    *,
    districts: int,
    students: int,
    seed: int,
    district_name_1: str = DEFAULT_DISTRICT_NAME,
    log: Callable[[str], None] | None = None,
) -> list[DemoContext]:
    """Load `districts` demo districts of `students` students each; returns their contexts."""
    from students.demo import seed_demo

    if not 1 <= districts <= MAX_DISTRICTS:
        raise ValueError(f"The number of districts must be between 1 and {MAX_DISTRICTS}.")
    say = log or (lambda message: None)
    contexts = []
    for number in range(1, districts + 1):
        name = district_name(district_name_1, number)
        say(f"District {number} of {districts}: {name}")
        contexts.append(
            seed_demo(
                students=students,
                seed=district_seed(seed, number),
                district_name=name,
                log=log,
                number=number,
            )
        )
    return contexts
