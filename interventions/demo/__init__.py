"""Interventions demo data: the shared catalog, two progress measures of the district, and a
plan for most students the fall screening put at some risk (Tier 2) or high risk (Tier 3), with
6-20 progress points, logged sessions, groups, fidelity observations and the students' own
goals and ratings.

Called by `seed_demo` as `seed(ctx)` after the screening demo, inside its transaction.
Deterministic (one numpy generator seeded from `ctx.seed`, over rows in a fixed order) and
fast: plans, phases, points, sessions and placements go in with PostgreSQL COPY, so a
50,000-student district takes seconds, not one save per row.

What a user sees:
- each plan starts after the student's fall screening (from a week after the fall window
  opened) and has 6-20 points up to the demo's "today" (today's date kept inside the school
  year, at least six weeks after the fall window): weekly where that fits, twice a week
  otherwise (Tier 3 students are often monitored more than weekly);
- responses vary: responders on the aim line, strong responders (raise the goal), non-responders
  (change the intervention, or improve fidelity when sessions were missed), flat, noisy, and
  goal met (some of those already completed by the team, the student back in Tier 1);
- fidelity varies: most plans delivered as planned, some with many missed sessions, a few
  with no session logged at all (fidelity unknown);
- small-group interventions are taught in groups of 3-6 of the same school, grade band and
  interventionist, with sessions logged for the whole group at once;
- reading and math plans are delivered by the school's interventionists (the demo
  `interventionist` login has the first elementary school's reading caseload), behavior and
  SEL plans by the school's team members (counsellor, behavior specialist).

The steps live in build.py (who gets a plan, groups, dates and scores, with profiles.py,
assignment.py and measures.py) and write.py (the COPY of every row, with bulk_copy.py).
"""

from interventions.demo.assignment import CASELOAD_CAP
from interventions.demo.build import MAX_DOMAINS, PLAN_SHARE, demo_today, seed
from interventions.demo.measures import BEHAVIOR_CODE, MATH_CODE, SEL_CODE
from interventions.demo.profiles import FIDELITY, MAX_POINTS, MIN_POINTS, OVERDUE_SHARE, PROFILES
from interventions.demo.write import GOAL_WORDS

__all__ = [
    "BEHAVIOR_CODE",
    "CASELOAD_CAP",
    "FIDELITY",
    "GOAL_WORDS",
    "MATH_CODE",
    "MAX_DOMAINS",
    "MAX_POINTS",
    "MIN_POINTS",
    "OVERDUE_SHARE",
    "PLAN_SHARE",
    "PROFILES",
    "SEL_CODE",
    "demo_today",
    "seed",
]
