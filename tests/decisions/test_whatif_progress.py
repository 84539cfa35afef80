"""A cut-score what-if counts the progress flags the new cut scores move: dual discrepancy (the
benchmark its level check reads) and the exit at a screening at benchmark (the screening's
risk level), checked by hand and against the real switch followed by a sweep.

Hand-computed on conftest.py's district, judged on 20 Jan (winter window from 5 Jan, grade 3
ORF winter 86 / 68; the draft raises the benchmark to 95, high-risk cut unchanged):
- 13 peers scored 60 in fall and 60 + 18 x g in winter, g = 0, 0.5, ..., 6: the 25th
  percentile of growth is 1.5 a week. Their winter scores 60, 69, 78, 87, 96, ...: only 87
  moves (at benchmark under 86, some risk under 95), so that peer gains a screening flag.
- Ben (Tier 2 plan on ORF): points 88, 88.5, ... 91.5, trend 0.5 < 1.5, all sessions held.
  Latest 91.5 is above 86 (not dually discrepant) but below 95: he gains dual discrepancy.
- Eve (no fall score, so not a peer; Tier 2 plan whose intervention exits at a screening at
  benchmark): winter ORF 90 >= 86 exits her today; under 95 it is some risk, so she loses
  the exit flag and gains a screening flag, and her risk level changes.
"""

from __future__ import annotations

from decisions.models import Flag
from decisions.sweep import sweep
from decisions.whatif import whatif_cut_scores
from screening import services as screening_services
from screening.models import ScreeningScore
from screening.services import ScoreInput
from screening.services.reclassify import reclassify_window
from tests.decisions.test_sweep_exit_and_dual import WINTER_DAY, peers, plan_for
from tests.factories import StudentFactory


def _live(district) -> set[tuple]:
    return set(
        Flag.objects.filter(
            district=district, status__in=["open", "on_agenda"], student__isnull=False
        ).values_list("student_id", "kind", "plan_id")
    )


def test_a_cut_score_preview_counts_dual_discrepancy_and_exit_flags(sweep_world):
    sw, world = sweep_world, sweep_world.world
    peers(sw, [0.5 * i for i in range(13)])
    peer_87 = ScreeningScore.objects.get(measure=sw.orf, window=sw.winter, score=87).student
    ben_plan = plan_for(sw, sw.ben, scores=[88 + 0.5 * w for w in range(8)], exit_criteria={})
    eve = StudentFactory(school=world.school, grade=3, first_name="Eve", last_name="Park")
    eve_plan = plan_for(
        sw,
        eve,
        scores=[40 + 3 * w for w in range(8)],
        exit_criteria={"goal_met_points": 3, "or_benchmark_at_next_screening": True},
    )
    screening_services.scores_bulk_record(
        rows=[ScoreInput(student=eve, measure=sw.orf, window=sw.winter, value=90)],
        entered_by=None,
    )
    sweep(district_id=world.district.pk, as_of=WINTER_DAY)
    before = _live(world.district)
    assert (sw.ben.pk, "dual_discrepancy", ben_plan.pk) not in before
    assert (eve.pk, "progress_exit", eve_plan.pk) in before
    draft = screening_services.cut_score_set_revise(
        cut_score_set=sw.orf_set,
        rows=[{"grade": 3, "season": "winter", "benchmark": "95", "high_risk_cut": "68"}],
        reason="Raise the winter benchmark",
        activate=False,
        actor=None,
    )

    preview = whatif_cut_scores(cut_set=draft, as_of=WINTER_DAY)

    assert preview.stored_flags
    assert preview.plans_changed == 2  # Ben's benchmark, Eve's screening result
    assert preview.changed_students == {
        "gained": sorted([sw.ben.pk, eve.pk, peer_87.pk]),
        "lost": [eve.pk],
        "risk_changed": sorted([eve.pk, peer_87.pk]),
    }

    # The real switch: the version goes live and the winter window's scores follow it (the
    # activation reclassifies the window current on the real day; here it is 20 Jan), then
    # the sweep.
    screening_services.cut_score_set_activate(cut_score_set=draft, actor=None)
    reclassify_window(cut_set=draft, window=sw.winter)
    sweep(district_id=world.district.pk, as_of=WINTER_DAY)
    after = _live(world.district)
    assert (sw.ben.pk, "dual_discrepancy", ben_plan.pk) in after
    assert (eve.pk, "progress_exit", eve_plan.pk) not in after
    gained = sorted({k[0] for k in after - before})
    lost = sorted({k[0] for k in before - after})
    assert (gained, lost) == (preview.changed_students["gained"], preview.changed_students["lost"])
