"""Previews and activation: a new cut-score or rule-set version is switched on only after the
administrator read its what-if preview, and the activation records which preview (of which
draft version, on which day's data), read by whom and when.

The preview is worked out as a job (decisions.whatif_jobs.preview_request); `preview_seen` is
the one function that records its reading, for the pages and the API alike.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.events import rule_run_enqueue
from decisions.models import RuleRun, RuleSet, SettingsPreview
from decisions.services import NOT_A_DISTRICT_ADMIN, rule_run_request, rule_set_activate
from decisions.whatif import WhatIf, result_rows
from mtss.errors import ApplicationError
from screening.models import CutScoreSet
from screening.services import cut_score_set_activate
from students import access
from students.audit import AuditContext, actor_name
from students.models import User

PREVIEW_TOO_OLD = timedelta(hours=12)
PREVIEW_NEEDED = (
    "Read the preview of this version first: it shows what switching it on would change."
)
ALREADY_ACTIVE = _("This version is already in use.")
PREVIEW_NOT_READY = _("This preview is not finished yet.")


def _require_admin(actor: User, district_id: int) -> None:
    if not access.is_district_admin_of(actor, district_id):
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)


@transaction.atomic
def preview_seen(*, preview: SettingsPreview, actor: User) -> SettingsPreview:
    """Record that `actor` read this finished preview (the page showing its result, or the
    API handing it over): the one place "preview seen" is written. The first reading counts;
    only the person who asked for it can use it to switch the version on."""
    _require_admin(actor, preview.district_id)
    preview = SettingsPreview.objects.select_for_update().get(pk=preview.pk)
    if preview.status != SettingsPreview.Status.SUCCEEDED:
        raise ApplicationError(PREVIEW_NOT_READY)
    if preview.viewed_at is None and preview.requested_by_id == actor.pk:
        preview.viewed_by = actor
        preview.viewed_by_name = actor_name(actor)
        preview.viewed_at = timezone.now()
        preview.save(update_fields=["viewed_by", "viewed_by_name", "viewed_at"])
    return preview


@transaction.atomic
def preview_record(
    *,
    actor: User,
    whatif: WhatIf | None,
    cut_score_set: CutScoreSet | None = None,
    rule_set: RuleSet | None = None,
) -> SettingsPreview:
    """Keep a preview worked out in the caller's own process (the API's synchronous answer)
    as a finished job, read by `actor` at once (`preview_seen`). The pages ask for the job
    instead (decisions.whatif_jobs.preview_request)."""
    target = cut_score_set or rule_set
    _require_admin(actor, target.district_id)
    now = timezone.now()
    preview = SettingsPreview.for_draft(
        cut_score_set=cut_score_set,
        rule_set=rule_set,
        as_of=whatif.as_of if whatif else timezone.localdate(),
        window=whatif.window if whatif else None,
        status=SettingsPreview.Status.SUCCEEDED,
        requested_by=actor,
        started_at=now,
        finished_at=now,
        summary=whatif.summary() if whatif else {"no_data": True},
        result={"rows": result_rows(whatif)} if whatif else {},
    )
    return preview_seen(preview=preview, actor=actor)


def preview_current(*, actor: User, **target: Any) -> SettingsPreview | None:
    """The actor's latest preview of the draft (`cut_score_set=` or `rule_set=`) that is not
    used and not too old to switch on with, whatever its status."""
    return (
        SettingsPreview.objects.filter(
            requested_by=actor,
            activated_at__isnull=True,
            created_at__gte=timezone.now() - PREVIEW_TOO_OLD,
            **target,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _preview_for(preview_id: int, actor: User, **target: Any) -> SettingsPreview:
    preview = (
        SettingsPreview.objects.select_for_update()
        .filter(
            pk=preview_id,
            viewed_by=actor,
            viewed_at__isnull=False,
            status=SettingsPreview.Status.SUCCEEDED,
            activated_at__isnull=True,
            **target,
        )
        .first()
    )
    if preview is None or preview.viewed_at < timezone.now() - PREVIEW_TOO_OLD:
        raise ApplicationError(PREVIEW_NEEDED)
    if preview.version != preview.target.version:
        raise ApplicationError(PREVIEW_NEEDED)
    return preview


def _detail(preview: SettingsPreview) -> dict[str, Any]:
    return {
        "preview": preview.pk,
        "previewed_by": preview.viewed_by_name,
        "previewed_at": preview.viewed_at.isoformat(),
        "previewed_version": preview.version,
        "previewed_as_of": preview.as_of.isoformat() if preview.as_of else None,
        "preview_summary": preview.summary,
    }


def _mark(preview: SettingsPreview, actor: User) -> None:
    preview.activated_by = actor
    preview.activated_at = timezone.now()
    preview.save(update_fields=["activated_by", "activated_at"])


@transaction.atomic
def cut_score_set_activate_after_preview(
    *, cut_score_set: CutScoreSet, preview_id: int, actor: User, audit: AuditContext
) -> CutScoreSet:
    """Switch the draft on (screening reclassifies the current window and announces it; the
    district is swept after commit), naming the preview the administrator read."""
    _require_admin(actor, cut_score_set.district_id)
    if cut_score_set.is_active:
        raise ApplicationError(ALREADY_ACTIVE)
    preview = _preview_for(preview_id, actor, cut_score_set=cut_score_set)
    cut_score_set_activate(
        cut_score_set=cut_score_set, actor=actor, audit=audit, detail=_detail(preview)
    )
    _mark(preview, actor)
    return cut_score_set


@transaction.atomic
def rule_set_activate_after_preview(
    *, rule_set: RuleSet, preview_id: int, actor: User, audit: AuditContext
) -> RuleSet:
    """Switch the draft rules on and sweep the district with them after commit."""
    _require_admin(actor, rule_set.district_id)
    if rule_set.is_active:
        raise ApplicationError(ALREADY_ACTIVE)
    preview = _preview_for(preview_id, actor, rule_set=rule_set)
    rule_set_activate(rule_set=rule_set, actor=actor, audit=audit, detail=_detail(preview))
    _mark(preview, actor)
    run = rule_run_request(
        district=rule_set.district,
        school=None,
        actor=actor,
        triggered_by=RuleRun.Trigger.SETTINGS,
    )
    rule_run_enqueue(run)
    return rule_set
