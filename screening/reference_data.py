"""Read-only reference measures and cut-score sets shipped with the platform (district NULL).

Loaded by migration 0002 through `load(apps)` (idempotent: an existing reference measure is
updated, an existing reference set is left as it is, since scores may point at it). A district
copies a set (`services.cut_score_set_copy`) and edits its copy as new versions.

Sources (domain.md section 2):
- Hasbrouck & Tindal (2017), BRT Technical Report 1702, oral reading fluency norms, words
  correct per minute, percentiles 90/75/50/25/10; grade 1 has no fall norm.
  Shipped as a criterion set: benchmark = 25th percentile, high-risk cut = 10th percentile
  (the default 10/25 percentile bands applied to the published norms); all five percentiles
  are kept on each row.
- Dynamic Measurement Group, "Summary of Benchmark Goals and Cut Points for Risk" (DIBELS Next /
  Acadience ORF), grades 2 and 3 only, as the example a district would type in.
- SRSS-IE (Lane et al. 2015, 2016), lower is better: SRSS-E7 0-3 / 4-8 / 9-21; SRSS-I5
  (elementary) 0-1 / 2-3 / 4-15; SRSS-I6 (middle and high) 0-3 / 4-5 / 6-18.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

SEASONS = ("fall", "winter", "spring")

# grade -> season -> (p90, p75, p50, p25, p10); None where the source has "-".
HASBROUCK_TINDAL_2017: dict[int, dict[str, tuple[int, int, int, int, int] | None]] = {
    1: {"fall": None, "winter": (97, 59, 29, 16, 9), "spring": (116, 91, 60, 34, 18)},
    2: {
        "fall": (111, 84, 50, 36, 23),
        "winter": (131, 109, 84, 59, 35),
        "spring": (148, 124, 100, 72, 43),
    },
    3: {
        "fall": (134, 104, 83, 59, 40),
        "winter": (161, 137, 97, 79, 62),
        "spring": (166, 139, 112, 91, 63),
    },
    4: {
        "fall": (153, 125, 94, 75, 60),
        "winter": (168, 143, 120, 95, 71),
        "spring": (184, 160, 133, 105, 83),
    },
    5: {
        "fall": (179, 153, 121, 87, 64),
        "winter": (183, 160, 133, 109, 84),
        "spring": (195, 169, 146, 119, 102),
    },
    6: {
        "fall": (185, 159, 132, 112, 89),
        "winter": (195, 166, 145, 116, 91),
        "spring": (204, 173, 146, 122, 91),
    },
}

# grade -> season -> (benchmark goal, cut point for risk)
ACADIENCE_ORF_EXAMPLE: dict[int, dict[str, tuple[int, int]]] = {
    2: {"fall": (52, 37), "winter": (72, 55), "spring": (87, 65)},
    3: {"fall": (70, 55), "winter": (86, 68), "spring": (100, 80)},
}

# SRSS-IE items, neutral short labels. E7 is the externalizing subscale for every level;
# I5 the internalizing subscale in elementary school; I6 adds peer rejection in middle and
# high school (so peer rejection counts in both subscales there).
SRSS_EXTERNALIZING_ITEMS: tuple[tuple[str, str], ...] = (
    ("steal", "Takes things that are not theirs"),
    ("lie_cheat_sneak", "Lies, cheats or sneaks"),
    ("behavior_problem", "Behavior problems"),
    ("peer_rejection", "Rejected by peers"),
    ("low_achievement", "Low academic achievement"),
    ("negative_attitude", "Negative attitude"),
    ("aggressive", "Aggressive behavior"),
)
SRSS_INTERNALIZING_ITEMS: tuple[tuple[str, str], ...] = (
    ("emotionally_flat", "Emotionally flat"),
    ("shy_withdrawn", "Shy or withdrawn"),
    ("sad_depressed", "Sad or down"),
    ("anxious", "Anxious"),
    ("lonely", "Lonely"),
)
SRSS_SECONDARY_EXTRA_INTERNALIZING = "peer_rejection"
SRSS_ITEM_MAX = 3
SRSS_INSTRUMENT = "SRSS-IE 2016"


@dataclass(frozen=True)
class ReferenceMeasure:
    code: str
    name: str
    domain: str
    area: str
    purpose: str
    unit: str
    min_score: Decimal
    max_score: Decimal
    higher_is_better: bool
    lowest_grade: int
    highest_grade: int
    instrument: str
    description: str
    slope_tolerance: Decimal = Decimal("0.5")
    skill: str = ""  # empty: the domain's general skill (mtss.lib.vocabulary.skill_of)


@dataclass(frozen=True)
class ReferenceSet:
    measure_code: str
    name: str
    source: str
    notes: str
    # (grade, season, benchmark, high_risk_cut, {p10..p90} or {})
    rows: list[tuple[int, str, Decimal, Decimal, dict[str, Decimal]]] = field(default_factory=list)


ORF_CODE = "orf-wcpm"
ACADIENCE_ORF_CODE = "acadience-orf"
SRSS_E7_CODE = "srss-e7"
SRSS_I5_CODE = "srss-i5"
SRSS_I6_CODE = "srss-i6"

MEASURES: tuple[ReferenceMeasure, ...] = (
    ReferenceMeasure(
        code=ORF_CODE,
        name="ORF (words correct per minute)",
        domain="reading",
        skill="fluency",
        area="academic",
        purpose="both",
        unit="words correct per minute",
        min_score=Decimal("0"),
        max_score=Decimal("300"),
        higher_is_better=True,
        lowest_grade=1,
        highest_grade=6,
        instrument="Oral reading fluency, grade-level passages",
        description="One-minute oral reading of a grade-level passage; the score is words read "
        "correctly. Reference cut scores from Hasbrouck & Tindal (2017) national norms.",
    ),
    ReferenceMeasure(
        code=ACADIENCE_ORF_CODE,
        name="DIBELS / Acadience ORF (example cut points)",
        domain="reading",
        skill="fluency",
        area="academic",
        purpose="both",
        unit="words correct per minute",
        min_score=Decimal("0"),
        max_score=Decimal("300"),
        higher_is_better=True,
        lowest_grade=1,
        highest_grade=6,
        instrument="DIBELS Next / Acadience Reading ORF",
        description="Example of a published benchmark-goal table typed in by a district; only "
        "grades 2 and 3 are shipped. Copy it and add your grades.",
    ),
    ReferenceMeasure(
        code=SRSS_E7_CODE,
        name="SRSS-IE externalizing (SRSS-E7)",
        domain="behavior",
        area="behavior",
        purpose="screening",
        unit="rating total (7 items, 0-3 each)",
        min_score=Decimal("0"),
        max_score=Decimal("21"),
        higher_is_better=False,
        lowest_grade=0,
        highest_grade=12,
        instrument=SRSS_INSTRUMENT,
        description="Student Risk Screening Scale for Internalizing and Externalizing, "
        "externalizing subscale (teacher rating). Lower is better.",
    ),
    ReferenceMeasure(
        code=SRSS_I5_CODE,
        name="SRSS-IE internalizing, elementary (SRSS-I5)",
        domain="sel",
        area="sel",
        purpose="screening",
        unit="rating total (5 items, 0-3 each)",
        min_score=Decimal("0"),
        max_score=Decimal("15"),
        higher_is_better=False,
        # Grades follow the school's level, so K-8 schools rating with I5 are served too.
        lowest_grade=0,
        highest_grade=8,
        instrument=SRSS_INSTRUMENT,
        description="SRSS-IE internalizing subscale used in elementary schools. Lower is better.",
    ),
    ReferenceMeasure(
        code=SRSS_I6_CODE,
        name="SRSS-IE internalizing, middle and high (SRSS-I6)",
        domain="sel",
        area="sel",
        purpose="screening",
        unit="rating total (6 items, 0-3 each)",
        min_score=Decimal("0"),
        max_score=Decimal("18"),
        higher_is_better=False,
        lowest_grade=5,
        highest_grade=12,
        instrument=SRSS_INSTRUMENT,
        description="SRSS-IE internalizing subscale used in middle and high schools (the five "
        "elementary items plus peer rejection). Lower is better.",
    ),
)


def _d(value: int | str) -> Decimal:
    return Decimal(str(value))


def _ht_rows() -> list[tuple[int, str, Decimal, Decimal, dict[str, Decimal]]]:
    rows = []
    for grade, seasons in HASBROUCK_TINDAL_2017.items():
        for season in SEASONS:
            norms = seasons[season]
            if norms is None:
                continue
            p90, p75, p50, p25, p10 = (_d(v) for v in norms)
            percentiles = {"p90": p90, "p75": p75, "p50": p50, "p25": p25, "p10": p10}
            rows.append((grade, season, p25, p10, percentiles))
    return rows


def _flat_rows(
    benchmark: int, high_risk_cut: int, grades: range
) -> list[tuple[int, str, Decimal, Decimal, dict[str, Decimal]]]:
    return [
        (grade, season, _d(benchmark), _d(high_risk_cut), {})
        for grade in grades
        for season in SEASONS
    ]


SETS: tuple[ReferenceSet, ...] = (
    ReferenceSet(
        measure_code=ORF_CODE,
        name="Hasbrouck & Tindal 2017 ORF norms",
        source="Hasbrouck, J. & Tindal, G. (2017). An update to compiled ORF norms. BRT "
        "Technical Report 1702, University of Oregon (as reproduced by Read Naturally).",
        notes="Benchmark = 25th percentile, high-risk cut = 10th percentile of the national "
        "norms (the default 10/25 percentile bands). Grade 1 has no fall norm, so grade 1 fall "
        "scores get no risk level.",
        rows=_ht_rows(),
    ),
    ReferenceSet(
        measure_code=ACADIENCE_ORF_CODE,
        name="DIBELS Next / Acadience ORF benchmark goals (grades 2-3 example)",
        source="Dynamic Measurement Group, Summary of Benchmark Goals and Cut Points for Risk.",
        notes="Benchmark = benchmark goal; high-risk cut = cut point for risk. Grades 2 and 3 "
        "only.",
        rows=[
            (grade, season, _d(goal), _d(cut), {})
            for grade, seasons in ACADIENCE_ORF_EXAMPLE.items()
            for season, (goal, cut) in seasons.items()
        ],
    ),
    ReferenceSet(
        measure_code=SRSS_E7_CODE,
        name="SRSS-E7 cut scores",
        source="Lane, K. L. et al. (2015, 2016), SRSS-IE.",
        notes="Low 0-3, moderate 4-8, high 9-21 (lower is better): benchmark 3, high-risk "
        "cut 8. The same for every grade and season.",
        rows=_flat_rows(3, 8, range(0, 13)),
    ),
    ReferenceSet(
        measure_code=SRSS_I5_CODE,
        name="SRSS-I5 cut scores (elementary)",
        source="Lane, K. L. et al. (2015, 2016), SRSS-IE.",
        notes="Low 0-1, moderate 2-3, high 4-15 (lower is better): benchmark 1, high-risk cut 3.",
        rows=_flat_rows(1, 3, range(0, 9)),
    ),
    ReferenceSet(
        measure_code=SRSS_I6_CODE,
        name="SRSS-I6 cut scores (middle and high)",
        source="Lane, K. L. et al. (2015, 2016), SRSS-IE.",
        notes="Low 0-3, moderate 4-5, high 6-18 (lower is better): benchmark 3, high-risk cut 5.",
        rows=_flat_rows(3, 5, range(5, 13)),
    ),
)


def load(apps: Any) -> None:
    """Create or update the reference measures and create missing reference sets.

    `apps` is a migration's app registry (or django.apps.apps), so the loader works inside a
    data migration with the historical models.
    """
    Measure = apps.get_model("screening", "Measure")  # noqa: N806
    CutScoreSet = apps.get_model("screening", "CutScoreSet")  # noqa: N806
    CutScore = apps.get_model("screening", "CutScore")  # noqa: N806
    measures = {}
    for ref in MEASURES:
        values = {
            "name": ref.name,
            "domain": ref.domain,
            "area": ref.area,
            "purpose": ref.purpose,
            "unit": ref.unit,
            "min_score": ref.min_score,
            "max_score": ref.max_score,
            "higher_is_better": ref.higher_is_better,
            "lowest_grade": ref.lowest_grade,
            "highest_grade": ref.highest_grade,
            "instrument": ref.instrument,
            "description": ref.description,
            "slope_tolerance": ref.slope_tolerance,
            "active": True,
        }
        # The skill came with migration 0005; the earlier data migration's models lack it.
        if any(f.name == "skill" for f in Measure._meta.get_fields()):
            values["skill"] = ref.skill
        measure, _ = Measure.objects.update_or_create(district=None, code=ref.code, defaults=values)
        measures[ref.code] = measure
    for ref_set in SETS:
        measure = measures[ref_set.measure_code]
        if CutScoreSet.objects.filter(district=None, measure=measure).exists():
            continue  # shipped once; never rewritten under scores that may point at it
        cut_set = CutScoreSet.objects.create(
            district=None,
            measure=measure,
            name=ref_set.name,
            version=1,
            method="criterion",
            is_active=True,
            source=ref_set.source,
            notes=ref_set.notes,
        )
        CutScore.objects.bulk_create(
            [
                CutScore(
                    cut_score_set=cut_set,
                    grade=grade,
                    season=season,
                    benchmark=benchmark,
                    high_risk_cut=high_risk_cut,
                    **percentiles,
                )
                for grade, season, benchmark, high_risk_cut, percentiles in ref_set.rows
            ]
        )
