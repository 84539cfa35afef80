"""Demo step: a short, invented list of Tier 1 resources for the demo district, so the demo's
small groups have something to link (every title and description here is made up)."""

from __future__ import annotations

from typing import Any

from smallgroups.models import SkillResource

RESOURCES = (
    # (title, skill, kind, url, description, lowest grade, highest grade)
    (
        "Echo and choral reading",
        "fluency",
        "offline",
        "",
        "The teacher reads a sentence, the group reads it back together; short passages at the "
        "group's level.",
        1,
        4,
    ),
    ("Phrase-cued passages", "fluency", "online", "https://example.org/phrase-cued", "", 2, 6),
    (
        "Sound-card warm-up",
        "phonics",
        "offline",
        "",
        "Five minutes of letter-sound cards before each lesson.",
        0,
        2,
    ),
    (
        "Fact-fluency ladders",
        "computation",
        "offline",
        "",
        "Timed ladders of facts in one operation; students chart their own best.",
        1,
        5,
    ),
    ("Number-line practice", "computation", "online", "https://example.org/number-line", "", 0, 3),
    (
        "Check-in, check-out card",
        "behavior",
        "offline",
        "",
        "A daily card with three class expectations, rated with the student at each block.",
        0,
        8,
    ),
    (
        "Feelings check-in circle",
        "sel",
        "offline",
        "",
        "A five-minute morning circle naming a feeling and one strategy for the day.",
        0,
        8,
    ),
)


def seed(ctx: Any) -> None:
    SkillResource.objects.bulk_create(
        SkillResource(
            district=ctx.district,
            title=title,
            skill=skill,
            kind=kind,
            url=url,
            description=description,
            lowest_grade=low,
            highest_grade=high,
        )
        for title, skill, kind, url, description, low, high in RESOURCES
    )
