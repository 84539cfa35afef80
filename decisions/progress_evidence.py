"""The evidence dicts of the vectorised progress rules (decisions.progress_rules): per plan, the
same dict `interventions.analysis.analyze_plan` puts in `Analysis.evidence`.

Every column becomes a list of plain Python values at once (NaN -> None, days -> ISO text),
then the dicts are zipped together: per-value conversion cost seconds a district.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def floats(values: Any) -> list[float | None]:
    """A float column as Python floats, NaN as None."""
    return [None if v != v else v for v in np.asarray(values, dtype=float).tolist()]


def iso_days(values: Any) -> list[str | None]:
    """A datetime column as ISO days ("2026-01-31"), NaT as None, converted in C."""
    days = pd.to_datetime(pd.Series(values))
    text = np.datetime_as_string(days.to_numpy(dtype="datetime64[D]"), unit="D")
    return [None if v == "NaT" else v for v in text.tolist()]


def ints_or_none(values: Any, present: Any) -> list[int | None]:
    """Whole numbers where `present`, None elsewhere."""
    return [
        int(v) if ok else None
        for v, ok in zip(np.asarray(values).tolist(), np.asarray(present).tolist(), strict=True)
    ]


def optional_bools(values: pd.Series) -> list[bool | None]:
    """A nullable bool column as True / False / None."""
    return [None if v is None or v != v else bool(v) for v in values.astype(object).tolist()]


def recent_points(recent: pd.DataFrame) -> dict[Any, list[dict[str, Any]]]:
    """The data-point rule's last run of points per plan: {plan_id: [{date, score, aim}]}.

    `recent`: plan_id, _day, score, _aim_value (the run's rows in order)."""
    lists: dict[Any, list[dict[str, Any]]] = {}
    for plan_id, day, score, aim_value in zip(
        recent["plan_id"].tolist(),
        iso_days(recent["_day"]),
        recent["score"].tolist(),
        floats(recent["_aim_value"].to_numpy()),
        strict=True,
    ):
        lists.setdefault(plan_id, []).append({"date": day, "score": score, "aim": aim_value})
    return lists


def evidence_rows(
    plan_ids: list[Any],
    columns: dict[str, list[Any]],
    *,
    recent: dict[Any, list[dict[str, Any]]],
    constants: dict[str, Any],
) -> list[dict[str, Any]]:
    """One evidence dict per plan: `columns` (evidence key -> one value per plan, in the
    plans' order), the plan's `recent_points`, and `constants` (the same for every plan)."""
    keys = list(columns)
    return [
        {
            "kind": "progress",
            **dict(zip(keys, values, strict=True)),
            "recent_points": recent.get(plan_id, []),
            **constants,
        }
        for plan_id, values in zip(plan_ids, zip(*columns.values(), strict=True), strict=True)
    ]
