"""Optimistic locking for the things two people edit at once: agenda notes, score cells,
progress points, plan phases (docs/meetings.md, "Concurrency"; docs/decisions.md).

A row carries a `version`; a page or API client sends back the version it showed. The save
checks it under a row lock (or as `UPDATE ... WHERE version = n`) and, when a colleague
saved first, raises `mtss.errors.EditConflict` with both values: what is stored now
(`saved`, theirs) and what this person sent (`yours`). Pages show both and keep the typed
value with the new version, so saving again after comparing replaces theirs on purpose; the
API answers 409 with both in JSON.

Version 0 means "there was nothing saved when I looked" (an empty score box); None means the
caller asked for no check (imports, older API clients).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mtss.errors import EditConflict

Values = dict[str, Any] | Callable[[], dict[str, Any]]

__all__ = ["EditConflict", "conflict_words", "is_stale", "posted_version", "require_version"]


def is_stale(*, expected: int | None, current: int) -> bool:
    """True when the person saw an older version than the stored one."""
    return expected is not None and expected != current


def require_version(
    *, expected: int | None, current: int, what: str, saved: Values, yours: Values
) -> None:
    """Refuse a stale save with both values. Call it with the row locked, so no save slips
    in between the check and the write. `saved`/`yours` may be functions, read only when
    there is a conflict."""
    if not is_stale(expected=expected, current=current):
        return
    raise EditConflict(
        what=what,
        saved=saved() if callable(saved) else saved,
        yours=yours() if callable(yours) else yours,
        version=current,
    )


def posted_version(data: Any, name: str) -> int | None:
    """The version a form or grid sent back (None when it sent none: no check)."""
    raw = (data.get(name) or "").strip()
    return int(raw) if raw.isdigit() else None


def conflict_words(conflict: EditConflict, field: str) -> str:
    """One cell's conflict in words, with both values: what a grid box shows."""
    theirs = conflict.saved.get(field) or "nothing"
    yours = conflict.yours.get(field) or "nothing"
    return (
        f"Not saved: a colleague saved {theirs} here while you were typing {yours}. "
        f"Saved by your colleague: {theirs}. Yours: {yours} (still in the box). "
        "To keep yours instead, type it again or save the whole list."
    )
