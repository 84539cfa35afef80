"""The flags before and after switching a district to a draft rule-set version.

Only the rule modules that read a threshold the two versions set differently can change a
flag: each module declares the thresholds it reads, and the sweep holds it to that
(decisions.sweep_scope.DeclaredThresholds). Those modules run twice on the same rows, with
today's thresholds and with the new ones (a load that read a changed threshold loads again),
so who gains or loses a flag never rests on stored flags. The other modules' flags are the
same on both sides of the switch: read as they stand when the district's stored flags are
current (decisions.whatif_flags.stored_flags_current), else made by running those modules
once. `full` runs every module twice, as a sweep under each version would: the reference the
shortcut is tested against.

The loads run on a database lane (decisions.db_lane), as in the sweep: PostgreSQL reads the
next module's rows while pandas applies the rules to the last one's.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, replace

import pandas as pd

from decisions.db_lane import DatabaseLane
from decisions.sweep import rule_modules
from decisions.sweep_scope import SweepScope
from decisions.whatif_flags import changed_thresholds, live_after, stored_live
from mtss.lib.thresholds import Thresholds


@dataclass
class RuleSides:
    before: pd.DataFrame
    after: pd.DataFrame


def rule_sides(
    *, base: SweepScope, proposed: Thresholds, lane: DatabaseLane, stored: bool, full: bool
) -> RuleSides:
    """Before and after switching `base` (today's thresholds, existing flags loaded) to
    `proposed`."""
    then_scope = replace(base, thresholds=proposed)
    changed = changed_thresholds(base.thresholds, proposed)
    modules = rule_modules()
    covered = tuple(k for m in modules for k in m.kinds)
    rerun = [m for m in modules if full or m.thresholds & changed]
    same = [m for m in modules if m not in rerun]
    run_once = [] if stored else same
    views = {m.name: (base.for_module(m), then_scope.for_module(m)) for m in rerun + run_once}
    loads: dict[str, Future] = {
        m.name: lane.submit(m.load, base.for_module(m, load=True)) for m in rerun + run_once
    }
    # A load reading a changed threshold (the absence trend length) loads again.
    again: dict[str, Future] = {
        m.name: lane.submit(m.load, then_scope.for_module(m, load=True))
        for m in rerun
        if m.load_thresholds & changed
    }

    unchanged = [stored_live(base.existing, kinds=covered, inside=False)]
    if stored:
        kinds = [k for m in same for k in m.kinds]
        unchanged.append(stored_live(base.existing, kinds=kinds, inside=True))
    for module in run_once:
        now = views[module.name][0]
        loaded = loads[module.name].result()
        unchanged.append(live_after(module.apply(now, loaded), base.existing, module.kinds))

    befores, afters = list(unchanged), list(unchanged)
    for module in rerun:
        now, then = views[module.name]
        loaded = loads[module.name].result()
        befores.append(live_after(module.apply(now, loaded), base.existing, module.kinds))
        loaded_then = again[module.name].result() if module.name in again else loaded
        afters.append(live_after(module.apply(then, loaded_then), base.existing, module.kinds))
    return RuleSides(
        before=pd.concat(befores, ignore_index=True), after=pd.concat(afters, ignore_index=True)
    )
