"""OneRoster vocabularies turned into the platform's values. Pure functions, no database.

Each parser returns the value or raises CodeError with a message a data clerk can act on.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from students.models import GRADE_MAX, GRADE_MIN, RaceEthnicity, Role, Sex


class CodeError(ValueError):
    """A value the importer cannot use; str(exc) is the reason shown in the report."""


# -- status --------------------------------------------------------------------------

ACTIVE = "active"
TOBEDELETED = "tobedeleted"


def parse_status(value: str, *, mode: str) -> tuple[str, str]:
    """(active | tobedeleted, note). Bulk files may leave status blank (= active)."""
    v = value.strip().lower()
    if v == ACTIVE:
        return ACTIVE, ""
    if v == TOBEDELETED:
        return TOBEDELETED, ""
    if v == "inactive":
        # OneRoster 1.0 wrote "inactive"; 1.1 replaced it with tobedeleted.
        return TOBEDELETED, "status 'inactive' (OneRoster 1.0) was read as tobedeleted"
    if not v:
        if mode == "bulk":
            return ACTIVE, ""
        raise CodeError("status is blank; in a delta file it must be active or tobedeleted")
    raise CodeError(f"status '{value}' is not active or tobedeleted")


# -- dates and booleans --------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_date(value: str, *, column: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None when blank."""
    v = value.strip()
    if not v:
        return None
    if _DATE.match(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise CodeError(f"{column} '{value}' is not a date written as YYYY-MM-DD (e.g. 2014-09-02)")


@functools.lru_cache(maxsize=1024)  # an export stamps most rows with the same few values
def check_datetime(value: str) -> bool:
    """dateLastModified: we do not use it, but say so when it is malformed."""
    v = value.strip()
    return not v or bool(_DATETIME.match(v))


TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}


def parse_bool(value: str, *, column: str) -> bool | None:
    """true/false, yes/no, Y/N, 1/0 in any case; None when blank."""
    v = value.strip().lower()
    if not v:
        return None
    if v in TRUE_WORDS:
        return True
    if v in FALSE_WORDS:
        return False
    raise CodeError(f"{column} '{value}' is not true or false (also accepted: Y/N, yes/no, 1/0)")


def split_list(value: str) -> list[str]:
    """A multi-value field ("09,10,11" or "a, b") as a list without blanks."""
    return [part.strip() for part in value.split(",") if part.strip()]


# -- grades --------------------------------------------------------------------------

# CEDS entry grade levels as OneRoster writes them. IT (infant/toddler), PS (postsecondary),
# UG (ungraded) and 13 have no place in a PK-12 MTSS and are refused for students.
_PREK = {"PK", "PR", "TK", "P3", "P4"}
_KINDERGARTEN = {"KG", "K", "00", "0"}


def parse_grade(code: str) -> int:
    c = code.strip().upper()
    if c in _PREK:
        return -1
    if c in _KINDERGARTEN:
        return 0
    if c.isdigit():
        n = int(c)
        if GRADE_MIN <= n <= GRADE_MAX:
            return n
    raise CodeError(f"grade '{code}' is outside pre-K to 12 (accepted: PK, KG, 01 to 12)")


def student_grade(value: str) -> tuple[int, str]:
    """(grade, note) from a student's `grades`: one code; several -> the first, noted."""
    codes = split_list(value)
    if not codes:
        raise CodeError("grades is blank; a student needs a grade (PK, KG, 01 to 12)")
    grade = parse_grade(codes[0])
    note = ""
    if len(codes) > 1:
        note = f"several grades '{value}': the first ({codes[0]}) was used"
    return grade, note


def grade_list(value: str) -> tuple[int, ...]:
    """Every usable grade of a class's or course's `grades` ("09,10,11" -> (9, 10, 11));
    codes outside PK-12 are left out (they are reported where the class is read)."""
    grades: list[int] = []
    for code in split_list(value):
        try:
            grades.append(parse_grade(code))
        except CodeError:
            continue
    return tuple(dict.fromkeys(grades))


def class_grade(value: str) -> tuple[int | None, str]:
    """(grade, note) of a class: the single grade, or None when it spans several or none."""
    codes = split_list(value)
    if len(codes) == 1:
        try:
            return parse_grade(codes[0]), ""
        except CodeError as exc:
            return None, f"{exc}; the class was imported without a grade"
    return None, ""


# -- sex and race/ethnicity ----------------------------------------------------------

SEX = {
    "male": Sex.MALE,
    "m": Sex.MALE,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
    "other": Sex.NONBINARY,
    "x": Sex.NONBINARY,
    "unspecified": Sex.UNKNOWN,
    "u": Sex.UNKNOWN,
    "": Sex.UNKNOWN,
}


def parse_sex(value: str) -> str:
    try:
        return SEX[value.strip().lower()]
    except KeyError:
        raise CodeError(f"sex '{value}' is not male, female, other or unspecified") from None


# demographics.csv column -> category, in the reporting order of domain.md section 5.
RACE_COLUMNS = (
    ("americanIndianOrAlaskaNative", RaceEthnicity.AMERICAN_INDIAN),
    ("asian", RaceEthnicity.ASIAN),
    ("blackOrAfricanAmerican", RaceEthnicity.BLACK),
    ("nativeHawaiianOrOtherPacificIslander", RaceEthnicity.PACIFIC_ISLANDER),
    ("white", RaceEthnicity.WHITE),
)


def race_ethnicity(*, hispanic: bool | None, races: list[str], two_or_more: bool | None) -> str:
    """Federal category: Hispanic/Latino of any race first; then two or more races when
    several race flags are set (or the two-or-more flag); then the single race; else
    not reported (domain.md section 5)."""
    if hispanic:
        return RaceEthnicity.HISPANIC_LATINO
    if two_or_more or len(races) > 1:
        return RaceEthnicity.TWO_OR_MORE
    if len(races) == 1:
        return races[0]
    return RaceEthnicity.UNKNOWN


# -- roles ---------------------------------------------------------------------------

STUDENT = "student"
SKIP = "skip"

# OneRoster 1.1 and 1.2 role vocabularies -> our staff roles. "administrator" (1.1) depends
# on the org: a district org gives district_admin, a school gives school_admin.
ROLE_MAP: dict[str, str] = {
    "student": STUDENT,
    "teacher": Role.TEACHER,
    "aide": Role.TEACHER,
    "administrator": "administrator",
    "principal": Role.SCHOOL_ADMIN,
    "siteadministrator": Role.SCHOOL_ADMIN,
    "districtadministrator": Role.DISTRICT_ADMIN,
    "counselor": Role.TEAM_MEMBER,
    # People who do not sign in to the MTSS platform. Parents, guardians and relatives are
    # imported as family contacts (people_guardians.py), proctors and system administrators
    # are counted, not imported.
    "parent": SKIP,
    "guardian": SKIP,
    "relative": SKIP,
    "proctor": SKIP,
    "systemadministrator": SKIP,
}


def map_role(value: str) -> str:
    try:
        return ROLE_MAP[value.strip().lower()]
    except KeyError:
        raise CodeError(
            f"role '{value}' is not a OneRoster role (student, teacher, aide, administrator, "
            "principal, counselor, parent, ...)"
        ) from None


def school_year_name(end_year: int) -> str:
    """OneRoster's schoolYear is the year the school year ends: 2024 -> '2023-2024'."""
    return f"{end_year - 1}-{end_year}"


def dates_fit_school_year(end_year: int, start: dt.date, end: dt.date) -> bool:
    """Whether a session from `start` to `end` belongs to the school year that OneRoster's
    schoolYear `end_year` names (2024 is 2023-2024): its middle day falls between July 1 of
    the year before and June 30 of `end_year`. A semester of 2023-09-04 to 2024-01-26 (middle
    day 2023-11-15) marked 2023 does not; a fall term of 2022-09-01 to 2022-12-24 does."""
    middle = start + (end - start) / 2
    return dt.date(end_year - 1, 7, 1) <= middle <= dt.date(end_year, 6, 30)


# -- family contacts ---------------------------------------------------------------------

FAMILY_ROLES = ("parent", "guardian", "relative")

# ISO 639-2 codes and language names a SIS may write instead of ISO 639-1.
_LANGUAGE_WORDS = {
    "eng": "en",
    "english": "en",
    "spa": "es",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "vie": "vi",
    "vietnamese": "vi",
    "chi": "zh",
    "zho": "zh",
    "chinese": "zh",
    "ara": "ar",
    "arabic": "ar",
    "fre": "fr",
    "fra": "fr",
    "french": "fr",
    "por": "pt",
    "portuguese": "pt",
    "som": "so",
    "somali": "so",
    "hmn": "hmn",
    "hmong": "hmn",
}


def parse_language(value: str) -> str:
    """A preferred language as an ISO 639-1 code ("es-MX", "spa", "Spanish" -> "es");
    "" when blank. Raises CodeError for something that is not a language code or name."""
    v = value.strip().lower()
    if not v:
        return ""
    if v in _LANGUAGE_WORDS:
        return _LANGUAGE_WORDS[v]
    base = re.split(r"[-_]", v, maxsplit=1)[0]
    if base in _LANGUAGE_WORDS:
        return _LANGUAGE_WORDS[base]
    if re.fullmatch(r"[a-z]{2}", base):
        return base
    raise CodeError(
        f"preferred language '{value}' is not a language code (such as es, es-MX or spa)"
    )
