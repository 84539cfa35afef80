"""What the later apps' demo steps receive: the roster as plain values (DemoContext) and
the demo logins."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field, fields
from typing import Any

from students.models import (
    District,
    School,
    SchoolYear,
)

# --- what later steps receive ------------------------------------------------------------------


@dataclass(slots=True)
class DemoStudent:
    id: int
    local_id: str
    school_id: int
    grade: int
    sex: str
    race_ethnicity: str
    english_learner: bool
    iep: bool
    section_504: bool
    economically_disadvantaged: bool


@dataclass(slots=True)
class DemoSection:
    id: int
    school_id: int
    grade: int
    subject: str  # "homeroom" (elementary: reading and math), "ela" or "math" (middle)
    teacher_ids: tuple[int, ...]
    student_ids: tuple[int, ...]


@dataclass
class DemoContext:
    """The roster the later demo steps build on; every list is in a deterministic order."""

    seed: int
    district: District
    year: SchoolYear
    elementary_schools: list[School]
    middle_schools: list[School]
    students: list[DemoStudent]
    sections: list[DemoSection]
    # (school id, role) -> staff user ids; district administrators under (None, role).
    staff: dict[tuple[int | None, str], list[int]]
    # Demo username ("teacher", "interventionist", ...) -> user id.
    logins: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def schools(self) -> list[School]:
        return [*self.elementary_schools, *self.middle_schools]

    def rng(self, step: str) -> random.Random:
        """A random stream of its own for one demo step, so steps do not shift each other."""
        return random.Random(f"{self.seed}:{step}")

    def numpy_rng(self, step: str) -> Any:
        import numpy as np

        return np.random.default_rng([self.seed, zlib.crc32(step.encode())])

    def students_frame(self) -> Any:
        """The students as a pandas DataFrame (one row per student, columns as DemoStudent)."""
        import pandas as pd

        columns = [f.name for f in fields(DemoStudent)]
        return pd.DataFrame(
            [[getattr(s, c) for c in columns] for s in self.students], columns=columns
        )


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("teacher", "Teacher (grade 3)", "the students in their own class"),
    DemoLogin("msteacher", "Teacher (grade 7 math)", "the students in their math sections"),
    DemoLogin("interventionist", "Interventionist", "the students on their intervention caseload"),
    DemoLogin("team", "School team member", "every student of their school"),
    DemoLogin("principal", "School administrator", "every student of their school"),
    DemoLogin("district", "District administrator", "every student of the district"),
    DemoLogin("admin", "Superuser (platform operator)", "everything, and /admin/"),
)
