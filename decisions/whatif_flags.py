"""The what-if preview's view of flags: which flags a sweep would leave live, and which it can
read as they stand.

`live_after` is the sweep's own reconcile (decisions.reconcile) read for liveness: the flags of
some kinds that would be live after a sweep wanting these rows, with the tier each carries.

`standing` gives the flags of rule modules the preview does not need to run (their inputs and
thresholds are the same on both sides of the switch, so they are the same before and after).
It reads them as they stand only when they are what a sweep would leave today
(`stored_flags_current`); otherwise it runs those modules once, on today's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date

import pandas as pd

from decisions.models import RuleRun
from decisions.reconcile import KEY, LIVE
from decisions.reconcile import live_after as reconcile_live_after
from decisions.sweep import school_year_for
from decisions.sweep_scope import RuleModule, SweepScope, empty_wanted
from mtss.lib.thresholds import Thresholds

FLAG_COLUMNS = (*KEY, "tier")


def preview_scope(district_id: int, as_of: date, thresholds: Thresholds) -> SweepScope | None:
    """The district-wide sweep scope of `as_of` (None: no school year yet)."""
    year = school_year_for(district_id, as_of)
    if year is None:
        return None
    return SweepScope(
        district_id=district_id,
        school_id=None,
        as_of=as_of,
        school_year_id=year.pk,
        year_start=year.start_date,
        year_end=year.end_date,
        thresholds=thresholds,
    )


def changed_thresholds(old: Thresholds, new: Thresholds) -> frozenset[str]:
    """The names of the thresholds whose values differ."""
    return frozenset(
        f.name for f in fields(Thresholds) if getattr(old, f.name) != getattr(new, f.name)
    )


def stored_flags_current(*, district_id: int, as_of: date, rule_set_id: int) -> bool:
    """Whether the district's stored flags are what a district sweep would leave today: its
    latest whole-district sweep succeeded for `as_of` under the active rule set, and no run
    of the district started since is waiting, running or failed (a run is asked for when
    scores, referrals or settings change; one that failed left its changes undone).

    School sweeps that succeeded since only brought their school up to date. Data changed
    without any sweep being asked for (attendance or marks imports wait for the nightly one)
    is not seen here: the flags staff see lag the same way."""
    runs = RuleRun.objects.filter(district_id=district_id)
    last = (
        runs.filter(school__isnull=True, status=RuleRun.Status.SUCCEEDED)
        .order_by("-created_at", "-pk")
        .values("pk", "created_at", "as_of", "rule_set_id")
        .first()
    )
    if last is None or last["as_of"] != as_of or last["rule_set_id"] != rule_set_id:
        return False
    return (
        not runs.filter(created_at__gte=last["created_at"])
        .exclude(pk=last["pk"])
        .exclude(status=RuleRun.Status.SUCCEEDED)
        .exists()
    )


def keys(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(KEY)].copy()
    for column in ("student_id", "section_id", "measure_id", "plan_id"):
        out[column] = pd.to_numeric(out[column]).fillna(0).astype("int64")
    out["domain"] = out["domain"].astype(str)
    out["kind"] = out["kind"].astype(str)
    return out


def stored_live(existing: pd.DataFrame, *, kinds: Iterable[str], inside: bool) -> pd.DataFrame:
    """Live flags as they stand, of `kinds` (`inside`) or of every other kind."""
    in_kinds = existing["kind"].isin(tuple(kinds))
    live = existing.loc[existing["status"].isin(LIVE) & (in_kinds if inside else ~in_kinds)]
    return keys(live).assign(tier=pd.to_numeric(live["recommended_tier"]).to_numpy())


def live_after(
    wanted: pd.DataFrame, existing: pd.DataFrame, kinds: tuple[str, ...]
) -> pd.DataFrame:
    """Flags of `kinds` live after a sweep that wants `wanted` (decisions.reconcile's
    `live_after`: live now, minus resolved, plus created), with the tier each would carry."""
    if not len(wanted):
        wanted = empty_wanted()
    mine = existing.loc[existing["kind"].isin(kinds)]
    # Only flags of the students and sections the rules looked at can change (a key names
    # both); the others stay as they are and need no matching.
    looked = pd.to_numeric(mine["student_id"]).isin(
        pd.to_numeric(wanted["student_id"]).fillna(0)
    ) & pd.to_numeric(mine["section_id"]).isin(pd.to_numeric(wanted["section_id"]).fillna(0))
    return pd.concat(
        [
            reconcile_live_after(wanted, mine.loc[looked]),
            stored_live(mine.loc[~looked], kinds=kinds, inside=True),
        ],
        ignore_index=True,
    )


def run_module(module: RuleModule, scope: SweepScope) -> pd.DataFrame:
    """The flags of `module` live after a sweep of `scope` (the module's own load and rules)."""
    loaded = module.load(scope.for_module(module, load=True))
    return live_after(module.apply(scope.for_module(module), loaded), scope.existing, module.kinds)


def standing(
    scope: SweepScope, modules: list[RuleModule], *, covered: Iterable[str], stored: bool
) -> pd.DataFrame:
    """Flags the switch leaves alone: those of `modules` (read as they stand when `stored`,
    else run once) and the live flags of kinds no rule module makes (`covered` lists those a
    module makes)."""
    frames = [stored_live(scope.existing, kinds=covered, inside=False)]
    if stored:
        kinds = [k for m in modules for k in m.kinds]
        frames.append(stored_live(scope.existing, kinds=kinds, inside=True))
    else:
        frames.extend(run_module(m, scope) for m in modules)
    return pd.concat(frames, ignore_index=True)
