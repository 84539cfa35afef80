"""A running job's heartbeat: proof that its worker is still alive.

While a job runs, `Heartbeat` stamps `heartbeat_at = now()` on the job's row every
settings.JOB_HEARTBEAT_SECONDS, from a thread with a database connection of its own (the job's
own connection sits inside one long transaction whose writes nobody sees until it ends). A
worker that is killed, or loses its database, stops stamping; the periodic checks
(`students.job_health.import_jobs_check`, `decisions.sweep.rule_runs_check`) then fail the
job "because the worker stopped" once its heartbeat is older than settings.JOB_STALE_SECONDS.
Used by every kind of job: imports, rule sweeps and what-if previews
(decisions.whatif_jobs.previews_check fails those).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


class Heartbeat:
    """`with Heartbeat("students_importjob", job.pk): ...` -- stamps the row while inside."""

    def __init__(self, table: str, pk: int, *, interval: float | None = None) -> None:
        self.table = table
        self.pk = pk
        self.interval = float(interval or settings.JOB_HEARTBEAT_SECONDS)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{self.table}-{self.pk}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        conn = None
        try:
            while not self._stop.wait(self.interval):
                try:
                    if conn is None:
                        conn = connections.create_connection("default")
                    with conn.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {self.table} SET heartbeat_at = now() "  # noqa: S608
                            "WHERE id = %s AND status = 'running'",
                            [self.pk],
                        )
                except Exception:  # the database is away: try again next beat
                    logger.warning("heartbeat of %s %s not recorded", self.table, self.pk)
                    if conn is not None:
                        conn.close()
                    conn = None
        finally:
            if conn is not None:
                conn.close()
