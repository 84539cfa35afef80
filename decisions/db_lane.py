"""A second thread that runs database steps on the caller's own connection and transaction.

A sweep alternates PostgreSQL work (reading rows, COPY, foreign-key checks) with pandas work
(the rules, the comparison with existing flags). Done one after the other, one of the
machine's cores idles at every step. `DatabaseLane` runs the database steps, in the order
they are submitted, on a background thread that shares the caller's Django connection (the
mechanism Django's live-server tests use), so they stay in the caller's transaction and see
its locks, while the caller goes on with the pandas work of the previous step.

The rule that keeps this safe: while the lane is open the caller does not touch the
database itself; it only submits steps and waits on their results. Leaving the `with` block
waits for every submitted step; leaving it on an error cancels the running statement first,
so the caller's error handling never shares the connection with a step still running.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

T = TypeVar("T")


class DatabaseLane:
    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        self._wrapper = connections[alias]
        self._alias = alias
        self._executor: ThreadPoolExecutor | None = None

    def _adopt_connection(self) -> None:
        connections[self._alias] = self._wrapper

    def __enter__(self) -> DatabaseLane:
        self._wrapper.ensure_connection()
        self._wrapper.inc_thread_sharing()
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="db-lane", initializer=self._adopt_connection
        )
        return self

    def submit(self, step: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Queue a database step; it runs after every step submitted before it."""
        assert self._executor is not None, "use DatabaseLane in a with block"
        return self._executor.submit(step, *args, **kwargs)

    def __exit__(self, exc_type, exc, tb) -> None:
        executor, self._executor = self._executor, None
        interrupted: BaseException | None = None
        try:
            if exc_type is not None:
                executor.shutdown(wait=False, cancel_futures=True)
                raw = self._wrapper.connection
                if raw is not None:
                    # Only a shortcut (the wait below is what guarantees the lane is idle).
                    with contextlib.suppress(Exception):
                        raw.cancel()
        finally:
            # The caller must not get the connection back while a step may still run on it,
            # even when a second interrupt (a time limit, Ctrl-C) arrives during the wait:
            # wait again, then raise that interrupt.
            while True:
                try:
                    executor.shutdown(wait=True)
                    break
                except BaseException as again:  # noqa: BLE001
                    interrupted = again
            self._wrapper.dec_thread_sharing()
        if interrupted is not None:
            raise interrupted
