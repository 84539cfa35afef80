"""The MTSS words every app shares (domain.md section 1), as Django choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    READING = "reading", _("Reading")
    MATH = "math", _("Math")
    BEHAVIOR = "behavior", _("Behavior")
    SEL = "sel", _("Social-emotional")


class Tier(models.IntegerChoices):
    TIER_1 = 1, _("Tier 1")
    TIER_2 = 2, _("Tier 2")
    TIER_3 = 3, _("Tier 3")


class RiskLevel(models.TextChoices):
    AT_OR_ABOVE = "at_or_above", _("At or above benchmark")
    SOME_RISK = "some_risk", _("Some risk")
    HIGH_RISK = "high_risk", _("High risk")


RISK_TO_TIER = {
    RiskLevel.AT_OR_ABOVE: Tier.TIER_1,
    RiskLevel.SOME_RISK: Tier.TIER_2,
    RiskLevel.HIGH_RISK: Tier.TIER_3,
}


class Skill(models.TextChoices):
    """The skill a measure screens, and the skill a Tier 1 resource or small group works on.
    The general entries (reading, math, behavior, social-emotional) are what a measure with no
    narrower skill counts as (`skill_of`)."""

    PHONEMIC_AWARENESS = "phonemic_awareness", _("Phonemic awareness")
    PHONICS = "phonics", _("Phonics")
    FLUENCY = "fluency", _("Reading fluency")
    VOCABULARY = "vocabulary", _("Vocabulary")
    COMPREHENSION = "comprehension", _("Comprehension")
    READING = "reading", _("Reading (general)")
    EARLY_NUMERACY = "early_numeracy", _("Early numeracy")
    COMPUTATION = "computation", _("Math computation")
    PROBLEM_SOLVING = "problem_solving", _("Math problem solving")
    MATH = "math", _("Math (general)")
    BEHAVIOR = "behavior", _("Behavior")
    SEL = "sel", _("Social-emotional skills")


def skill_of(skill: str, domain: str) -> str:
    """A measure's skill: its own when set, else its domain's general skill (the domains'
    values are also skills)."""
    return skill or domain
