"""The what-if preview as a job: asked for on the page (or the API), worked out on a Celery
worker, its progress shown by the same htmx-polled bar as an import's.

The job's life is an import job's or a rule run's (students/imports.py, decisions/sweep.py):
- `preview_request` records it `queued` and hands it to a worker after commit through the
  outbox (a broker outage leaves it waiting, never an error on the page);
- `preview_run` (the task's body) claims it (`running`, once: a redelivered message finds it
  taken), stamps its heartbeat while it works (students.heartbeat.Heartbeat), writes its
  progress through a connection of its own (students.imports.JobProgress), then keeps the
  result (`succeeded`) or the reason (`failed`);
- `previews_check` fails the running jobs whose heartbeat stopped (the worker was killed or
  lost its database) and the queued ones no worker took, with the rule runs' every-minute
  check (decisions.tasks.rule_runs_check) and whenever a preview's page is polled, so no
  page shows "running" for a job nobody runs.

The numbers are decisions.whatif's (the sweep's rule modules, not a copy of the rules).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from decisions.models import RuleSet, SettingsPreview
from decisions.sweep import QUEUED_GIVE_UP
from decisions.whatif import WhatIf, result_rows, whatif_cut_scores, whatif_rule_set
from screening.models import CutScoreSet
from students.heartbeat import Heartbeat
from students.imports import JobProgress
from students.job_health import fail_stale_jobs
from students.models import User
from students.outbox import event_record

logger = logging.getLogger(__name__)

WORKER_STOPPED = gettext_noop(
    "The worker stopped before the preview was worked out (it was shut down or lost its "
    "database connection). Nothing was changed; ask for the preview again."
)
NOT_STARTED = gettext_noop(
    "No worker started the preview in time. Nothing was changed; ask for it again."
)
# Test hook, like the sweep's and the import's: seconds to sleep after the first step, so a
# fault test can kill the worker while the job runs. Never set it in production.
TEST_PAUSE_ENV = "MTSS_WHATIF_TEST_PAUSE"
DONE = gettext_noop("Done")
# The outbox event that hands a queued preview to a worker (decisions/events.py).
PREVIEW_QUEUED = "decisions.preview_queued"


@transaction.atomic
def preview_request(
    *,
    actor: User | None,
    cut_score_set: CutScoreSet | None = None,
    rule_set: RuleSet | None = None,
    as_of: date | None = None,
) -> SettingsPreview:
    """A queued preview of the draft (exactly one of `cut_score_set`, `rule_set`), started on
    a worker after commit. The caller has checked that `actor` administers its district."""
    preview = SettingsPreview.for_draft(
        cut_score_set=cut_score_set,
        rule_set=rule_set,
        as_of=as_of or timezone.localdate(),
        requested_by=actor,
    )
    event_record(PREVIEW_QUEUED, {"preview_id": preview.pk})
    return preview


def previews_check(*, preview_id: int | None = None) -> int:
    """Fail the previews (all, or one) whose worker stopped or never started them."""
    jobs = SettingsPreview.objects.all()
    if preview_id is not None:
        jobs = jobs.filter(pk=preview_id)
    now = timezone.now()
    failed = fail_stale_jobs(jobs, error=WORKER_STOPPED, now=now)
    return failed + jobs.filter(
        status=SettingsPreview.Status.QUEUED, created_at__lt=now - QUEUED_GIVE_UP
    ).update(status=SettingsPreview.Status.FAILED, error=NOT_STARTED, finished_at=now)


class _Steps:
    """The job's progress: one bar, labelled with the step under way."""

    def __init__(self, writer: JobProgress) -> None:
        self.writer = writer
        self.pause = float(os.environ.get(TEST_PAUSE_ENV) or 0)

    def __call__(self, label: str, done: int, total: int) -> None:
        self.writer.state = {}
        self.writer(label, done, total)
        self.writer.flush()
        if self.pause > 0 and done == 1:
            logger.warning(
                "%s=%s: sleeping inside the preview (tests only)", TEST_PAUSE_ENV, self.pause
            )
            time.sleep(self.pause)


def _work(preview: SettingsPreview, steps: _Steps) -> WhatIf | None:
    if preview.cut_score_set_id:
        return whatif_cut_scores(cut_set=preview.cut_score_set, as_of=preview.as_of, progress=steps)
    return whatif_rule_set(rule_set=preview.rule_set, as_of=preview.as_of, progress=steps)


def preview_run(preview_id: int) -> SettingsPreview:
    """Work out a queued preview and keep its result (the Celery task's body)."""
    now = timezone.now()
    claimed = SettingsPreview.objects.filter(
        pk=preview_id, status=SettingsPreview.Status.QUEUED
    ).update(status=SettingsPreview.Status.RUNNING, started_at=now, heartbeat_at=now)
    preview = SettingsPreview.objects.select_related("cut_score_set", "rule_set").get(pk=preview_id)
    if not claimed:
        return preview
    writer = JobProgress(preview.pk, table=SettingsPreview._meta.db_table)
    try:
        with Heartbeat(SettingsPreview._meta.db_table, preview.pk):
            whatif = _work(preview, _Steps(writer))
    except Exception as exc:
        logger.exception("what-if preview %s crashed", preview.pk)
        preview.status = SettingsPreview.Status.FAILED
        preview.error = (
            f"The preview stopped on an unexpected error ({type(exc).__name__}). "
            "Nothing was changed; ask for it again."
        )
        preview.finished_at = timezone.now()
        preview.save(update_fields=["status", "error", "finished_at"])
        return preview
    finally:
        writer.close()
    preview.progress = {DONE: {"done": 1, "total": 1}}
    preview.window = whatif.window if whatif else None
    preview.summary = whatif.summary() if whatif else {"no_data": True}
    preview.result = {"rows": result_rows(whatif)} if whatif else {}
    preview.status = SettingsPreview.Status.SUCCEEDED
    preview.finished_at = timezone.now()
    # Only if still running: the stale check may have failed it meanwhile (a very slow beat).
    SettingsPreview.objects.filter(pk=preview.pk, status=SettingsPreview.Status.RUNNING).update(
        progress=preview.progress,
        window=preview.window,
        summary=preview.summary,
        result=preview.result,
        status=preview.status,
        finished_at=preview.finished_at,
    )
    preview.refresh_from_db()
    return preview
