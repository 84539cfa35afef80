"""Numbers, percentages, dates and lists inside the sentences the services build, written the
way the active language writes them.

Each helper first writes the number exactly as the English sentences always have (so English
output is unchanged: "72.5", "+0.80", "8.3%", "2 Sep"), then hands it to Django's locale
formats: a Spanish page gets "72,5" and "8,3 %". The separators come from
django.utils.formats (the active language's format module); the patterns that differ between
languages (where the percent sign goes, how a list ends, the day-and-month order) are
messages of the catalog, so a translator can change them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import ordinal as _humanize_ordinal
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def localized(text: str) -> str:
    """A number already written with a "." decimal point, in the active locale's separators."""
    if not settings.USE_THOUSAND_SEPARATOR:
        # What number_format does without grouping, at a tenth of its cost: a page of flags
        # writes a few hundred numbers (get_format caches the separator per language).
        return text.replace(".", formats.get_format("DECIMAL_SEPARATOR")) if "." in text else text
    sign = ""
    if text.startswith("+"):
        # Decimal drops a leading "+", and trends always show their sign.
        sign, text = "+", text[1:]
    return sign + formats.number_format(Decimal(text))


def fixed(value: float, places: int, *, signed: bool = False) -> str:
    """`value` with exactly `places` decimals (a slope: 0.80, +1.25)."""
    return localized(f"{value:+.{places}f}" if signed else f"{value:.{places}f}")


def trimmed(value: float, places: int = 2) -> str:
    """At most `places` decimals, trailing zeros dropped (38, 72.5, 1.75)."""
    value = float(value)
    if value.is_integer():
        return localized(str(int(value)))
    return localized(f"{value:.{places}f}".rstrip("0").rstrip("."))


def percent(number: str) -> str:
    """A percentage from its localized number ("8.3" -> "8.3%"; Spanish puts a space)."""
    # Translators: a percentage; Spanish writes "%(number)s %%" (a space before the sign).
    return pgettext("percentage", "%(number)s%%") % {"number": number}


def ordinal(n: int) -> str:
    """25th, 1st (Django's humanize, translated with Django's own catalog)."""
    return str(_humanize_ordinal(n))


def and_list(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the active language."""
    if len(items) == 1:
        return items[0]
    # Translators: the end of a list, "Math, Reading and Behavior".
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def or_list(items: list[str]) -> str:
    """ "a", "a or b", "a, b or c" in the active language."""
    if len(items) == 1:
        return items[0]
    # Translators: the end of a list of choices, "some risk or high risk".
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def short_day(day: dt.date, *, with_year: bool) -> str:
    """'2 Sep' or '2 Sep 2026' (Django date format letters; month names are translated)."""
    if with_year:
        return formats.date_format(day, pgettext("day, short month and year", "j M Y"))
    return formats.date_format(day, pgettext("day and short month", "j M"))
