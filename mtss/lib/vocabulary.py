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
