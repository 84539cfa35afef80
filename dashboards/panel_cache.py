"""Worked-out panels kept in Redis, so that the next reader of the same figures does not
work them out again (a district's equity panel is ~0.6 s of database time at 50,000
students).

Correct by construction rather than by expiry: the key holds
- the scope the request was resolved to (filters.resolve, through the one scoping function
  `students.access.team_school_ids`): the chosen schools, the user's schools and their
  names, so one scope's figures are never served to another;
- every choice the figures depend on (year, windows, grade, domain, group, measure, step,
  dimension, tier source, span, rows per school or grade, the date the figures are as of),
  the audience (internal or published: small cells are suppressed differently) and the
  language;
- the data version (dashboards.data_version) of the tables the panel reads, read before
  the figures are worked out: any committed write to them gives a new key;
- the code that works the figures out (`code_version`): workers of a new release never
  read what an older one stored.

Anything that depends on the reader rather than the scope (behavior's most-referred
students, read through students_visible_to) stays outside the cached panel. Without Redis
the panel is worked out as before.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dashboards.figure_cache import remember
from dashboards.panel_reads import Reads

if TYPE_CHECKING:
    from dashboards.filters import Resolved
    from dashboards.selectors.conditions import Filters


def _plain(value: Any) -> Any:
    """A model instance by its key and how it reads (its name appears in the figures)."""
    pk = getattr(value, "pk", None)
    return (pk, str(value)) if pk is not None else value


def scope_key(name: str, r: Resolved) -> str:
    """What the panel `name` depends on besides the data, as a digest."""
    f = r.filters
    material = (
        name,
        r.audience,
        filters_material(f),
        _plain(r.school),
        tuple((s.pk, s.name, s.district_id) for s in r.schools),
        tuple((w.pk, str(w)) for w in r.windows),
        tuple((m.pk, m.name, m.domain) for m in r.measures),
        r.step.key,
        r.dimension,
        r.tier_source,
        r.span,
        r.by,
    )
    return hashlib.sha256(repr(material).encode()).hexdigest()


def score_windows(r: Resolved) -> list[int] | None:
    """The windows whose rows a panel reads in its `per_window` tables: the chosen one and
    the one before it; every window for the three-year views."""
    if r.span > 1:
        return None
    f = r.filters
    return [w.pk for w in (f.window, f.previous_window) if w is not None]


def filters_material(f: Filters) -> tuple:
    return tuple((field.name, _plain(getattr(f, field.name))) for field in dataclasses.fields(f))


def cached(name: str, *, reads: Reads) -> Callable:
    """Serve the panel built by the decorated function from the cache when its key matches.
    `reads`: the tables the panel's figures are read from (its data version's sources)."""

    def decorate(build: Callable[[Resolved], Any]) -> Callable[[Resolved], Any]:
        @functools.wraps(build)
        def wrapper(r: Resolved) -> Any:
            if r.filters is None:
                return build(r)
            return remember(
                name,
                (scope_key(name, r),),
                reads=reads,
                windows=score_windows(r),
                build=lambda: build(r),
            )

        wrapper.reads = reads  # type: ignore[attr-defined]
        return wrapper

    return decorate
