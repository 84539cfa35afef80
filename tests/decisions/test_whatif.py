"""The what-if preview equals what really happens: switch the version on, sweep, compare.

The test database is the copy: the same district is previewed, then the version is really
switched on and the rules really swept, and the students who changed risk level, gained or
lost a flag must be exactly the ones the preview named, with the same per-group counts.

Worked example (grade 3 fall ORF, v1 70/55 -> v2 75/40; grade 4 fall v1 80/60 -> v2 65/50):
Maria 38 high -> high; Ana 60 some -> some; Ben 72 at -> some (gains a flag); Liam 80 at;
Noah 50 high -> some (risk changes, keeps a flag); Gus (grade 4) 70 some -> at (loses it).
"""

from __future__ import annotations

from django.utils import timezone

from decisions.models import Flag, RuleSet
from decisions.services import rule_set_activate, rule_set_revise
from decisions.sweep import sweep
from decisions.whatif import whatif_cut_scores, whatif_rule_set
from screening import services as screening_services
from screening.models import CutScore, ScreeningScore
from tests.factories import EnrollmentFactory, StudentFactory


def _live(district) -> set[tuple]:
    return set(
        Flag.objects.filter(
            district=district, status__in=["open", "on_agenda"], student__isnull=False
        ).values_list("student_id", "kind", "domain")
    )


def _levels() -> dict[int, str | None]:
    return dict(ScreeningScore.objects.values_list("student_id", "risk_level"))


def _changes(before: set[tuple], after: set[tuple]) -> tuple[list[int], list[int]]:
    return sorted({k[0] for k in after - before}), sorted({k[0] for k in before - after})


def test_it_previews_a_cut_score_switch_exactly(sweep_world):
    sw, world = sweep_world, sweep_world.world
    today = timezone.localdate()
    CutScore.objects.create(
        cut_score_set=sw.orf_set, grade=4, season="fall", benchmark=80, high_risk_cut=60
    )
    gus = StudentFactory(school=world.school, first_name="Gus", last_name="Hill", grade=4)
    EnrollmentFactory(student=gus, section=world.section)
    sw.score(gus, 70)  # the fixture scored the grade 3 students (table above)
    sweep(district_id=world.district.pk, as_of=today)
    draft = screening_services.cut_score_set_revise(
        cut_score_set=sw.orf_set,
        rows=[
            {"grade": 3, "season": "fall", "benchmark": "75", "high_risk_cut": "40"},
            {"grade": 4, "season": "fall", "benchmark": "65", "high_risk_cut": "50"},
        ],
        reason="Local cut study",
        activate=False,
        actor=None,
    )
    preview = whatif_cut_scores(cut_set=draft, as_of=today)

    flags_before, levels_before = _live(world.district), _levels()
    screening_services.cut_score_set_activate(cut_score_set=draft, actor=None)
    sweep(district_id=world.district.pk, as_of=today)
    flags_after, levels_after = _live(world.district), _levels()

    gained, lost = _changes(flags_before, flags_after)
    moved = sorted(s for s in levels_after if levels_after[s] != levels_before.get(s))
    assert preview.changed_students == {"gained": gained, "lost": lost, "risk_changed": moved}
    assert (gained, lost, moved) == ([sw.ben.pk], [gus.pk], sorted([sw.ben.pk, sw.noah.pk, gus.pk]))
    flagged_after = {k[0] for k in flags_after}
    assert preview.flagged_after == len(flagged_after)
    by_school = {r.group: r for r in preview.rows["school"]}
    maple = by_school[world.school.name]
    assert (maple.gained, maple.lost, maple.risk_changed) == (1, 1, 2)
    assert by_school[world.other_school.name].risk_changed == 1


def test_it_previews_a_rule_set_switch_exactly(sweep_world):
    sw, world = sweep_world, sweep_world.world
    today = timezone.localdate()
    # The fixture gave Liam two referrals in September and Maria one.
    sweep(district_id=world.district.pk, as_of=today)
    draft = rule_set_revise(
        district=world.district,
        changes={"odr_tier2_at": 4, "odr_tier3_at": 8, "classwide_enabled": False},
        actor=None,
        notes="Fewer behavior referrals to the team",
        activate=False,
    )
    preview = whatif_rule_set(rule_set=draft, as_of=today)
    flags_before = _live(world.district)
    rule_set_activate(rule_set=RuleSet.objects.get(pk=draft.pk), actor=None)
    sweep(district_id=world.district.pk, as_of=today)
    flags_after = _live(world.district)
    gained, lost = _changes(flags_before, flags_after)
    assert preview.changed_students["gained"] == gained
    assert preview.changed_students["lost"] == lost
    # Liam's 2 referrals: Tier 2 under bands 2-5, Tier 1 under 4-7 (his October catch stays).
    assert lost == [sw.liam.pk]
    assert preview.lost == 1 and preview.gained == 0
    assert preview.flagged_after == len({k[0] for k in flags_after})
