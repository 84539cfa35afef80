"""The shared catalog's math interventions."""

from __future__ import annotations

from interventions.catalog.entry import (
    AT_RISK,
    HIGH_RISK,
    NCII_TOOLS_CHARTS,
    STANDARD_EXIT,
    WWC_PRACTICE_GUIDES,
    CatalogEntry,
)

MATH: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        name="Math fact fluency practice",
        domain="math",
        tiers=[2],
        evidence_level="moderate",
        evidence_url=WWC_PRACTICE_GUIDES,
        description="Brief daily practice of basic facts using strategies first and timed "
        "practice later, with immediate feedback and a graph of each student's own best score.",
        skills=["addition facts", "subtraction facts", "multiplication facts", "fluency"],
        minutes_per_session=15,
        sessions_per_week=5,
        group_size=(3, 6),
        weeks=10,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [1, 6]},
        exit_criteria=STANDARD_EXIT,
        fidelity_checklist=[
            "Fact strategy reviewed before timed practice",
            "Timed practice lasted no more than a few minutes",
            "Each student got feedback on errors",
            "Students recorded their score",
        ],
    ),
    CatalogEntry(
        name="Number sense small group",
        domain="math",
        tiers=[2, 3],
        evidence_level="strong",
        evidence_url=WWC_PRACTICE_GUIDES,
        description="Explicit small-group lessons on counting, comparing quantities, the "
        "number line and place value, using objects and drawings before numbers alone.",
        skills=["counting", "magnitude comparison", "number line", "place value"],
        minutes_per_session=30,
        sessions_per_week=4,
        group_size=(2, 5),
        weeks=12,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [0, 2]},
        exit_criteria=STANDARD_EXIT,
        fidelity_checklist=[
            "Concrete objects or drawings were used",
            "The teacher modelled, then guided, then let students try alone",
            "Every student explained their thinking aloud",
        ],
    ),
    CatalogEntry(
        name="Word problem schema instruction",
        domain="math",
        tiers=[2, 3],
        evidence_level="strong",
        evidence_url=WWC_PRACTICE_GUIDES,
        description="Students learn to recognise the underlying type of a word problem "
        "(combining, comparing, changing) and to represent it with a diagram before solving.",
        skills=["problem types", "diagrams", "equations", "checking answers"],
        minutes_per_session=30,
        sessions_per_week=3,
        group_size=(2, 5),
        weeks=12,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [2, 8]},
        exit_criteria=STANDARD_EXIT,
        fidelity_checklist=[
            "Problem type was named and its diagram drawn",
            "Students sorted problems by type",
            "Students checked the answer against the story",
        ],
    ),
    CatalogEntry(
        name="Intensive math with concrete-representational-abstract steps",
        domain="math",
        tiers=[3],
        evidence_level="promising",
        evidence_url=NCII_TOOLS_CHARTS,
        description="Individual or pairs instruction that moves each concept from objects to "
        "pictures to symbols, with many short practice rounds and lessons changed from the "
        "student's progress data.",
        skills=["place value", "operations", "fractions"],
        minutes_per_session=40,
        sessions_per_week=5,
        group_size=(1, 3),
        weeks=16,
        entry_criteria={"domain_risk_in": HIGH_RISK, "grades": [1, 8]},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "Lesson moved from objects to pictures to symbols",
            "Practice rounds with feedback",
            "Lesson adjusted from the latest progress data",
        ],
    ),
)
