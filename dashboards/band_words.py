"""The equity bands and the small-cell markers as a person reads them.

The words themselves (`equity.BAND_*`, `suppression.SUPPRESSED` / `COMPLEMENT` / `CAUTION`)
are codes: the pipeline compares them, the CSV and the API carry them, and API clients read
`band` as a code, so they stay English everywhere but on the page. Each code is its own
catalog message, so English pages read exactly as before.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# Every code shown on a page, marked for extraction (the msgid is the code itself).
WORDS = frozenset(
    {
        gettext_noop("under-represented"),
        gettext_noop("none"),
        gettext_noop("at risk"),
        gettext_noop("over-represented"),
        gettext_noop("not enough students"),
        gettext_noop("less access"),
        gettext_noop("more access"),
        gettext_noop("much more access"),
        gettext_noop("n<10"),
        gettext_noop("hidden so that a small group cannot be worked out"),
        gettext_noop("small group: read with care"),
    }
)
CAUTION_SUFFIX = " (small group: read with care)"


def shown(value: str) -> str:
    """A table cell as the page shows it: a code in the active language (a count carrying the
    small-group caution keeps its number); anything else as it is."""
    if value in WORDS:
        return gettext(value)
    if value.endswith(CAUTION_SUFFIX):
        return f"{value[: -len(CAUTION_SUFFIX)]} ({gettext('small group: read with care')})"
    return value
