"""The shared intervention catalog (district NULL) that `seed_demo` and
`manage.py load_intervention_catalog` load.

Entries describe common, generic intervention approaches in our own words (no commercial
programme is named or described). Evidence levels follow the ESSA tiers as the research
summaries behind each approach support them; a district should check them against its own
review before relying on them. Links point to the general review pages of the What Works
Clearinghouse (practice guides, intervention reports) and the National Center on Intensive
Intervention (tools charts), where a team can look up specific programmes of each kind.

Dosage follows the IES practice guides' typical ranges (domain.md section 4): Tier 2 groups of
3-5 students, 20-45 minutes most days, at least 10-12 weeks; Tier 3 groups of 1-3, 40-60
minutes daily.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from interventions.criteria import (
    validate_checklist,
    validate_entry_criteria,
    validate_exit_criteria,
)

WWC_PRACTICE_GUIDES = "https://ies.ed.gov/ncee/wwc/PracticeGuides"
WWC_FIND_WHAT_WORKS = "https://ies.ed.gov/ncee/wwc/FWW"
NCII_TOOLS_CHARTS = "https://intensiveintervention.org/tools-charts/overview"

AT_RISK = ["some_risk", "high_risk"]
HIGH_RISK = ["high_risk"]
STANDARD_EXIT = {"goal_met_points": 3, "or_benchmark_at_next_screening": True}


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    domain: str
    tiers: list[int]
    evidence_level: str
    evidence_url: str
    description: str
    skills: list[str]
    minutes_per_session: int
    sessions_per_week: int
    group_size: tuple[int, int]
    weeks: int
    entry_criteria: dict[str, Any]
    exit_criteria: dict[str, Any]
    fidelity_checklist: list[str] = field(default_factory=list)


CATALOG: tuple[CatalogEntry, ...] = (
    # -- reading ----------------------------------------------------------------------------
    CatalogEntry(
        name="Phonics small group",
        domain="reading",
        tiers=[2, 3],
        evidence_level="strong",
        evidence_url=WWC_PRACTICE_GUIDES,
        description="Daily, explicit and systematic teaching of letter-sound patterns, "
        "blending and spelling in a small group, with plenty of practice reading decodable "
        "words and sentences and immediate corrective feedback.",
        skills=["letter-sound correspondence", "blending", "decoding", "encoding"],
        minutes_per_session=30,
        sessions_per_week=5,
        group_size=(3, 5),
        weeks=12,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [0, 3]},
        exit_criteria=STANDARD_EXIT,
        fidelity_checklist=[
            "Reviewed previously taught sound-spellings",
            "Modelled the new pattern before students tried it",
            "Every student read words aloud individually",
            "Errors were corrected right away with the sound, then the word",
            "Students read connected text with the new pattern",
        ],
    ),
    CatalogEntry(
        name="Phonemic awareness warm-ups",
        domain="reading",
        tiers=[2],
        evidence_level="moderate",
        evidence_url=WWC_PRACTICE_GUIDES,
        description="Short oral games in which students hear, segment and blend the sounds in "
        "spoken words, moving to linking sounds with letters as they improve.",
        skills=["phoneme segmentation", "phoneme blending", "rhyming"],
        minutes_per_session=15,
        sessions_per_week=5,
        group_size=(3, 6),
        weeks=10,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [0, 1]},
        exit_criteria=STANDARD_EXIT,
        fidelity_checklist=[
            "Activities were oral (no print) until sounds were secure",
            "Each student responded individually at least three times",
            "The teacher modelled with hand or chip cues",
        ],
    ),
    CatalogEntry(
        name="Repeated reading for fluency",
        domain="reading",
        tiers=[2],
        evidence_level="moderate",
        evidence_url=WWC_FIND_WHAT_WORKS,
        description="The student reads a short passage at their instructional level several "
        "times with a trained partner or adult, gets feedback on errors and phrasing, and "
        "charts words correct per minute to see the gain.",
        skills=["reading fluency", "accuracy", "prosody"],
        minutes_per_session=20,
        sessions_per_week=4,
        group_size=(2, 4),
        weeks=10,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [2, 6]},
        exit_criteria=STANDARD_EXIT,
        fidelity_checklist=[
            "Passage was at the student's instructional level",
            "Student read the passage at least three times",
            "Errors were corrected after each reading",
            "Student charted the words correct per minute",
        ],
    ),
    CatalogEntry(
        name="Intensive structured literacy",
        domain="reading",
        tiers=[3],
        evidence_level="moderate",
        evidence_url=NCII_TOOLS_CHARTS,
        description="Individual or pairs instruction that teaches the structure of written "
        "English step by step (sounds, syllables, morphemes), with multisensory practice, "
        "cumulative review and lessons adjusted to the student's progress data.",
        skills=["decoding", "spelling", "syllable types", "morphology", "fluency"],
        minutes_per_session=45,
        sessions_per_week=5,
        group_size=(1, 2),
        weeks=20,
        entry_criteria={"domain_risk_in": HIGH_RISK, "grades": [1, 8]},
        exit_criteria={"goal_met_points": 3},
        fidelity_checklist=[
            "Lesson followed the planned scope and sequence",
            "Cumulative review of earlier skills",
            "Multisensory practice for new concepts",
            "Student read connected text",
            "Lesson plan adjusted from the latest progress data",
        ],
    ),
    CatalogEntry(
        name="Comprehension strategies group",
        domain="reading",
        tiers=[2],
        evidence_level="moderate",
        evidence_url=WWC_PRACTICE_GUIDES,
        description="Small-group lessons that teach students to summarise, ask questions and "
        "check their understanding while reading, with teacher modelling that fades into "
        "student-led discussion of texts.",
        skills=["summarising", "questioning", "vocabulary in context", "monitoring"],
        minutes_per_session=30,
        sessions_per_week=3,
        group_size=(3, 5),
        weeks=12,
        entry_criteria={"domain_risk_in": AT_RISK, "grades": [3, 8]},
        exit_criteria=STANDARD_EXIT,
        fidelity_checklist=[
            "Strategy was named and modelled with a think-aloud",
            "Students practised the strategy on a new text",
            "Students discussed the text with each other",
        ],
    ),
    # -- math -------------------------------------------------------------------------------
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
    # -- behavior ---------------------------------------------------------------------------
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
    # -- social-emotional -------------------------------------------------------------------
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


def entry_fields(entry: CatalogEntry) -> dict[str, Any]:
    """Model field values of one entry, with its criteria checked."""
    low, high = entry.group_size
    return {
        "domain": entry.domain,
        "tiers": sorted(entry.tiers),
        "evidence_level": entry.evidence_level,
        "evidence_url": entry.evidence_url,
        "description": entry.description,
        "skills": list(entry.skills),
        "minutes_per_session": entry.minutes_per_session,
        "sessions_per_week": entry.sessions_per_week,
        "group_size_min": low,
        "group_size_max": high,
        "weeks": entry.weeks,
        "entry_criteria": validate_entry_criteria(entry.entry_criteria),
        "exit_criteria": validate_exit_criteria(entry.exit_criteria),
        "fidelity_checklist": validate_checklist(entry.fidelity_checklist),
        "active": True,
    }


@transaction.atomic
def load_catalog() -> dict[str, int]:
    """Create or update the shared catalog (district NULL); returns name -> id. Idempotent."""
    from interventions.models import Intervention

    ids = {}
    for entry in CATALOG:
        obj, _ = Intervention.objects.update_or_create(
            district=None, name=entry.name, defaults=entry_fields(entry)
        )
        ids[entry.name] = obj.pk
    return ids
