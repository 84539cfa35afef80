"""The shared catalog's behavior interventions."""

from __future__ import annotations

from interventions.catalog.entry import (
    AT_RISK,
    HIGH_RISK,
    NCII_TOOLS_CHARTS,
    WWC_FIND_WHAT_WORKS,
    CatalogEntry,
)

BEHAVIOR: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        name="Check-in/Check-out",
        domain="behavior",
        tiers=[2],
        evidence_level="promising",
        evidence_url=WWC_FIND_WHAT_WORKS,
        description="The student checks in with a mentor each morning, carries a daily point "
        "card on which teachers rate the school-wide expectations after each period, and "
        "checks out in the afternoon to review the day; the card goes home for a family "
        "signature. Daily percentage of points earned is the progress measure.",
        skills=["meeting school-wide expectations", "self-monitoring", "adult connection"],
        minutes_per_session=10,
        sessions_per_week=5,
        group_size=(1, 1),
        weeks=10,
        entry_criteria={"domain_risk_in": AT_RISK},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "Morning check-in happened with positive greeting",
            "Teachers rated the card at every period",
            "Afternoon check-out reviewed the card",
            "Card went home and came back signed",
        ],
    ),
    CatalogEntry(
        name="Social skills group",
        domain="behavior",
        tiers=[2],
        evidence_level="promising",
        evidence_url=WWC_FIND_WHAT_WORKS,
        description="A small group that teaches one social skill at a time (joining in, "
        "disagreeing politely, asking for help) through modelling, role play and feedback, "
        "with a task to practise the skill in class during the week.",
        skills=["joining in", "problem solving with peers", "asking for help"],
        minutes_per_session=30,
        sessions_per_week=1,
        group_size=(4, 6),
        weeks=10,
        entry_criteria={"domain_risk_in": AT_RISK},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "The skill's steps were taught and modelled",
            "Every student role-played the skill",
            "A practice task was set for the week",
        ],
    ),
    CatalogEntry(
        name="Self-monitoring with teacher match",
        domain="behavior",
        tiers=[2],
        evidence_level="promising",
        evidence_url=NCII_TOOLS_CHARTS,
        description="The student rates their own on-task behavior at set intervals on a short "
        "form and compares it with the teacher's rating, earning a bonus for matching.",
        skills=["self-monitoring", "academic engagement"],
        minutes_per_session=5,
        sessions_per_week=5,
        group_size=(1, 1),
        weeks=8,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [2, 12]},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "Student rated at each interval",
            "Teacher rated independently",
            "Ratings were compared with the student that day",
        ],
    ),
    CatalogEntry(
        name="Function-based behavior support plan",
        domain="behavior",
        tiers=[3],
        evidence_level="moderate",
        evidence_url=NCII_TOOLS_CHARTS,
        description="An individual plan built from a functional behavior assessment: prevent "
        "the triggers, teach a replacement behavior that meets the same need, and change how "
        "adults respond, reviewed with daily behavior ratings.",
        skills=["replacement behavior", "coping", "communication"],
        minutes_per_session=20,
        sessions_per_week=5,
        group_size=(1, 1),
        weeks=12,
        entry_criteria={"domain_risk_in": HIGH_RISK},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "Prevention strategies were in place",
            "Replacement behavior was prompted and reinforced",
            "Adults responded to problem behavior as the plan says",
            "Daily rating was recorded",
        ],
    ),
)
