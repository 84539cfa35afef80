"""The five answers to "How did it go?": a face and a plain word each, 1 (not well) to 5
(very well), on the same scale as the plan's self-ratings. The face is decoration; the word
is what a screen reader says and what a teacher reads.

The faces are drawn as small inline SVGs (a mouth from a frown to a grin), not emoji: emoji
depend on the device's fonts, and a school's locked-down laptop may show empty boxes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Face:
    value: int
    mouth: float  # the y of the mouth's curve middle: above the corners frowns, below smiles
    label: str


MOUTH_CORNERS_Y = 16.5
FACES = [
    Face(1, 11.5, _("Not well")),
    Face(2, 14.5, _("Not so well")),
    Face(3, 16.5, _("Okay")),
    Face(4, 19.0, _("Well")),
    Face(5, 22.5, _("Very well")),
]
BY_VALUE = {f.value: f for f in FACES}


def face(value: int | None) -> Face | None:
    return BY_VALUE.get(value) if value is not None else None


def face_svg(value: int | None) -> str:
    """The face of a rating as an inline SVG, hidden from screen readers (the word says it)."""
    found = face(value)
    if found is None:
        return ""
    y = MOUTH_CORNERS_Y
    return (
        '<svg class="face-svg" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" '
        'focusable="false">'
        '<circle cx="12" cy="12" r="10.5" fill="#ffe08a" stroke="#5c4400" stroke-width="1.2"/>'
        '<circle cx="8.5" cy="9.5" r="1.4" fill="#3d2e00"/>'
        '<circle cx="15.5" cy="9.5" r="1.4" fill="#3d2e00"/>'
        f'<path d="M7 {y} Q12 {found.mouth} 17 {y}" fill="none" stroke="#3d2e00" '
        'stroke-width="1.6" stroke-linecap="round"/></svg>'
    )
