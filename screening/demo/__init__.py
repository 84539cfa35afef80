"""Screening demo data: windows, measures, the district's cut-score sets, scores, SRSS-IE
ratings and office discipline referrals for the synthetic district of `students/demo/`.

Called by `seed_demo` as `seed(ctx)` inside its transaction. Deterministic (every draw comes
from one numpy generator seeded from `ctx.seed`, over the context's lists in their fixed
order) and fast: scores, ratings and referrals go in with PostgreSQL COPY, percentile ranks
with one UPDATE per measure and window.

What a user sees (the demo's "today" is late November 2026):
- fall window (3 to 7.5 weeks into the year: Sep 8 - Oct 9, 2026) closed, nearly everyone
  screened: reading (ORF, grades 1-6; grade 1 starts in winter, as Hasbrouck & Tindal have no
  grade 1 fall norm) against the district's copy of the Hasbrouck & Tindal norms; math
  computation (K-8, a district measure with invented cut scores, said so in its notes); and
  the SRSS-IE rating (K-8, SRSS-E7 plus I5 in elementary / I6 in middle school);
- winter window (Nov 16, 2026 - Jan 22, 2027) open: about a third of the classes have
  entered ORF and math, the demo teacher's class not yet, so score entry can be tried;
- spring window (Apr 26 - May 21, 2027) not open yet;
- roughly 75 % at or above benchmark, 15 % some risk, 8-10 % high risk, with about one class
  in fourteen far below (a classwide problem: its median under the benchmark);
- referrals since school started: most students none, a tail with 2 to 10.
Nothing here is real: latent abilities are random normals, turned into scores through the
published norm percentiles.

`scores` is the step (windows, cut-score sets, ORF and math scores), which then calls
`ratings` and `referrals`; this package re-exports their public names.
"""

from screening.demo.referrals import ACTIONS, BEHAVIORS, LOCATIONS, MOTIVATIONS, OTHERS
from screening.demo.scores import (
    CLASS_SD,
    CLASSWIDE_EFFECT,
    CLASSWIDE_SHARE,
    LATENT_SHIFT,
    MATH_CODE,
    WINDOW_DAYS,
    WINDOW_NOISE_SD,
    WINTER_CLASS_SHARE,
    Z_KNOTS,
    seed,
)
from screening.demo.shared import MISSING_SHARE

__all__ = [
    "ACTIONS",
    "BEHAVIORS",
    "CLASSWIDE_EFFECT",
    "CLASSWIDE_SHARE",
    "CLASS_SD",
    "LATENT_SHIFT",
    "LOCATIONS",
    "MATH_CODE",
    "MISSING_SHARE",
    "MOTIVATIONS",
    "OTHERS",
    "WINDOW_DAYS",
    "WINDOW_NOISE_SD",
    "WINTER_CLASS_SHARE",
    "Z_KNOTS",
    "seed",
]
