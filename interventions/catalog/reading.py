"""The shared catalog's reading interventions."""

from __future__ import annotations

from interventions.catalog.entry import (
    AT_RISK,
    HIGH_RISK,
    NCII_TOOLS_CHARTS,
    STANDARD_EXIT,
    WWC_FIND_WHAT_WORKS,
    WWC_PRACTICE_GUIDES,
    CatalogEntry,
)

READING: tuple[CatalogEntry, ...] = (
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
)
