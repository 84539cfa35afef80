"""The sweep's reads and writes of flags: the scope's existing flags in one query, and the
reconciled changes (updates, resolutions, new flags by COPY) in a few statements."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from django.db import connection
from django.utils import timezone

from decisions.reconcile import EXISTING, Changes
from decisions.sweep_scope import SweepScope, read_frame

_EXISTING_SQL = """
SELECT f.id, COALESCE(f.student_id, 0) AS student_id, COALESCE(f.section_id, 0) AS section_id,
       COALESCE(f.measure_id, 0) AS measure_id, COALESCE(f.plan_id, 0) AS plan_id,
       f.domain, f.kind, f.status, f.evidence_hash, f.basis_hash, f.recommended_tier,
       f.window_id, f.classwide_context
FROM decisions_flag f
WHERE f.district_id = %(district_id)s AND f.school_year_id = %(year_id)s
  AND f.status IN ('open', 'on_agenda') {scope}
UNION ALL
(SELECT DISTINCT ON (f.student_id, f.section_id, f.measure_id, f.plan_id, f.domain, f.kind)
        f.id, COALESCE(f.student_id, 0), COALESCE(f.section_id, 0), COALESCE(f.measure_id, 0),
        COALESCE(f.plan_id, 0), f.domain, f.kind, f.status, f.evidence_hash, f.basis_hash,
        f.recommended_tier, f.window_id, f.classwide_context
 FROM decisions_flag f
 WHERE f.district_id = %(district_id)s AND f.school_year_id = %(year_id)s
   AND f.status NOT IN ('open', 'on_agenda') {scope}
 ORDER BY f.student_id, f.section_id, f.measure_id, f.plan_id, f.domain, f.kind,
          f.resolved_at DESC, f.id DESC)
"""
# A school sweep owns the flags of the school's current students and sections, wherever the
# flag was first raised (a student who moved keeps one live flag, not two).
_SCHOOL_SCOPE = """
      AND (f.student_id IN (SELECT id FROM students_student WHERE school_id = %(school_id)s)
           OR f.section_id IN (SELECT id FROM students_section WHERE school_id = %(school_id)s))
"""


def load_existing(scope: SweepScope) -> pd.DataFrame:
    sql = _EXISTING_SQL.format(scope=_SCHOOL_SCOPE if scope.school_id is not None else "")
    frame = read_frame(
        sql,
        {
            "district_id": scope.district_id,
            "year_id": scope.school_year_id,
            "school_id": scope.school_id,
        },
    )
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EXISTING})
    return frame[list(EXISTING)]


# -- writes --------------------------------------------------------------------------------------


def _ids(values: pd.Series) -> list[int]:
    return pd.to_numeric(values).fillna(0).astype("int64").tolist()


# Rows travel as ONE JSON parameter read by jsonb_to_recordset: the C JSON encoder builds
# it in milliseconds, where a dozen array parameters (one holding every evidence as text)
# cost seconds of client-side quoting for a district.
_UPDATE_SQL = """
UPDATE decisions_flag f
SET school_id = u.school_id, window_id = NULLIF(u.window_id, 0), recommended_tier = u.tier,
    rule = u.rule, rule_set_id = %(rule_set_id)s,
    evidence = CASE WHEN u.as_of IS NULL THEN e.evidence
                    ELSE e.evidence || jsonb_build_object('as_of', u.as_of) END,
    evidence_hash = u.ehash, classwide_context = u.cw, updated_at = %(now)s
FROM ROWS FROM (jsonb_to_recordset(%(rows)s::jsonb)
         AS (id bigint, school_id bigint, window_id bigint, tier integer, rule text,
             as_of text, ehash text, cw boolean))
     WITH ORDINALITY AS u(id, school_id, window_id, tier, rule, as_of, ehash, cw, n)
JOIN jsonb_array_elements(%(evidence)s::jsonb) WITH ORDINALITY AS e(evidence, n) USING (n)
WHERE f.id = u.id AND f.status IN ('open', 'on_agenda')
"""

_RESOLVE_SQL = """
UPDATE decisions_flag SET status = 'resolved', resolved_at = %(now)s, updated_at = %(now)s
WHERE id = ANY(%(ids)s) AND status IN ('open', 'on_agenda')
"""


def _records(frame: pd.DataFrame) -> tuple[str, str]:
    """The flags to update (with their `id`) as one JSON array of records, and their evidence
    as one JSON array in the same order. The evidence array is the texts reconcile already
    encoded, joined: never encoded twice."""
    columns = {
        "id": _ids(frame["id"]),
        "school_id": _ids(frame["school_id"]),
        "window_id": _ids(frame["window_id"]),
        "tier": _ids(frame["recommended_tier"]),
        "rule": frame["rule"].astype(str).tolist(),
        "as_of": [ev.get("as_of") for ev in frame["evidence"]],
        "ehash": frame["evidence_hash"].tolist(),
        "cw": frame["classwide_context"].astype(bool).tolist(),
    }
    names = list(columns)
    rows = json.dumps(
        [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)],
        separators=(",", ":"),
    )
    evidence = b"[" + b",".join(frame["evidence_json"].tolist()) + b"]"
    return rows, evidence.decode()


_COPY_COLUMNS = (
    "district_id",
    "school_id",
    "school_year_id",
    "student_id",
    "section_id",
    "measure_id",
    "plan_id",
    "window_id",
    "domain",
    "kind",
    "recommended_tier",
    "status",
    "rule",
    "rule_set_id",
    "evidence",
    "evidence_hash",
    "basis_hash",
    "classwide_context",
    "dismissed_reason",
    "created_at",
    "updated_at",
)


def _copy_ids(values: pd.Series) -> list[bytes]:
    """Ids as COPY text, 0 ("none") as NULL."""
    return [str(v).encode() if v else b"\\N" for v in _ids(values)]


def _stored_evidence(text: bytes, as_of: Any) -> bytes:
    """The stored evidence: the hashed JSON with the run date put back (as the UPDATE's
    `evidence || jsonb_build_object('as_of', ...)` does)."""
    if as_of is None:
        return text
    tail = b'"as_of":' + json.dumps(str(as_of)).encode() + b"}"
    return text[:-1] + (tail if text == b"{}" else b"," + tail)


def _copy_created(
    cursor: Any, *, scope: SweepScope, rule_set_id: int, frame: pd.DataFrame, now: Any
) -> None:
    """New flags through COPY: the rows stream as tab-separated text, where one INSERT with
    the whole district's evidence as a single JSON literal cost seconds to send and parse."""
    district = str(scope.district_id).encode()
    year = str(scope.school_year_id).encode()
    rule_set = str(rule_set_id).encode()
    stamp = now.isoformat().encode()
    evidence = [
        # COPY text format: backslashes doubled (JSON has no raw tabs or newlines).
        _stored_evidence(text, ev.get("as_of")).replace(b"\\", b"\\\\")
        for text, ev in zip(frame["evidence_json"].tolist(), frame["evidence"], strict=True)
    ]
    columns = zip(
        _copy_ids(frame["school_id"]),
        _copy_ids(frame["student_id"]),
        _copy_ids(frame["section_id"]),
        _copy_ids(frame["measure_id"]),
        _copy_ids(frame["plan_id"]),
        _copy_ids(frame["window_id"]),
        [v.encode() for v in frame["domain"].astype(str).tolist()],
        [v.encode() for v in frame["kind"].astype(str).tolist()],
        [str(v).encode() for v in _ids(frame["recommended_tier"])],
        [v.encode() for v in frame["rule"].astype(str).tolist()],
        evidence,
        [v.encode() for v in frame["evidence_hash"].tolist()],
        [b"t" if v else b"f" for v in frame["classwide_context"].astype(bool).tolist()],
        strict=True,
    )
    lines = [
        b"\t".join(
            (
                district,
                school,
                year,
                student,
                section,
                measure,
                plan,
                window,
                domain,
                kind,
                tier,
                b"open",
                rule,
                rule_set,
                ev,
                ehash,
                b"",
                cw,
                b"",
                stamp,
                stamp,
            )
        )
        for (
            school,
            student,
            section,
            measure,
            plan,
            window,
            domain,
            kind,
            tier,
            rule,
            ev,
            ehash,
            cw,
        ) in columns
    ]
    sql = f"COPY decisions_flag ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        copy.write(b"\n".join(lines) + b"\n")


def write_changes(*, scope: SweepScope, rule_set_id: int, changes: Changes) -> None:
    """Apply the sweep's differences in at most three statements."""
    now = timezone.now()
    with connection.cursor() as cursor:
        if len(changes.create):
            _copy_created(
                cursor, scope=scope, rule_set_id=rule_set_id, frame=changes.create, now=now
            )
        if len(changes.update):
            rows, evidence = _records(changes.update)
            cursor.execute(
                _UPDATE_SQL,
                {
                    "rule_set_id": rule_set_id,
                    "now": now,
                    "rows": rows,
                    "evidence": evidence,
                },
            )
        if changes.resolve:
            cursor.execute(_RESOLVE_SQL, {"ids": changes.resolve, "now": now})


# -- the run record ------------------------------------------------------------------------------
