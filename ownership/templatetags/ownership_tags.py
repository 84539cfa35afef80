from django import template

from ownership.faces import face

register = template.Library()


@register.filter
def face_of(value) -> str:
    """The face (an emoji, decoration only) of a 1-5 rating."""
    try:
        found = face(int(value))
    except (TypeError, ValueError):
        return ""
    return found.face if found else ""


@register.filter
def face_word(value) -> str:
    """The plain word of a 1-5 rating, in the active language."""
    try:
        found = face(int(value))
    except (TypeError, ValueError):
        return ""
    return str(found.label) if found else ""
