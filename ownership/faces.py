"""The five answers to "How did it go?": a face and a plain word each, 1 (not well) to 5
(very well), on the same scale as the plan's self-ratings. The face is decoration; the word
is what a screen reader says and what a teacher reads."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Face:
    value: int
    face: str
    label: str


FACES = [
    Face(1, "\U0001f61e", _("Not well")),
    Face(2, "\U0001f641", _("Not so well")),
    Face(3, "\U0001f610", _("Okay")),
    Face(4, "\U0001f642", _("Well")),
    Face(5, "\U0001f604", _("Very well")),
]
BY_VALUE = {f.value: f for f in FACES}


def face(value: int | None) -> Face | None:
    return BY_VALUE.get(value) if value is not None else None
