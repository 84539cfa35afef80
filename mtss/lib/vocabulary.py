"""The MTSS words every app shares (domain.md section 1), as Django choices."""

from django.db import models


class Domain(models.TextChoices):
    READING = "reading", "Reading"
    MATH = "math", "Math"
    BEHAVIOR = "behavior", "Behavior"
    SEL = "sel", "Social-emotional"


class Tier(models.IntegerChoices):
    TIER_1 = 1, "Tier 1"
    TIER_2 = 2, "Tier 2"
    TIER_3 = 3, "Tier 3"


class RiskLevel(models.TextChoices):
    AT_OR_ABOVE = "at_or_above", "At or above benchmark"
    SOME_RISK = "some_risk", "Some risk"
    HIGH_RISK = "high_risk", "High risk"


RISK_TO_TIER = {
    RiskLevel.AT_OR_ABOVE: Tier.TIER_1,
    RiskLevel.SOME_RISK: Tier.TIER_2,
    RiskLevel.HIGH_RISK: Tier.TIER_3,
}


class Skill(models.TextChoices):
    """The skill a measure screens, and the skill a Tier 1 resource or small group works on.
    The general entries (reading, math, behavior, social-emotional) are what a measure with no
    narrower skill counts as (`skill_of`)."""

    PHONEMIC_AWARENESS = "phonemic_awareness", "Phonemic awareness"
    PHONICS = "phonics", "Phonics"
    FLUENCY = "fluency", "Reading fluency"
    VOCABULARY = "vocabulary", "Vocabulary"
    COMPREHENSION = "comprehension", "Comprehension"
    READING = "reading", "Reading (general)"
    EARLY_NUMERACY = "early_numeracy", "Early numeracy"
    COMPUTATION = "computation", "Math computation"
    PROBLEM_SOLVING = "problem_solving", "Math problem solving"
    MATH = "math", "Math (general)"
    BEHAVIOR = "behavior", "Behavior"
    SEL = "sel", "Social-emotional skills"


def skill_of(skill: str, domain: str) -> str:
    """A measure's skill: its own when set, else its domain's general skill (the domains'
    values are also skills)."""
    return skill or domain
