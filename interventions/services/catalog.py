"""A district's own catalog entries: add and change them (the shared catalog is read-only).

Evidence is stated honestly: a practice (from a practice guide) never carries an ESSA tier,
and an ESSA tier needs a link to the review it comes from.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from interventions.criteria import (
    validate_checklist,
    validate_entry_criteria,
    validate_exit_criteria,
)
from interventions.models import EvidenceKind, EvidenceLevel, Intervention
from mtss.errors import ApplicationError
from mtss.lib.vocabulary import Domain
from students import access
from students.audit import AuditContext, audit_record
from students.models import AccessLog, District, User

CATALOG_OBJECT = "intervention"
NOT_A_DISTRICT_ADMIN = "Only a district administrator can change the district's catalog."
SHARED_READ_ONLY = _("The shared catalog is read-only. Add your district's own entry instead.")

CATALOG_FIELDS = (
    "name",
    "publisher",
    "domain",
    "description",
    "tiers",
    "skills",
    "minutes_per_session",
    "sessions_per_week",
    "group_size_min",
    "group_size_max",
    "weeks",
    "entry_criteria",
    "exit_criteria",
    "fidelity_checklist",
    "evidence_kind",
    "evidence_source",
    "evidence_rating",
    "evidence_level",
    "evidence_url",
    "active",
)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out = dict(values)
    if not (out.get("name") or "").strip():
        errors["name"] = [gettext("Give the intervention a name.")]
    out["name"] = (out.get("name") or "").strip()
    if out.get("domain") not in Domain.values:
        errors["domain"] = [gettext("Choose reading, math, behavior or social-emotional.")]
    tiers = sorted({int(t) for t in out.get("tiers") or []})
    if not tiers or not set(tiers) <= {2, 3}:
        errors["tiers"] = [gettext("Choose Tier 2, Tier 3 or both.")]
    out["tiers"] = tiers
    kind = out.get("evidence_kind") or ""
    level = out.get("evidence_level") or ""
    if kind not in ("", *EvidenceKind.values):
        errors["evidence_kind"] = [gettext("Choose program or practice.")]
    if level and level not in EvidenceLevel.values:
        errors["evidence_level"] = [gettext("Choose one of the four ESSA tiers.")]
    if kind == EvidenceKind.PRACTICE and level:
        errors["evidence_level"] = [
            gettext(
                "An ESSA tier rates studies of a named program, not a practice: give the practice "
                "guide's own level instead."
            )
        ]
    if level and not out.get("evidence_url"):
        errors["evidence_url"] = [gettext("Link the review the ESSA tier comes from.")]
    if (out.get("evidence_rating") or out.get("evidence_level")) and not (
        out.get("evidence_source") or ""
    ).strip():
        errors["evidence_source"] = [gettext("Name the review the level comes from.")]
    low, high = out.get("group_size_min"), out.get("group_size_max")
    if low and high and low > high:
        errors["group_size_max"] = [
            gettext("The largest group must not be smaller than the smallest.")
        ]
    spw = out.get("sessions_per_week")
    if spw is not None and not 1 <= spw <= 7:
        errors["sessions_per_week"] = [gettext("Sessions per week must be from 1 to 7.")]
    for name, check in (
        ("entry_criteria", validate_entry_criteria),
        ("exit_criteria", validate_exit_criteria),
        ("fidelity_checklist", validate_checklist),
    ):
        try:
            out[name] = check(out.get(name) or ({} if name != "fidelity_checklist" else []))
        except ValidationError as exc:
            errors[name] = exc.messages
    out["skills"] = [s.strip() for s in out.get("skills") or [] if s.strip()]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def intervention_save(
    *,
    district: District,
    actor: User | None,
    intervention: Intervention | None = None,
    audit: AuditContext | None = None,
    **values: Any,
) -> Intervention:
    """Add a district entry (`intervention` None) or change one of the district's entries."""
    if actor is not None and not access.is_district_admin_of(actor, district.pk):
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
    if intervention is not None and intervention.district_id is None:
        raise ApplicationError(SHARED_READ_ONLY)
    if intervention is not None and intervention.district_id != district.pk:
        raise PermissionDenied(NOT_A_DISTRICT_ADMIN)
    unknown = set(values) - set(CATALOG_FIELDS)
    if unknown:
        raise TypeError(f"unknown catalog fields: {sorted(unknown)}")
    clean = _clean(values)
    clash = Intervention.objects.filter(district=district, name=clean["name"])
    if intervention is not None:
        clash = clash.exclude(pk=intervention.pk)
    if clash.exists():
        raise ValidationError(
            {"name": [gettext("Your district already has an entry with this name.")]}
        )
    created = intervention is None
    obj = intervention or Intervention(district=district)
    for name, value in clean.items():
        setattr(obj, name, value)
    obj.save()
    audit_record(
        user=actor,
        action=AccessLog.Action.CREATE if created else AccessLog.Action.UPDATE,
        object_type=CATALOG_OBJECT,
        object_id=obj.pk,
        audit=audit,
        detail={"name": obj.name, "evidence_kind": obj.evidence_kind},
    )
    return obj
