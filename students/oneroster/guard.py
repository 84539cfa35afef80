"""The mass-deactivation guard: a roster import may not empty a district by accident.

A bulk file is the whole list, so a short or wrong export (six users, another district's
set) would deactivate everyone it leaves out. Before the import's transaction commits, the
records that were active when it started and are no longer are counted per kind (students,
classes, staff); when any kind loses more than `settings.IMPORT_DEACTIVATION_GUARD_SHARE`
(default 10%) of its active records, the transaction is rolled back and the report carries a
preview (counts and a sample of names). A district administrator may then confirm it with
their password and a reason, which re-runs the same file with the guard lifted; the drop
folder never confirms by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from students.audit import audit_record
from students.imports import enqueue, import_job_create
from students.models import AccessLog, District, Membership, Section, Student, User
from students.models_imports import ImportJob

SAMPLE_SIZE = 10
KINDS = ("students", "classes", "staff")


def guard_share() -> float:
    return float(getattr(settings, "IMPORT_DEACTIVATION_GUARD_SHARE", 0.10))


@dataclass
class ActiveSnapshot:
    """Ids of what was active in the district when the import started."""

    ids: dict[str, set[int]]


def _active_ids(district: District) -> dict[str, set[int]]:
    return {
        "students": set(
            Student.objects.filter(district=district, active=True).values_list("pk", flat=True)
        ),
        "classes": set(
            Section.objects.filter(school__district=district, active=True).values_list(
                "pk", flat=True
            )
        ),
        "staff": set(
            Membership.objects.filter(district=district, user__is_active=True).values_list(
                "user_id", flat=True
            )
        ),
    }


def active_snapshot(district: District) -> ActiveSnapshot:
    return ActiveSnapshot(ids=_active_ids(district))


def _names(kind: str, ids: list[int]) -> list[str]:
    if kind == "students":
        rows = Student.objects.filter(pk__in=ids).order_by("last_name", "first_name")
        return [f"{s.first_name} {s.last_name} ({s.local_id})" for s in rows[:SAMPLE_SIZE]]
    if kind == "classes":
        rows = Section.objects.filter(pk__in=ids).select_related("school").order_by("name")
        return [f"{s.name} ({s.school.name})" for s in rows[:SAMPLE_SIZE]]
    rows = User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")
    return [u.get_full_name() or u.username for u in rows[:SAMPLE_SIZE]]


def exceeds(lost: int, active: int, share: float) -> bool:
    """More than `share` of the active records would go (a district with none loses none)."""
    return active > 0 and lost > share * active


def deactivation_preview(district: District, before: ActiveSnapshot) -> dict:
    """What the import, as written so far in its open transaction, would switch off."""
    share = guard_share()
    now = _active_ids(district)
    kinds = []
    for kind in KINDS:
        lost = sorted(before.ids[kind] - now[kind])
        active = len(before.ids[kind])
        kinds.append(
            {
                "kind": kind,
                "active": active,
                "deactivated": len(lost),
                "over": exceeds(len(lost), active, share),
                "sample": _names(kind, lost) if lost else [],
            }
        )
    return {"share": share, "over": any(k["over"] for k in kinds), "kinds": kinds}


class ConfirmRefused(Exception):
    """The confirmation cannot be accepted; the message says why."""


def waiting_guard(job: ImportJob) -> dict | None:
    """The preview of a job the guard held back, unless it was already confirmed."""
    guard = (job.report or {}).get("meta", {}).get("guard")
    if job.status != ImportJob.Status.FAILED or not guard or guard.get("confirmed"):
        return None
    if ImportJob.objects.filter(options__confirms_job=job.pk).exists():
        return None
    return guard


def deactivation_confirm(*, job: ImportJob, user: User, password: str, reason: str) -> ImportJob:
    """Run the held import again with the guard lifted; the caller has checked that `user`
    administers the job's district. The reason is kept on the new job and in the record of
    access."""
    reason = reason.strip()
    with transaction.atomic():
        # Locked so a double submit queues one run, not two.
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        guard = waiting_guard(job)
        if guard is None:
            raise ConfirmRefused("This import is not waiting for a confirmation.")
        if not reason:
            raise ConfirmRefused("Say why these records may be deactivated.")
        if not password or not user.check_password(password):
            raise ConfirmRefused("That is not your password.")
        confirmed = import_job_create(
            district=job.district,
            kind=job.kind,
            file_path=job.file_path,
            original_name=job.original_name,
            all_or_nothing=job.all_or_nothing,
            created_by=user,
            source=job.source,
            fingerprint=job.fingerprint,
        )
        confirmed.options |= {
            "deactivation_confirmed": True,
            "confirms_job": job.pk,
            "confirmation_reason": reason,
        }
        confirmed.save(update_fields=["options"])
        audit_record(
            user=user,
            action=AccessLog.Action.UPDATE,
            object_type="roster_deactivation_confirmed",
            object_id=confirmed.pk,
            detail={
                "held_job": job.pk,
                "deactivated": {k["kind"]: k["deactivated"] for k in guard["kinds"]},
            },
            purpose=reason,
        )
        enqueue(confirmed)
    return confirmed
