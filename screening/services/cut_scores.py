"""Versioned cut-score sets: create, copy, revise (a new version each time) and activate.

A revision can be saved as a draft (`activate=False`): the district's settings page saves the
new version, shows what it would change (the decisions app's what-if preview) and activates it
after. Activating a version classifies the current window's scores of the measure again under
it (screening/services/reclassify.py) and announces it, so the decision rules sweep the
district after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mtss.errors import ApplicationError
from screening import events, risk
from screening.models.cut_scores import CutScore, CutScoreSet
from screening.models.measures import Measure
from screening.services.access import _require_district_admin
from screening.services.cut_score_rows import ROW_FIELDS, validate_edges, validate_rows
from screening.services.reclassify import reclassify_window, window_current
from students.audit import AuditContext, audit_record
from students.models import AccessLog, District, User

CUT_SCORE_SET_OBJECT = "cut_score_set"

REFERENCE_READ_ONLY = _(
    "Reference cut scores are read-only. Make a copy for your district and edit the copy."
)


def cut_score_set_next_version(*, district_id: int, measure_id: int) -> int:
    """The next version number of a district's sets for a measure (locks the existing ones)."""
    latest = CutScoreSet.objects.select_for_update().filter(
        district_id=district_id, measure_id=measure_id
    )
    # Lock the district's sets of this measure so two admins cannot both make version n + 1.
    list(latest.values_list("pk", flat=True))
    top = CutScoreSet.objects.filter(district_id=district_id, measure_id=measure_id).aggregate(
        top=Max("version")
    )["top"]
    return (top or 0) + 1


def _make_active_set(
    *,
    district: District,
    measure: Measure,
    name: str,
    method: str,
    rows: list[dict[str, Any]],
    high_risk_below_pr: int,
    some_risk_below_pr: int,
    based_on: CutScoreSet | None,
    source: str,
    notes: str,
    actor: User | None,
    activate: bool = False,
) -> CutScoreSet:
    version = cut_score_set_next_version(district_id=district.pk, measure_id=measure.pk)
    if activate:
        CutScoreSet.objects.filter(district=district, measure=measure, is_active=True).update(
            is_active=False
        )
    cut_set = CutScoreSet.objects.create(
        district=district,
        measure=measure,
        name=name,
        version=version,
        method=method,
        high_risk_below_pr=high_risk_below_pr,
        some_risk_below_pr=some_risk_below_pr,
        based_on=based_on,
        is_active=activate,
        source=source,
        notes=notes,
        created_by=actor,
    )
    CutScore.objects.bulk_create([CutScore(cut_score_set=cut_set, **row) for row in rows])
    return cut_set


def _audit(
    actor: User | None, cut_set: CutScoreSet, audit: AuditContext | None, detail: dict
) -> None:
    audit_record(
        user=actor,
        action=AccessLog.Action.UPDATE,
        object_type=CUT_SCORE_SET_OBJECT,
        object_id=cut_set.pk,
        audit=audit,
        detail={"measure": cut_set.measure_id, "version": cut_set.version, **detail},
    )


@transaction.atomic
def cut_score_set_create(
    *,
    district: District,
    measure: Measure,
    name: str,
    rows: Sequence[dict[str, Any]],
    actor: User | None,
    method: str = CutScoreSet.Method.CRITERION,
    high_risk_below_pr: int = risk.DEFAULT_HIGH_RISK_BELOW,
    some_risk_below_pr: int = risk.DEFAULT_SOME_RISK_BELOW,
    source: str = "",
    notes: str = "",
    audit: AuditContext | None = None,
    activate: bool = False,
) -> CutScoreSet:
    """A district's new set for a measure, from scratch: a draft the what-if preview switches
    on, or the active version at once only when asked (`activate=True`: demo seeder, tests)."""
    _require_district_admin(actor, district.pk)
    if measure.district_id not in (None, district.pk):
        raise ValidationError({"measure": [gettext("This measure belongs to another district.")]})
    if method not in CutScoreSet.Method.values:
        raise ValidationError({"method": [gettext("Choose criterion or percentile.")]})
    if not (name or "").strip():
        raise ValidationError({"name": [gettext("Give the set a name.")]})
    high, some = validate_edges(high_risk_below_pr, some_risk_below_pr)
    clean = validate_rows(measure, rows)
    if method == CutScoreSet.Method.CRITERION and not clean:
        raise ValidationError(
            {"rows": [gettext("A criterion set needs at least one row of cut scores.")]}
        )
    cut_set = _make_active_set(
        district=district,
        measure=measure,
        name=name.strip(),
        method=method,
        rows=clean,
        high_risk_below_pr=high,
        some_risk_below_pr=some,
        based_on=None,
        source=source,
        notes=notes,
        actor=actor,
        activate=activate,
    )
    _audit(actor, cut_set, audit, {"created": True, "active": activate})
    return cut_set


def _row_key(row: dict[str, Any]) -> tuple[int, str]:
    return (row["grade"], row["season"])


def _rows_of(cut_set: CutScoreSet) -> list[dict[str, Any]]:
    return [
        {"grade": r.grade, "season": r.season, **{f: getattr(r, f) for f in ROW_FIELDS}}
        for r in cut_set.rows.order_by("grade", "season")
    ]


@transaction.atomic
def cut_score_set_copy(
    *,
    source: CutScoreSet,
    district: District,
    actor: User | None,
    name: str | None = None,
    audit: AuditContext | None = None,
    activate: bool = False,
) -> CutScoreSet:
    """The district's own version made from `source` (usually a reference set): a draft the
    what-if preview switches on, or active at once only when asked (`activate=True`)."""
    _require_district_admin(actor, district.pk)
    if source.district_id not in (None, district.pk):
        raise PermissionDenied(gettext("This set belongs to another district."))
    if source.measure.district_id not in (None, district.pk):
        raise PermissionDenied(gettext("This measure belongs to another district."))
    cut_set = _make_active_set(
        district=district,
        measure=source.measure,
        name=name or source.name,
        method=source.method,
        rows=_rows_of(source),
        high_risk_below_pr=source.high_risk_below_pr,
        some_risk_below_pr=source.some_risk_below_pr,
        based_on=source,
        source=source.source,
        notes=source.notes,
        actor=actor,
        activate=activate,
    )
    _audit(actor, cut_set, audit, {"copied_from": source.pk, "active": activate})
    return cut_set


@transaction.atomic
def cut_score_set_revise(
    *,
    cut_score_set: CutScoreSet,
    rows: Sequence[dict[str, Any]],
    actor: User | None,
    name: str | None = None,
    notes: str | None = None,
    method: str | None = None,
    high_risk_below_pr: int | None = None,
    some_risk_below_pr: int | None = None,
    activate: bool = False,
    reason: str | None = None,
    audit: AuditContext | None = None,
) -> CutScoreSet:
    """Edit a district's set: a new version (copied rows with `rows` applied) waits as a
    draft for `cut_score_set_activate`, or becomes active at once with `activate=True`.

    `reason` (required when given as a keyword, as the settings page does) is kept as the
    new version's notes: why the district changed its cut scores.

    `rows` lists changed or added rows by (grade, season); a row with `"remove": True` drops
    that grade and season. The old version stays as it was, so scores classified with it keep
    pointing at the numbers that produced their risk level. Reference sets are read-only.
    """
    if cut_score_set.is_reference:
        raise ApplicationError(REFERENCE_READ_ONLY)
    district = cut_score_set.district
    _require_district_admin(actor, district.pk)
    merged = {(r["grade"], r["season"]): r for r in _rows_of(cut_score_set)}
    for raw in rows:
        try:
            key = (int(raw.get("grade")), raw.get("season"))
        except (TypeError, ValueError):
            raise ValidationError(
                {"rows": [gettext("Each row needs a grade (a whole number) and a season.")]}
            ) from None
        if raw.get("remove"):
            merged.pop(key, None)
            continue
        base = dict(merged.get(key, {"grade": key[0], "season": key[1]}))
        base.update({k: v for k, v in raw.items() if k != "remove"})
        merged[key] = base
    new_method = method or cut_score_set.method
    if new_method not in CutScoreSet.Method.values:
        raise ValidationError({"method": [gettext("Choose criterion or percentile.")]})
    high, some = validate_edges(
        cut_score_set.high_risk_below_pr if high_risk_below_pr is None else high_risk_below_pr,
        cut_score_set.some_risk_below_pr if some_risk_below_pr is None else some_risk_below_pr,
    )
    clean = validate_rows(cut_score_set.measure, list(merged.values()))
    if new_method == CutScoreSet.Method.CRITERION and not clean:
        raise ValidationError(
            {"rows": [gettext("A criterion set needs at least one row of cut scores.")]}
        )
    if reason is not None:
        if not reason.strip():
            raise ValidationError({"reason": [gettext("Say why the cut scores change.")]})
        notes = reason.strip()
        unchanged = sorted(clean, key=_row_key) == sorted(_rows_of(cut_score_set), key=_row_key)
        if (
            unchanged
            and new_method == cut_score_set.method
            and (
                (high, some) == (cut_score_set.high_risk_below_pr, cut_score_set.some_risk_below_pr)
            )
        ):
            raise ValidationError(
                {"rows": [gettext("These are the cut scores of this version already.")]}
            )
    new = _make_active_set(
        district=district,
        measure=cut_score_set.measure,
        name=(name or cut_score_set.name).strip(),
        method=new_method,
        rows=clean,
        high_risk_below_pr=high,
        some_risk_below_pr=some,
        based_on=cut_score_set,
        source=cut_score_set.source,
        notes=cut_score_set.notes if notes is None else notes,
        actor=actor,
        activate=activate,
    )
    _audit(
        actor,
        new,
        audit,
        {"revised_from": cut_score_set.pk, "active": activate, "reason": new.notes},
    )
    if activate:
        _after_activation(new, actor=actor, audit=audit)
    return new


def _after_activation(
    cut_set: CutScoreSet,
    *,
    actor: User | None,
    audit: AuditContext | None,
    detail: dict[str, Any] | None = None,
) -> int:
    """The current window's scores follow the newly active version; the rules sweep after."""
    window = window_current(district_id=cut_set.district_id, as_of=timezone.localdate())
    changed = 0
    if window is not None:
        changed = reclassify_window(cut_set=cut_set, window=window)
    _audit(
        actor,
        cut_set,
        audit,
        {
            "activated": True,
            "window": window.pk if window else None,
            "reclassified": changed,
            **(detail or {}),
        },
    )
    events.cut_scores_activated(
        cut_score_set_id=cut_set.pk,
        district_id=cut_set.district_id,
        window_id=window.pk if window else None,
    )
    return changed


@transaction.atomic
def cut_score_set_activate(
    *,
    cut_score_set: CutScoreSet,
    actor: User | None,
    audit: AuditContext | None = None,
    detail: dict[str, Any] | None = None,
) -> CutScoreSet:
    """Make a version of the district's set the active one (a draft, or a roll-back to an
    older version); the current window's scores are classified again under it. `detail` adds
    to the audit row (the what-if preview the administrator read)."""
    if cut_score_set.is_reference:
        raise ApplicationError(REFERENCE_READ_ONLY)
    _require_district_admin(actor, cut_score_set.district_id)
    CutScoreSet.objects.filter(
        district_id=cut_score_set.district_id, measure_id=cut_score_set.measure_id, is_active=True
    ).exclude(pk=cut_score_set.pk).update(is_active=False)
    if not cut_score_set.is_active:
        cut_score_set.is_active = True
        cut_score_set.save(update_fields=["is_active"])
        _after_activation(cut_score_set, actor=actor, audit=audit, detail=detail)
    return cut_score_set
