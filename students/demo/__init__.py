"""The synthetic demo district: schools, a school year, sections, staff for every role, students.

`seed_demo(...)` is what `manage.py seed_demo` runs: `seed_roster(...)` builds the roster and
returns a `DemoContext`; then each later app's demo step (registered in students.slots.
DEMO_LOADERS from its AppConfig.ready()) adds its own demo data (screening scores, plans, flags,
meetings). See docs/demo-data.md.

Everything is synthetic (names are random pairs from small lists) and deterministic: the same
`seed` gives the same rows, because every random draw comes from a `random.Random` seeded
from it, in a fixed order, never from the clock or from dict/set iteration of unordered data.
Students and enrollments are written with PostgreSQL COPY, so 50,000 students take seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction

from students import slots
from students.demo.context import DEMO_LOGINS, DemoContext, DemoLogin, DemoSection, DemoStudent
from students.demo.data import (
    DEFAULT_DISTRICT_NAME,
    DEFAULT_SEED,
    DEFAULT_STUDENTS,
    DEMO_PASSWORD,
    MIN_STUDENTS,
    YEAR_END,
    YEAR_NAME,
    YEAR_START,
)
from students.demo.plan import plan_district
from students.demo.write import DemoAccountsExist, seed_roster

__all__ = [
    "DEFAULT_DISTRICT_NAME",
    "DEFAULT_SEED",
    "DEFAULT_STUDENTS",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "MIN_STUDENTS",
    "YEAR_END",
    "YEAR_NAME",
    "YEAR_START",
    "DemoAccountsExist",
    "DemoContext",
    "DemoLogin",
    "DemoSection",
    "DemoStudent",
    "plan_district",
    "seed_demo",
    "seed_roster",
]


def seed_demo(
    *,
    students: int,
    seed: int,
    district_name: str = DEFAULT_DISTRICT_NAME,
    log: Callable[[str], None] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    number: int = 1,
) -> DemoContext:
    """The whole demo: roster, then each app's demo step, in one transaction.

    `progress(done, total, step)` is called before each step (done = steps finished so far)
    and once more at the end with done == total, so a caller can draw a progress bar.
    `number`: the district's place in a multi-district demo (students.demo.districts)."""
    say = log or (lambda message: None)
    tell = progress or (lambda done, total, step: None)
    # Later apps' steps (slots.DEMO_LOADERS), in dependency order: flags need scores,
    # meetings need flags.
    loaders = list(slots.DEMO_LOADERS)
    total = 1 + len(loaders)
    with transaction.atomic():
        tell(0, total, "roster")
        ctx = seed_roster(students=students, seed=seed, district_name=district_name, number=number)
        for step, seconds in ctx.timings.items():
            say(f"  {step}: {seconds:.1f} s")
        for done, step in enumerate(loaders, start=1):
            tell(done, total, step.key)
            started = time.perf_counter()
            step.seed(ctx)
            ctx.timings[step.key] = time.perf_counter() - started
            say(f"  {step.key}: {ctx.timings[step.key]:.1f} s")
        tell(total, total, "done")
    return ctx
