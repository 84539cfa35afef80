"""The filters as SQL (and ORM) conditions, shared by every dashboard query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_noop

from screening.models import ScreeningWindow
from students.models import SchoolYear

# Student groups: key -> (label, SQL condition on students_student aliased `st`).
FLAG_GROUPS: dict[str, tuple[str, str]] = {
    "english_learner": (gettext_noop("English learners"), "st.english_learner"),
    "iep": (gettext_noop("Students with an IEP"), "st.iep"),
    "section_504": (gettext_noop("Students with a 504 plan"), "st.section_504"),
    "economically_disadvantaged": (
        gettext_noop("Economically disadvantaged"),
        "st.economically_disadvantaged",
    ),
}


@dataclass(frozen=True)
class Filters:
    """What the dashboards count, once the user's choices are checked against their scope."""

    district_id: int
    school_ids: tuple[int, ...]
    year: SchoolYear
    window: ScreeningWindow | None
    previous_window: ScreeningWindow | None
    grade: int | None = None
    domain: str = ""
    group: str = ""
    measure_id: int | None = None
    as_of: dt.date | None = None
    # An earlier school year seen from today: its students are those of the chosen schools
    # whether still enrolled or not (they have left since, the roster keeps their last school).
    past: bool = False


def _student_where(
    f: Filters, *, alias: str = "st", grade_column: str | None = None
) -> tuple[str, dict]:
    """WHERE conditions on the students table for the filters (named parameters)."""
    parts = [
        f"{alias}.school_id = ANY(%(schools)s)",
        f"{alias}.district_id = %(district)s",
    ]
    if not f.past:
        parts.append(f"{alias}.active")
    params: dict[str, Any] = {"schools": list(f.school_ids), "district": f.district_id}
    if f.grade is not None:
        parts.append(f"{grade_column or alias + '.grade'} = %(grade)s")
        params["grade"] = f.grade
    if f.group:
        if f.group in FLAG_GROUPS:
            parts.append(FLAG_GROUPS[f.group][1].replace("st.", f"{alias}."))
        elif f.group.startswith("race:"):
            parts.append(f"{alias}.race_ethnicity = %(group_value)s")
            params["group_value"] = f.group.split(":", 1)[1]
        elif f.group.startswith("sex:"):
            parts.append(f"{alias}.sex = %(group_value)s")
            params["group_value"] = f.group.split(":", 1)[1]
    return " AND ".join(parts), params


# Up to this many schools, the score aggregates are narrowed to the chosen students first;
# for more (a district administrator's default), aggregating the window's scores whole and
# joining the students once is cheaper than probing the semi-join per score.
NARROW_SCHOOLS = 10


def _narrow(f: Filters, column: str) -> str:
    if len(f.school_ids) <= NARROW_SCHOOLS:
        return f" AND {column} IN (SELECT id FROM pop)"
    return ""


TIER_SQL = (
    "MAX(CASE s.risk_level WHEN 'at_or_above' THEN 1 WHEN 'some_risk' THEN 2 "
    "WHEN 'high_risk' THEN 3 END)"
)


def _domain_condition(f: Filters, alias: str = "m") -> tuple[str, dict]:
    if f.domain:
        return f" AND {alias}.domain = %(domain)s", {"domain": f.domain}
    return "", {}


def _rank(alias: str) -> str:
    return (
        f"(CASE {alias}.risk_level WHEN 'at_or_above' THEN 1 WHEN 'some_risk' THEN 2 "
        f"WHEN 'high_risk' THEN 3 END)"
    )


def group_q(group: str) -> Q:
    """The student-group filter as an ORM condition (the same groups as FLAG_GROUPS etc.)."""
    if group in FLAG_GROUPS:
        return Q(**{group: True})
    if group.startswith("race:"):
        return Q(race_ethnicity=group.split(":", 1)[1])
    if group.startswith("sex:"):
        return Q(sex=group.split(":", 1)[1])
    return Q()
