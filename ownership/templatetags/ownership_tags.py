from django import template
from django.utils.safestring import mark_safe

from ownership.faces import face, face_svg

register = template.Library()


@register.filter
def face_of(value) -> str:
    """The face of a 1-5 rating, an inline SVG hidden from screen readers (our own markup)."""
    try:
        return mark_safe(face_svg(int(value)))
    except (TypeError, ValueError):
        return ""


@register.filter
def face_word(value) -> str:
    """The plain word of a 1-5 rating, in the active language."""
    try:
        found = face(int(value))
    except (TypeError, ValueError):
        return ""
    return str(found.label) if found else ""
