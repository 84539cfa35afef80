"""The shared catalog's social-emotional interventions."""

from __future__ import annotations

from interventions.catalog.entry import (
    AT_RISK,
    NCII_TOOLS_CHARTS,
    WWC_FIND_WHAT_WORKS,
    CatalogEntry,
)

SEL: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        name="Emotion regulation skills group",
        domain="sel",
        tiers=[2],
        evidence_level="promising",
        evidence_url=WWC_FIND_WHAT_WORKS,
        description="A small group that teaches students to notice feelings early, name them "
        "and use a calming strategy, practised in short scenarios and reviewed each week.",
        skills=["naming feelings", "calming strategies", "asking for help"],
        minutes_per_session=30,
        sessions_per_week=1,
        group_size=(3, 6),
        weeks=8,
        entry_criteria={"domain_risk_in": AT_RISK},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "Feelings check-in opened the session",
            "A strategy was taught and practised",
            "Students planned when to use it this week",
        ],
    ),
    CatalogEntry(
        name="Adult mentoring check-ins",
        domain="sel",
        tiers=[2, 3],
        evidence_level="moderate",
        evidence_url=WWC_FIND_WHAT_WORKS,
        description="A caring adult meets the student regularly, follows attendance, grades "
        "and wellbeing, solves problems with them and keeps in touch with the family.",
        skills=["school connectedness", "problem solving", "attendance"],
        minutes_per_session=15,
        sessions_per_week=2,
        group_size=(1, 1),
        weeks=16,
        entry_criteria={"domain_risk_in": AT_RISK},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "Meeting happened as scheduled",
            "Attendance and grades were reviewed",
            "One next step was agreed",
            "Family was contacted this month",
        ],
    ),
    CatalogEntry(
        name="Coping skills group for worry",
        domain="sel",
        tiers=[2, 3],
        evidence_level="promising",
        evidence_url=NCII_TOOLS_CHARTS,
        description="A counsellor-led group using cognitive-behavioral steps: recognising "
        "worried thoughts, testing them, relaxing the body and facing small fears step by step.",
        skills=["recognising worry", "relaxation", "helpful thinking", "gradual exposure"],
        minutes_per_session=40,
        sessions_per_week=1,
        group_size=(3, 6),
        weeks=10,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [3, 12]},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "The session followed the planned step",
            "Students practised a relaxation exercise",
            "A home practice task was set",
        ],
    ),
)
