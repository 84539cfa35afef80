"""The dashboards' cache of worked-out figures (Redis, `CACHES["dashboards"]`): a value is
served only for the same material (what it depends on besides the data), code, language and
data version of the tables it reads (dashboards.data_version). The panels' keys
(dashboards.panel_cache: scope, choices, audience) and the equity pipeline's parts
(dashboards.selectors.pipeline_parts) are both kept through `remember` / `remember_each`.
This module reads neither the filters nor the selectors, so that both may use it.
Without Redis the figures are worked out as if there were no cache."""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import caches
from django.utils import translation
from redis.exceptions import RedisError

from dashboards import data_version
from dashboards.panel_reads import Reads

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
