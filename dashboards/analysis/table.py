"""The `Table` every panel returns, and the formatting and suppression helpers all tables share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext, gettext_noop

from dashboards import suppression

# Catalog messages: read them through gettext where they are shown.
DOMAIN_LABELS = {
    "reading": gettext_noop("Reading"),
    "math": gettext_noop("Math"),
    "behavior": gettext_noop("Behavior"),
    "sel": gettext_noop("Social-emotional"),
}


def grade_label(grade: int | None) -> str:
    if grade is None:
        return "-"
    return {-1: "PK", 0: "K"}.get(grade, str(grade))


@dataclass(frozen=True)
class Column:
    key: str
    # The heading as written (a catalog message, marked with gettext_noop where it is
    # written): `label` gives it in the active language, a plain str for pages, CSV and
    # plotly. Headings made of data (a window's name) come back as they are.
    msgid: str
    numeric: bool = True

    @property
    def label(self) -> str:
        return gettext(self.msgid)


@dataclass
class Table:
    """What a panel shows: display strings (`rows`), numbers for the API (`data`)."""

    key: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, str]] = field(default_factory=list)
    data: list[dict[str, Any]] = field(default_factory=list)
    # Per row: a link for the row (e.g. the missing students) and an emphasis flag.
    links: list[str] = field(default_factory=list)
    marks: list[bool] = field(default_factory=list)
    # Per row: cells the page words differently from the CSV (a band code inside a sentence).
    pages: list[dict[str, str]] = field(default_factory=list)
    note: str = ""

    def add(
        self,
        shown: dict[str, str],
        data: dict[str, Any],
        *,
        link: str = "",
        mark: bool = False,
        page: dict[str, str] | None = None,
    ) -> None:
        self.rows.append(shown)
        self.data.append(data)
        self.links.append(link)
        self.marks.append(mark)
        self.pages.append(page or {})

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def has_links(self) -> bool:
        return any(self.links)

    def lines(self) -> list[dict[str, Any]]:
        """Rows for a template: cells in column order (the first is the row header)."""
        return [
            {
                "cells": [(page.get(c.key, row.get(c.key, "")), c.numeric) for c in self.columns],
                "link": link,
                "mark": mark,
            }
            for row, link, mark, page in zip(
                self.rows, self.links, self.marks, self.pages, strict=True
            )
        ]

    def csv_rows(self) -> list[list[str]]:
        """Header and rows exactly as the page prints them."""
        out = [[c.label for c in self.columns]]
        out += [[row.get(c.key, "") for c in self.columns] for row in self.rows]
        return out


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else value


def _fmt_number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fmt_signed(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    text = _fmt_number(abs(value), digits)
    return text if value == 0 else ("+" if value > 0 else "−") + text


def _protect_sizes(sizes: Sequence[int]) -> list[bool]:
    """Group sizes along a line whose total is shown: primary + complementary."""
    return suppression.protect_line(list(sizes), suppression.primary(sizes))


def _rate_block(
    table: Table,
    items: list[
        tuple[str, dict[str, str], dict[str, Any], int, Callable[[bool], tuple[dict, dict]]]
    ],
    *,
    total: tuple[dict[str, str], dict[str, Any], int, Callable[[bool], tuple[dict, dict]]] | None,
) -> None:
    """Rows of rates over groups whose sizes add up to a shown total: hide small groups and
    a complementary group (the sizes are a line). Each item: (sort key, shown, data, size,
    figures(hidden) -> (shown extras, data extras))."""
    sizes = [it[3] for it in items]
    hidden = _protect_sizes(sizes) if total is not None else suppression.primary(sizes)
    for (_, shown, data, _size, figures), h in zip(items, hidden, strict=True):
        extra_shown, extra_data = figures(h)
        table.add({**shown, **extra_shown}, {**data, **extra_data, "suppressed": h})
    if total is not None:
        shown, data, size, figures = total
        h = suppression.is_small(size)
        extra_shown, extra_data = figures(h)
        table.add({**shown, **extra_shown}, {**data, **extra_data, "suppressed": h}, mark=True)
