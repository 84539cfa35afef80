"""What a sweep must write: the rules' wanted flags compared with the flags that exist.

Pure: pandas frames in, a `Changes` value out; no ORM, no clock. This is where idempotence
lives (docs/decisions.md has the state machine):

- a flag *key* is (student_id, section_id, measure_id, plan_id, domain, kind) within one
  school year; ids are ints, 0 for "none";
- the rule fires (`flag` True) and a live flag (open / on_agenda) exists: unchanged when its
  evidence hash, tier, window and classwide mark are the same, else updated in place (the
  status stays: a flag on an agenda stays on it);
- the rule fires and no live flag exists: a new open flag, unless the latest closed flag of
  the key was decided by people (accepted or dismissed) on the same *basis* (the evidence a
  decision rests on): then nothing happens, the decision stands;
- the rule looked and did not fire (`flag` False): a live flag is resolved;
- the rule had no data for a key (no row): nothing happens.

Hashes: `evidence_hash` covers the whole evidence except the run date (`as_of`), so a re-run
on another day with the same data writes nothing. `basis_hash` is what a decision rests on:
recorded by the services when people accept or dismiss a flag, it also leaves out the
percentile ranks of scores that cut scores classified (a new classmate's score shifts every
rank in the norm group, and that alone must not reopen a dismissed flag). The sweep hashes a
basis only for keys that have such a decision.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

KEY = ("student_id", "section_id", "measure_id", "plan_id", "domain", "kind")
# Columns a rule module's wanted-flags frame carries (besides KEY).
WANTED = (
    *KEY,
    "school_id",
    "window_id",
    "recommended_tier",
    "rule",
    "flag",
    "evidence",
    "classwide_context",
)
# Columns of the existing-flags frame.
EXISTING = (
    "id",
    *KEY,
    "status",
    "evidence_hash",
    "basis_hash",
    "recommended_tier",
    "window_id",
    "classwide_context",
)
LIVE = ("open", "on_agenda")
DECIDED = ("accepted", "dismissed")
VOLATILE_KEYS = ("as_of",)
ACTIONS = ("created", "updated", "resolved", "unchanged")


# One encoder for every call: a sweep encodes tens of thousands of evidence dicts.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def _canonical(value: Any) -> bytes:
    return _ENCODER.encode(value).encode()


def _stable(evidence: dict[str, Any]) -> dict[str, Any]:
    """The evidence without the run date (a C-level copy, only when there is one)."""
    if not any(k in evidence for k in VOLATILE_KEYS):
        return evidence
    stable = dict(evidence)
    for k in VOLATILE_KEYS:
        stable.pop(k, None)
    return stable


def evidence_json(evidence: dict[str, Any]) -> bytes:
    """The evidence without the run date as canonical JSON (sorted keys): what is hashed,
    and, with the run date put back by the INSERT, what is stored."""
    return _canonical(_stable(evidence))


def evidence_hash(evidence: dict[str, Any]) -> str:
    """SHA-256 of the evidence without the run date."""
    return hashlib.sha256(evidence_json(evidence)).hexdigest()


def basis_hash(evidence: dict[str, Any]) -> str:
    """SHA-256 of what a decision rests on: the evidence without the run date and without
    the percentile ranks of scores classified by a cut score (benchmark present)."""
    stable = dict(_stable(evidence))
    scores = stable.get("scores")
    if isinstance(scores, list):
        stable["scores"] = [
            {k: v for k, v in s.items() if k != "percentile_rank"}
            if isinstance(s, dict) and s.get("benchmark") is not None
            else s
            for s in scores
        ]
    return hashlib.sha256(_canonical(stable)).hexdigest()


@dataclass
class Changes:
    """The writes of one sweep. `create` / `update` rows carry the wanted columns plus
    evidence_hash and evidence_json (`update` also the flag `id`)."""

    create: pd.DataFrame
    update: pd.DataFrame
    resolve: list[int]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def writes(self) -> int:
        return len(self.create) + len(self.update) + len(self.resolve)


def _key_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("student_id", "section_id", "measure_id", "plan_id"):
        out[column] = pd.to_numeric(out[column]).fillna(0).astype("int64")
    out["domain"] = out["domain"].astype(str)
    out["kind"] = out["kind"].astype(str)
    return out


def _same_window(a: pd.Series, b: pd.Series) -> pd.Series:
    a = pd.to_numeric(a).fillna(0).astype("int64")
    b = pd.to_numeric(b).fillna(0).astype("int64")
    return a == b


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _require(wanted: pd.DataFrame, existing: pd.DataFrame) -> None:
    missing = [c for c in WANTED if c not in wanted.columns]
    if missing:
        raise ValueError(f"wanted flags: missing column(s) {', '.join(missing)}")
    missing = [c for c in EXISTING if c not in existing.columns]
    if missing:
        raise ValueError(f"existing flags: missing column(s) {', '.join(missing)}")


def _matched(wanted: pd.DataFrame, existing: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The wanted rows, each with its key's live flag (`_id`, `_tier`, ... NaN where none),
    and the latest closed flag per key."""
    keys = list(KEY)
    w = _key_frame(wanted[list(WANTED)]).reset_index(drop=True)
    if w.duplicated(keys).any():
        dupes = w.loc[w.duplicated(keys, keep=False), keys].head(3).to_dict("records")
        raise ValueError(f"wanted flags: one row per key, got duplicates such as {dupes}")
    e = _key_frame(existing[list(EXISTING)] if len(existing) else _empty(EXISTING))
    live = e.loc[e["status"].isin(LIVE)]
    # The loader gives the latest closed flag per key first; keep that one.
    closed = e.loc[~e["status"].isin(LIVE)].drop_duplicates(keys, keep="first")
    if live.duplicated(keys).any():
        raise ValueError("existing flags: more than one live flag for a key")

    live_cols = live.rename(
        columns={
            "id": "_id",
            "status": "_status",
            "evidence_hash": "_ehash",
            "basis_hash": "_bhash",
            "recommended_tier": "_tier",
            "window_id": "_window",
            "classwide_context": "_cw",
        }
    )
    return w.merge(live_cols, on=keys, how="left"), closed


def _decision_stands(without_live: pd.DataFrame, closed: pd.DataFrame) -> pd.Series:
    """For firing rows without a live flag: True where the key's latest closed flag was
    decided by people (accepted or dismissed) on the same basis, so no flag is made."""
    keys = list(KEY)
    decided = closed.loc[closed["status"].isin(DECIDED), [*keys, "basis_hash"]]
    with_decision = without_live[keys].merge(
        decided.rename(columns={"basis_hash": "_closed_bhash"}), on=keys, how="left"
    )
    stands = pd.Series(False, index=without_live.index)
    # The basis is hashed only where a decision stands to be compared with.
    has_decision = with_decision["_closed_bhash"].notna().to_numpy()
    if has_decision.any():
        bases = [basis_hash(ev) for ev in without_live.loc[has_decision, "evidence"]]
        stands.loc[has_decision] = [
            b == c
            for b, c in zip(bases, with_decision.loc[has_decision, "_closed_bhash"], strict=True)
        ]
    return stands


def live_after(wanted: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """The keys live after `reconcile(wanted, existing)` were written, with the tier each
    carries (KEY columns and `tier`), without hashing the evidence: which flags a sweep would
    leave, for the what-if preview (decisions.whatif)."""
    _require(wanted, existing)
    keys = list(KEY)
    e = _key_frame(existing[list(EXISTING)] if len(existing) else _empty(EXISTING))
    live = e.loc[e["status"].isin(LIVE), [*keys, "recommended_tier"]].rename(
        columns={"recommended_tier": "tier"}
    )
    if wanted.empty:
        return live.reset_index(drop=True)
    merged, closed = _matched(wanted, existing)
    fires = merged["flag"].astype(bool)
    has_live = merged["_id"].notna()
    # Live flags of keys the rules did not look at stay as they are.
    looked = pd.MultiIndex.from_frame(merged[keys])
    untouched = live.loc[~pd.MultiIndex.from_frame(live[keys]).isin(looked)]
    # Firing with a live flag: kept (updated to the new tier); firing without one: made,
    # unless a decision on the same basis stands.
    without_live = merged.loc[fires & ~has_live]
    made = without_live.loc[~_decision_stands(without_live, closed)]
    firing = pd.concat([merged.loc[fires & has_live], made])
    out = firing[keys].assign(tier=pd.to_numeric(firing["recommended_tier"]).to_numpy())
    return pd.concat([untouched, out], ignore_index=True)


def reconcile(wanted: pd.DataFrame, existing: pd.DataFrame) -> Changes:
    """Compare the rules' rows (`WANTED` columns) with the flags (`EXISTING` columns: every
    live flag of the scope, plus the latest closed flag per key)."""
    counts: Counter[tuple[str, str]] = Counter()
    out_cols = [*WANTED, "evidence_hash", "evidence_json"]
    _require(wanted, existing)
    if wanted.empty:
        return Changes(create=_empty(tuple(out_cols)), update=_empty(("id", *out_cols)), resolve=[])
    merged, closed = _matched(wanted, existing)
    has_live = merged["_id"].notna()
    fires = merged["flag"].astype(bool)

    # Resolve: looked, did not fire, a live flag exists.
    to_resolve = merged.loc[~fires & has_live]
    for kind in to_resolve["kind"]:
        counts[(kind, "resolved")] += 1
    resolve_ids = [int(i) for i in to_resolve["_id"].tolist()]

    # Only the firing rows need hashes (most students are at benchmark). The JSON text made
    # for the hash is kept for the INSERT / UPDATE, so each evidence is encoded once.
    firing = merged.loc[fires].copy()
    texts = [evidence_json(ev) for ev in firing["evidence"]]
    firing["evidence_json"] = texts
    firing["evidence_hash"] = [hashlib.sha256(t).hexdigest() for t in texts]

    with_live = firing.loc[firing["_id"].notna()]
    same = (
        (with_live["evidence_hash"] == with_live["_ehash"])
        & (with_live["recommended_tier"].astype(int) == pd.to_numeric(with_live["_tier"]))
        & _same_window(with_live["window_id"], with_live["_window"])
        & (with_live["classwide_context"].astype(bool) == with_live["_cw"].astype(bool))
    )
    for kind in with_live.loc[same, "kind"]:
        counts[(kind, "unchanged")] += 1
    update = with_live.loc[~same].copy()
    update["id"] = update["_id"].astype("int64")
    for kind in update["kind"]:
        counts[(kind, "updated")] += 1

    without_live = firing.loc[firing["_id"].isna()]
    kept = _decision_stands(without_live, closed)
    for kind in without_live.loc[kept, "kind"]:
        counts[(kind, "unchanged")] += 1
    create = without_live.loc[~kept]
    for kind in create["kind"]:
        counts[(kind, "created")] += 1

    by_kind: dict[str, dict[str, int]] = {}
    for (kind, action), n in counts.items():
        by_kind.setdefault(kind, dict.fromkeys(ACTIONS, 0))[action] = n
    return Changes(
        create=create[out_cols].reset_index(drop=True),
        update=update[["id", *out_cols]].reset_index(drop=True),
        resolve=resolve_ids,
        counts=by_kind,
    )
