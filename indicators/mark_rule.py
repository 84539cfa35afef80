"""The district's passing rule for course marks, changed on the settings page: the rule is
saved with its audit row and every stored mark of the district is judged again by it, in one
transaction, so the profile, the dashboards and the next sweep read marks judged one way."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.marks import PassingRule, passing
from indicators.models import CourseMark, MarkRule
from indicators.writes import copy_frame, execute, temp_table
from students.audit import AuditContext, audit_record
from students.imports import districts_administered_by
from students.models import AccessLog, District

_REJUDGE = """
UPDATE indicators_coursemark c SET passing = t.passing
FROM tmp_mark_passing t
WHERE c.id = t.id AND c.passing IS DISTINCT FROM t.passing
"""


def mark_rule_for(district: District) -> MarkRule:
    """The district's stored rule, or the defaults (unsaved) when it never set one."""
    return MarkRule.objects.filter(district=district).first() or MarkRule(district=district)


def marks_rejudge(district_id: int, rule: PassingRule) -> int:
    """Judge every stored mark of the district by `rule` (the importers' own pure function);
    returns how many marks changed between passing and failing. Set-based: one read, one
    COPY, one UPDATE of the changed rows."""
    rows = list(
        CourseMark.objects.filter(school__district_id=district_id).values_list(
            "id", "percent", "letter"
        )
    )
    if not rows:
        return 0
    frame = pd.DataFrame(rows, columns=["id", "percent", "letter"])
    percent = pd.to_numeric(frame["percent"], errors="coerce").to_numpy(dtype="float64")
    frame["passing"] = passing(percent, frame["letter"].to_numpy(dtype=str), rule)
    frame["passing"] = np.where(frame["passing"], "t", "f")
    temp_table("tmp_mark_passing", "id bigint, passing boolean")
    copy_frame("tmp_mark_passing", frame, ("id", "passing"))
    return execute(_REJUDGE)


def mark_rule_save(
    *,
    district: District,
    passing_percent: Decimal,
    failing_letters: str,
    core_subjects: str,
    audit: AuditContext,
) -> tuple[MarkRule, int]:
    """Save the district's rule and re-judge its marks; (the rule, marks changed)."""
    if audit.user is None or district not in districts_administered_by(audit.user):
        raise PermissionDenied(_("Only the district's administrators change its passing rule."))
    with transaction.atomic():
        rule = mark_rule_for(district)
        before = {
            "passing_percent": str(rule.passing_percent),
            "failing_letters": rule.failing_letters,
            "core_subjects": rule.core_subjects,
        }
        rule.passing_percent = passing_percent
        rule.failing_letters = failing_letters
        rule.core_subjects = core_subjects
        rule.save()
        changed = marks_rejudge(
            district.pk,
            PassingRule.from_text(
                passing_percent=passing_percent,
                failing_letters=failing_letters,
                core_subjects=core_subjects,
            ),
        )
        audit_record(
            user=audit.user,
            action=AccessLog.Action.UPDATE,
            object_type="mark_rule",
            object_id=rule.pk,
            audit=audit,
            detail={
                "before": before,
                "after": {
                    "passing_percent": str(passing_percent),
                    "failing_letters": failing_letters,
                    "core_subjects": core_subjects,
                },
                "marks_changed": changed,
            },
        )
    return rule, changed
