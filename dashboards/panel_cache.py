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

import contextlib
import dataclasses
import functools
import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.core.cache import caches
from django.utils import translation
from redis.exceptions import RedisError

from dashboards import data_version
from dashboards.panel_reads import Reads

if TYPE_CHECKING:  # the filters' module reads selectors, whose pipeline parts use this cache
    from dashboards.filters import Resolved
    from dashboards.selectors.conditions import Filters

CACHE = "dashboards"
T = TypeVar("T")
K = TypeVar("K")
# The data notes read for the panel being worked out (see `remember`).
_NOTES: ContextVar[data_version.Notes | None] = ContextVar("dashboard_notes", default=None)
# Redis unreachable or refusing: the figures are worked out as if there were no cache.
UNAVAILABLE = (RedisError, OSError)


# The apps whose code turns rows into figures (mtss: the shared lib and settings).
CODE_APPS = ("dashboards", "students", "screening", "indicators", "decisions", "interventions")


@functools.cache
def code_version() -> str:
    """A digest of the figures' source code, once per process (~0.1 s)."""
    digest = hashlib.sha256()
    roots = [Path(apps.get_app_config(label).path) for label in CODE_APPS]
    roots += [Path(apps.get_app_config("dashboards").path).parent / "mtss"]
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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


def _key(name: str, material: tuple, reads: Reads, windows: list | None, notes: Any) -> str:
    version = data_version.version(
        tables=reads.tables, per_window=reads.per_window, windows=windows, notes=notes
    )
    digest = hashlib.sha256(
        repr((code_version(), name, translation.get_language(), material)).encode()
    ).hexdigest()
    return f"{name}:{digest}:{version}"


def remember(
    name: str,
    material: tuple,
    *,
    reads: Reads,
    windows: list[int] | None,
    build: Callable[[], T],
) -> T:
    """`build()`'s result, from the cache when it was worked out for the same `material` (what
    it depends on besides the data), code, language and data version of `reads`."""
    # The version is read before the figures: they are at least as new as it. Within a
    # panel being worked out, its parts reuse the panel's reading (taken before them too).
    notes = _NOTES.get() or data_version.read_notes()
    key = _key(name, material, reads, windows, notes)
    try:
        value = caches[CACHE].get(key)
    except UNAVAILABLE:
        return build()
    if value is None:
        token = _NOTES.set(notes)
        try:
            value = build()
        finally:
            _NOTES.reset(token)
        with contextlib.suppress(*UNAVAILABLE):
            caches[CACHE].set(key, value)
    return value


def remember_each(
    name: str,
    materials: dict[K, tuple],
    *,
    reads: Reads,
    windows: dict[K, list[int] | None],
    build: Callable[[list[K]], dict[K, T]],
) -> dict[K, T]:
    """`remember` for many items at once (one per school, say): one cache round trip for
    all, and one `build(missing items)` for those not in the cache (an item's version comes
    from its own `windows`)."""
    notes = _NOTES.get() or data_version.read_notes()
    keys = {k: _key(name, m, reads, windows[k], notes) for k, m in materials.items()}
    try:
        found = caches[CACHE].get_many(list(keys.values()))
    except UNAVAILABLE:
        return build(list(materials))
    out = {k: found[key] for k, key in keys.items() if found.get(key) is not None}
    if missing := [k for k in materials if k not in out]:
        token = _NOTES.set(notes)
        try:
            built = build(missing)
        finally:
            _NOTES.reset(token)
        out.update(built)
        with contextlib.suppress(*UNAVAILABLE):
            caches[CACHE].set_many({keys[k]: built[k] for k in missing})
    return out


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
