"""JSON-ready values and frame helpers the decision rules share: evidence a Flag stores as is
(plain numbers, strings, ISO dates), required columns, days, group slices."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

# --- JSON-ready values -------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def jsonable(value: Any) -> Any:
    """One value as plain JSON: numpy scalars unboxed, NaN/NA/NaT to None, dates to ISO."""
    if isinstance(value, np.generic):
        value = value.item()
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def _number(value: Any) -> float | int | None:
    """A score-like number: ints stay ints (38, not 38.0), others become floats."""
    value = jsonable(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    value = float(value)
    return int(value) if value.is_integer() else value


def json_list(values: pd.Series, kind: str = "any") -> list[Any]:
    """A whole column as JSON-ready Python values, converted column-wise (fast at scale).

    kind "number": floats, whole values as ints (38 rather than 38.0); "int": ints;
    "bool": bools; "any": Python scalars as they come (ids, strings). Missing -> None.
    """
    missing = values.isna().to_numpy()
    if kind in {"number", "int"}:
        numbers = pd.to_numeric(values.astype(object).where(~missing, np.nan)).astype(float)
        array = numbers.to_numpy()
        out = array.astype(object)
        whole = ~missing & (np.floor(array) == array) & np.isfinite(array)
        if kind == "int":
            whole = ~missing
        out[whole] = array[whole].astype(np.int64).astype(object)
    elif kind == "bool":
        out = values.astype(object).to_numpy().copy()
        out[~missing] = [bool(v) for v in out[~missing]]
    elif pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values.dt.strftime("%Y-%m-%d").astype(object).to_numpy().copy()
    else:
        out = values.astype(object).to_numpy().copy()
    out[missing] = None
    result = out.tolist()
    if kind == "any" and values.dtype == object:
        # An object column may hold numpy scalars, Decimals or dates: convert those cells.
        result = [v if type(v) in _PLAIN else jsonable(v) for v in result]
    return result


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def _to_day(values: pd.Series) -> pd.Series:
    """Dates (date objects, strings or datetimes) as midnight timestamps."""
    return pd.to_datetime(values).dt.normalize()


def _group_slices(keys: pd.DataFrame) -> list[tuple[int, int]]:
    """(start, stop) of each run of equal key rows in a frame already sorted by the keys."""
    if len(keys) == 0:
        return []
    change = np.zeros(len(keys), dtype=bool)
    change[0] = True
    for column in keys.columns:
        values = keys[column].to_numpy()
        change[1:] |= values[1:] != values[:-1]
    starts = np.flatnonzero(change)
    stops = np.append(starts[1:], len(keys))
    return list(zip(starts.tolist(), stops.tolist(), strict=True))
