"""The early-warning tables: the ABCs by school, by grade and by student group."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
from django.utils.translation import gettext, gettext_noop

from dashboards.analysis.table import Column, Table, grade_label
from dashboards.suppression import is_small, show_count, show_percent

MEASURES = ("students", "with_attendance", "chronic", "with_marks", "failing", "suspended")
COLUMNS = [
    Column("label", "", False),
    Column("students", gettext_noop("Students")),
    Column("chronic", gettext_noop("Chronically absent")),
    Column("chronic_share", gettext_noop("% chronically absent (of students with attendance)")),
    Column("failing", gettext_noop("Failing a course")),
    Column("failing_share", gettext_noop("% failing (of students with marks)")),
    Column("suspended", gettext_noop("Suspended")),
    Column("suspended_share", gettext_noop("% suspended")),
]


def _line(table: Table, label: str, row: dict, *, mark: bool = False, key: dict) -> None:
    n = int(row["students"])
    hidden = is_small(n)
    shown = {"label": label, "students": show_count(n, hidden)}
    data = {**key, "suppressed": hidden}
    for count, base, share in (
        ("chronic", "with_attendance", "chronic_share"),
        ("failing", "with_marks", "failing_share"),
        ("suspended", "students", "suspended_share"),
    ):
        c, b = int(row[count]), int(row[base])
        small = hidden or is_small(b)
        shown[count] = show_count(c, small) if b else "—"
        shown[share] = (
            show_percent(c / b if b else None, small, of=b) if b else gettext("no data yet")
        )
        data[count] = None if small else c
        data[base] = None if hidden else b
        data[share] = None if small or not b else c / b
    data["students"] = None if hidden else n
    table.add(shown, data, mark=mark)


def _grouped(
    frame: pd.DataFrame, by: str, caption: str, head: str, label: Callable[[object], str]
) -> Table:
    table = Table(
        key=f"ew_{by}", caption=caption, columns=[Column("label", head, False), *COLUMNS[1:]]
    )
    grouped = frame.groupby(by, sort=True)[list(MEASURES)].sum()
    for value, row in grouped.iterrows():
        _line(table, label(value), row.to_dict(), key={by: value})
    _line(
        table,
        gettext("All students"),
        frame[list(MEASURES)].sum().to_dict(),
        mark=True,
        key={by: None},
    )
    return table


GROUPS = (
    ("english_learner", gettext_noop("English learners")),
    ("iep", gettext_noop("Students with an IEP")),
    ("section_504", gettext_noop("Students with a 504 plan")),
    ("economically_disadvantaged", gettext_noop("Economically disadvantaged")),
)


def early_warning_tables(
    rows: Iterable[dict], *, school_names: dict[int, str], race_labels: dict[str, str]
) -> dict[str, Table]:
    frame = pd.DataFrame(list(rows))
    if frame.empty:
        return {}
    for m in MEASURES:
        frame[m] = pd.to_numeric(frame[m]).astype("int64")
    tables = {
        "ew_school_id": _grouped(
            frame, "school_id", gettext("Early-warning indicators by school"), gettext("School"),
            lambda v: school_names.get(int(v), gettext("School %(id)s") % {"id": v}),
        ),
        "ew_grade": _grouped(
            frame, "grade", gettext("Early-warning indicators by grade"), gettext("Grade"),
            lambda v: grade_label(int(v)),
        ),
    }  # fmt: skip
    groups = Table(
        key="ew_groups",
        caption=gettext("Early-warning indicators by student group"),
        columns=[Column("label", gettext_noop("Student group"), False), *COLUMNS[1:]],
    )
    for value, row in frame.groupby("race_ethnicity", sort=True)[list(MEASURES)].sum().iterrows():
        _line(groups, race_labels.get(value, value), row.to_dict(), key={"group": f"race:{value}"})
    for column, label in GROUPS:
        part = frame.loc[frame[column].astype(bool), list(MEASURES)].sum()
        _line(groups, gettext(label), part.to_dict(), key={"group": column})
    _line(
        groups,
        gettext("All students"),
        frame[list(MEASURES)].sum().to_dict(),
        mark=True,
        key={"group": None},
    )
    tables["ew_groups"] = groups
    return tables
