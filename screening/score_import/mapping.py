"""Which column holds what: the mapping, its guess from header names, and its checks.

Pure: header names and plain values in, a Mapping or messages out. The user confirms the
guess on the mapping page; the command line gives it as `student=Student ID,score=WCPM`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any


class IdKind:
    LOCAL = "local"
    SOURCED = "sourced"
    CHOICES = [
        (LOCAL, "Student ID (the district's local ID)"),
        (SOURCED, "OneRoster sourcedId"),
    ]


class DateUse:
    IGNORE = "ignore"
    CHECK = "check"
    CHOICES = [
        (IGNORE, "Ignore the date"),
        (CHECK, "Refuse a row whose date is outside its screening window"),
    ]


@dataclass
class Mapping:
    """Column names (as in the header) and the values that hold for the whole file.

    A measure comes from `measure_column` (its code or name on each row) or is `measure_id`
    for the whole file; a window from `window_column` (season, optionally with the year) plus
    `year_column` or `school_year_id`, or is `window_id` for the whole file.
    """

    student: str = ""
    id_kind: str = IdKind.LOCAL
    score: str = ""
    measure_column: str = ""
    measure_id: int | None = None
    window_column: str = ""
    year_column: str = ""
    school_year_id: int | None = None
    window_id: int | None = None
    date_column: str = ""
    date_use: str = DateUse.IGNORE

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def columns(self) -> dict[str, str]:
        """Role -> column name, for the roles mapped to a column."""
        roles = {
            "student": self.student,
            "score": self.score,
            "measure": self.measure_column,
            "window": self.window_column,
            "year": self.year_column,
            "date": self.date_column,
        }
        return {role: name for role, name in roles.items() if name}


def normalise(name: str) -> str:
    """'Student ID #' -> 'studentid': case, spaces and punctuation do not matter."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


# Header names seen in FastBridge, aimswebPlus, Acadience (mCLASS) and SIS exports, best first.
STUDENT_NAMES = (
    "studentid",
    "localid",
    "studentlocalid",
    "localstudentid",
    "sisid",
    "studentsisid",
    "sisstudentid",
    "studentnumber",
    "districtstudentid",
    "districtid",
    "studentidnumber",
    "schoolstudentid",
    "idnumber",
    "id",
)
SOURCED_NAMES = ("sourcedid", "studentsourcedid", "usersourcedid", "onerosterid")
SCORE_NAMES = (
    "score",
    "wcpm",
    "wordscorrect",
    "wordscorrectperminute",
    "rawscore",
    "totalscore",
    "finalscore",
    "compositescore",
    "orf",
    "orfwordscorrect",
    "dorfwordscorrect",
    "correct",
    "points",
)
MEASURE_NAMES = (
    "measure",
    "measurecode",
    "measurename",
    "assessment",
    "assessmentname",
    "assessmentcode",
    "test",
    "testname",
    "subtest",
    "probe",
)
WINDOW_NAMES = (
    "window",
    "season",
    "period",
    "screeningperiod",
    "screeningwindow",
    "benchmarkperiod",
    "assessmentperiod",
    "testingperiod",
    "timeofyear",
    "term",
)
YEAR_NAMES = ("schoolyear", "academicyear", "year")
DATE_NAMES = (
    "date",
    "testdate",
    "assessmentdate",
    "administrationdate",
    "dateadministered",
    "datetested",
    "datecompleted",
)
# "Score" inside these is another kind of number (percentile, scaled, risk...).
_NOT_A_RAW_SCORE = ("percentile", "scale", "risk", "date", "goal", "target", "national", "level")


def _find(header: list[str], names: tuple[str, ...], taken: set[str]) -> str:
    by_norm: dict[str, str] = {}
    for h in header:
        if h and h not in taken:
            by_norm.setdefault(normalise(h), h)
    for name in names:
        if name in by_norm:
            return by_norm[name]
    return ""


def guess_mapping(header: list[str]) -> Mapping:
    """A first guess from the header; anything not recognised is left empty for the user."""
    taken: set[str] = set()
    mapping = Mapping()
    mapping.student = _find(header, STUDENT_NAMES, taken)
    if not mapping.student:
        mapping.student = _find(header, SOURCED_NAMES, taken)
        if mapping.student:
            mapping.id_kind = IdKind.SOURCED
    taken.add(mapping.student)
    mapping.score = _find(header, SCORE_NAMES, taken)
    if not mapping.score:
        # "ORF Score", "CBMreading WCPM": a header naming a raw score that is not a
        # percentile or a scaled score.
        for h in header:
            n = normalise(h)
            raw = any(w in n for w in ("score", "wcpm", "wordscorrect"))
            if h and h not in taken and raw and not any(w in n for w in _NOT_A_RAW_SCORE):
                mapping.score = h
                break
    taken.add(mapping.score)
    mapping.measure_column = _find(header, MEASURE_NAMES, taken)
    taken.add(mapping.measure_column)
    mapping.window_column = _find(header, WINDOW_NAMES, taken)
    taken.add(mapping.window_column)
    mapping.year_column = _find(header, YEAR_NAMES, taken)
    taken.add(mapping.year_column)
    mapping.date_column = _find(header, DATE_NAMES, taken)
    return mapping


ROLE_ALIASES = {
    "student": "student",
    "id": "student",
    "score": "score",
    "measure": "measure_column",
    "window": "window_column",
    "season": "window_column",
    "year": "year_column",
    "date": "date_column",
}


def parse_mapping_option(text: str, base: Mapping | None = None) -> Mapping:
    """`student=Student ID,score=WCPM,window=Season` (the command line) onto a mapping.

    Raises ValueError with a readable message for an unknown role or a missing '='.
    """
    mapping = base or Mapping()
    for part in [p for p in text.split(",") if p.strip()]:
        if "=" not in part:
            raise ValueError(f"'{part.strip()}' should look like role=Column Name.")
        role, column = (s.strip() for s in part.split("=", 1))
        attr = ROLE_ALIASES.get(role.lower())
        if attr is None:
            raise ValueError(f"Unknown role '{role}'. Use: {', '.join(sorted(set(ROLE_ALIASES)))}.")
        setattr(mapping, attr, column)
    return mapping


ROLE_LABELS = {
    "student": "student ID",
    "score": "score",
    "measure": "measure",
    "window": "window",
    "year": "school year",
    "date": "date",
}


def mapping_problems(mapping: Mapping, header: list[str]) -> list[str]:
    """What stops the mapping from being used on this file (empty list: it can be used)."""
    problems = []
    counts: dict[str, int] = {}
    for h in header:
        counts[h] = counts.get(h, 0) + 1
    listed = ", ".join(f"'{h}'" for h in header if h)
    if not mapping.student:
        problems.append("Choose the column that holds the student ID.")
    if not mapping.score:
        problems.append("Choose the column that holds the score.")
    for role, column in mapping.columns().items():
        if counts.get(column, 0) == 0:
            problems.append(
                f"The file has no column named '{column}' (for the {ROLE_LABELS[role]}). "
                f"Its columns are: {listed}."
            )
        elif counts[column] > 1:
            problems.append(
                f"{counts[column]} columns are named '{column}'; rename one so the "
                f"{ROLE_LABELS[role]} column is clear."
            )
    used = [c for c in mapping.columns().values()]
    for column in {c for c in used if used.count(c) > 1}:
        roles = [ROLE_LABELS[r] for r, c in mapping.columns().items() if c == column]
        problems.append(f"The column '{column}' is chosen for both {' and '.join(roles)}.")
    if not mapping.measure_column and not mapping.measure_id:
        problems.append("Choose the measure column, or one measure for the whole file.")
    if not mapping.window_column and not mapping.window_id:
        problems.append("Choose the window (season) column, or one window for the whole file.")
    if mapping.id_kind not in (IdKind.LOCAL, IdKind.SOURCED):
        problems.append("Choose whether the IDs are local student IDs or OneRoster sourcedIds.")
    return problems


# -- seasons and years ----------------------------------------------------------------------

_SEASON_WORDS = {
    "fall": "fall",
    "autumn": "fall",
    "boy": "fall",
    "beginning": "fall",
    "begin": "fall",
    "winter": "winter",
    "moy": "winter",
    "middle": "winter",
    "mid": "winter",
    "midyear": "winter",
    "spring": "spring",
    "eoy": "spring",
    "end": "spring",
}
_SEASON_LETTERS = {"f": "fall", "w": "winter", "s": "spring"}
_YEAR_SPAN = re.compile(r"(?<!\d)(\d{4})\s*[-/–]\s*(\d{2}|\d{4})(?!\d)")
_ONE_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass(frozen=True)
class YearRef:
    """A school year as written: a span (2026-2027, 2026-27) or one calendar year (2027)."""

    start: int | None = None
    end: int | None = None
    calendar: int | None = None


def parse_year(text: str) -> YearRef | None:
    """'2026-2027', '2026-27', '2026/27' -> span; '2027' -> one calendar year; else None."""
    text = (text or "").strip()
    span = _YEAR_SPAN.search(text)
    if span:
        start = int(span.group(1))
        tail = span.group(2)
        end = int(tail) if len(tail) == 4 else (start // 100) * 100 + int(tail)
        if len(tail) == 2 and end < start:
            end += 100  # 2099-00
        if end == start + 1:
            return YearRef(start=start, end=end)
        return None
    one = _ONE_YEAR.search(text)
    if one:
        return YearRef(calendar=int(one.group(1)))
    return None


def parse_window_label(text: str) -> tuple[str | None, YearRef | None]:
    """'Fall 2026-2027', 'BOY', 'Winter 2027', 'W' -> (season or None, year or None)."""
    raw = (text or "").strip()
    year = parse_year(raw)
    without_years = _YEAR_SPAN.sub(" ", raw)
    without_years = _ONE_YEAR.sub(" ", without_years)
    words = [w for w in re.split(r"[^a-z]+", without_years.lower()) if w]
    season = None
    for w in words:
        if w in _SEASON_WORDS:
            season = _SEASON_WORDS[w]
            break
    if season is None and len(words) == 1 and words[0] in _SEASON_LETTERS:
        season = _SEASON_LETTERS[words[0]]
    return season, year
