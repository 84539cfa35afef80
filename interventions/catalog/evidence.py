"""The evidence behind each shipped catalog entry, stated in its source's own terms.

Every shipped entry is a practice (an approach, not a named product), so none carries an ESSA
tier: ESSA tiers rate studies of a specific program. Each names the practice guide and the
recommendation that covers it, and that recommendation's level of evidence as the guide states
it. Issue 17's review: the earlier labels gave practices ESSA tiers, and some were stronger than
their source (intensive structured literacy at Tier 3: the reading RtI guide rates its Tier 3
recommendation low). A second pass checked each level against the guide's own WWC page or a
summary quoting it (docs/settings.md has the table): three math entries now cite the 2009 math
guide, whose levels could be checked, the behavior entries' levels were understated and are
corrected, and a level that could not be checked says "level not verified" in its source. A
third pass (December 2026) found the foundational-skills guide's level for recommendation 4
and states it; the 2021 math guide's levels stay unfound, so its entry states no level.
Where no practice guide covers a practice, the entry says so instead of inventing a level.
"""

from __future__ import annotations

READING_RTI = "https://ies.ed.gov/ncee/wwc/PracticeGuide/3"
FOUNDATIONAL = "https://ies.ed.gov/ncee/wwc/PracticeGuide/21"
COMPREHENSION = "https://ies.ed.gov/ncee/wwc/PracticeGuide/14"
MATH_2009 = "https://ies.ed.gov/ncee/wwc/PracticeGuide/2"
MATH_2021 = "https://ies.ed.gov/ncee/wwc/PracticeGuide/26"
BEHAVIOR = "https://ies.ed.gov/ncee/wwc/Docs/PracticeGuide/behavior_pg_092308.pdf"
NOT_RATED = "Not rated by a WWC practice guide"
NOT_VERIFIED = " (level not verified against the guide)"
LEVEL_NOT_VERIFIED = "Level not verified"

_R = (
    "WWC practice guide: Assisting Students Struggling with Reading: RtI and Multi-Tier "
    "Intervention in the Primary Grades (2009)"
)
_F = "WWC practice guide: Foundational Skills to Support Reading for Understanding in K-3 (2016)"
_M9 = "WWC practice guide: Assisting Students Struggling with Mathematics: RtI (2009)"
_M21 = "WWC practice guide: Assisting Students Struggling with Mathematics (2021)"
_B = "WWC practice guide: Reducing Behavior Problems in the Elementary School Classroom (2008)"

# name -> (source, rating in the source's terms, link)
SHIPPED_EVIDENCE: dict[str, tuple[str, str, str]] = {
    "Phonics small group": (
        f"{_R}, recommendation 3 (Tier 2: up to three foundational skills in small groups)",
        "Strong evidence",
        READING_RTI,
    ),
    "Phonemic awareness warm-ups": (f"{_F}, recommendation 2", "Strong evidence", FOUNDATIONAL),
    "Repeated reading for fluency": (f"{_F}, recommendation 4", "Moderate evidence", FOUNDATIONAL),
    "Intensive structured literacy": (
        f"{_R}, recommendation 5 (Tier 3)",
        "Low evidence",
        READING_RTI,
    ),
    "Comprehension strategies group": (
        "WWC practice guide: Improving Reading Comprehension in Kindergarten Through 3rd Grade "
        "(2010), recommendation 1",
        "Strong evidence",
        COMPREHENSION,
    ),
    "Math fact fluency practice": (f"{_M9}, recommendation 6", "Moderate evidence", MATH_2009),
    # The 2021 guide's levels were not found in any page we could check: no level is stated
    # rather than one that may be wrong (docs/settings.md).
    "Number sense small group": (
        f"{_M21}, recommendation 4 (the number line){NOT_VERIFIED}",
        LEVEL_NOT_VERIFIED,
        MATH_2021,
    ),
    "Word problem schema instruction": (f"{_M9}, recommendation 4", "Strong evidence", MATH_2009),
    "Intensive math with concrete-representational-abstract steps": (
        f"{_M9}, recommendation 5 (visual representations)",
        "Moderate evidence",
        MATH_2009,
    ),
    "Social skills group": (f"{_B}, recommendation 3", "Strong evidence", BEHAVIOR),
    "Self-monitoring with teacher match": (
        f"{_B}, recommendation 3",
        "Strong evidence",
        BEHAVIOR,
    ),
    "Function-based behavior support plan": (
        f"{_B}, recommendation 1",
        "Moderate evidence",
        BEHAVIOR,
    ),
    "Check-in/Check-out": (NOT_RATED, "Not rated", ""),
    "Emotion regulation skills group": (NOT_RATED, "Not rated", ""),
    "Adult mentoring check-ins": (NOT_RATED, "Not rated", ""),
    "Coping skills group for worry": (NOT_RATED, "Not rated", ""),
}


def shipped_evidence(name: str, fallback_url: str) -> dict[str, str]:
    """Model field values for a shipped entry's evidence: a practice, never an ESSA tier."""
    source, rating, url = SHIPPED_EVIDENCE.get(name, (NOT_RATED, "Not rated", ""))
    return {
        "evidence_kind": "practice",
        "evidence_level": "",
        "evidence_source": source,
        "evidence_rating": rating,
        "evidence_url": url or fallback_url,
    }
