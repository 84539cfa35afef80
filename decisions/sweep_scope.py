"""What every rule module of the sweep shares: the scope it judges and how it reads rows.

The sweep (decisions/sweep.py) runs the rule modules (sweep_screening, sweep_progress); the
modules import only this, so neither imports the sweep back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pandas as pd
from django.db import connection

from decisions.reconcile import WANTED
from mtss.lib.thresholds import Thresholds


@dataclass
class SweepScope:
    """What every rule module needs to know about the sweep it is part of."""

    district_id: int
    school_id: int | None
    as_of: date
    school_year_id: int
    year_start: date
    year_end: date
    thresholds: Thresholds
    # Existing flags of the scope (decisions.reconcile.EXISTING columns): a module that only
    # reports some students (ODR) adds rows for those with a live flag so those can resolve.
    existing: pd.DataFrame = field(default_factory=pd.DataFrame)

    def student_filter(self, alias: str = "st") -> tuple[str, dict[str, Any]]:
        """SQL condition and parameters restricting students of alias to the scope."""
        sql = f"{alias}.district_id = %(district_id)s AND {alias}.active"
        params: dict[str, Any] = {"district_id": self.district_id}
        if self.school_id is not None:
            sql += f" AND {alias}.school_id = %(school_id)s"
            params["school_id"] = self.school_id
        return sql, params

    def for_module(self, module: RuleModule, *, load: bool = False) -> SweepScope:
        """This scope as `module` sees it: only the thresholds it declares (for its `load`,
        only those it declares for the load)."""
        names = module.load_thresholds if load else module.thresholds
        return replace(self, thresholds=DeclaredThresholds(self.thresholds, names, module.name))


class UndeclaredThreshold(Exception):
    """A rule module read a threshold it does not declare."""


class DeclaredThresholds:
    """A rule module's view of the thresholds: the ones it declares, and only those.

    The what-if preview of a rule set runs only the modules whose declared thresholds differ
    between the two versions, and loads again only where the load's declared ones differ
    (decisions.whatif_rules). That is sound only if a module cannot read any other threshold,
    so every sweep hands each module this view, and reading an undeclared one fails loudly
    (in the tests first) instead of letting the preview skip a module it should run. The
    declared values are plain attributes: the rules read them per student, at full speed.
    """

    def __init__(self, thresholds: Thresholds, names: Iterable[str], module: str) -> None:
        self.__dict__.update({name: getattr(thresholds, name) for name in names})
        self.__dict__["_module"] = module

    def __getattr__(self, name: str) -> Any:
        # Called only for names this view does not hold.
        if name.startswith("__"):
            raise AttributeError(name)
        raise UndeclaredThreshold(
            f"rule module {self._module!r} read {name!r}, which its RuleModule does not declare:"
            " add it to its thresholds (or load_thresholds); the what-if preview relies on them"
        )


@dataclass(frozen=True)
class RuleModule:
    name: str
    kinds: tuple[str, ...]
    load: Callable[[SweepScope], Any]
    apply: Callable[[SweepScope, Any], pd.DataFrame]
    # Every Thresholds field that `load` or `apply` reads, and those `load` reads (enforced:
    # see DeclaredThresholds).
    thresholds: frozenset[str] = frozenset()
    load_thresholds: frozenset[str] = frozenset()


def read_frame(sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """One query into a DataFrame, columns named as the query names them."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=columns)


def empty_wanted() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in WANTED})
