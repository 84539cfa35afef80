"""The body of a dashboard table, built in Python: a district's tables have hundreds of rows
and thousands of cells, which Django's template loop renders ten times slower."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from dashboards import band_words
from dashboards.analysis.table import Table
from dashboards.suppression import SUPPRESSED

register = template.Library()


def _hidden() -> str:
    # The marker stays "n<10" in the CSV and the API; the page says it in the reader's language.
    title = gettext("Fewer than 10 students, or hidden so that a small group cannot be worked out")
    return (
        f'<span class="dash-suppressed" title="{escape(title)}">'
        f"{escape(gettext(SUPPRESSED))}</span>"
    )


@register.simple_tag
def table_body(table: Table) -> SafeString:
    links = table.has_links
    link_text = (
        gettext("Profile") if table.key == "top_students" else gettext("List missing students")
    )
    hidden = _hidden()
    out = []
    for line in table.lines():
        cells = []
        for i, (value, numeric) in enumerate(line["cells"]):
            text = hidden if value == SUPPRESSED else escape(band_words.shown(value))
            if i == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td class="text-end">{text}</td>' if numeric else f"<td>{text}</td>")
        if links:
            link = line["link"]
            if link:
                label = escape(" ".join(v for v, _ in line["cells"][:2]))
                cells.append(
                    f'<td><a href="{escape(link)}">{link_text}'
                    f'<span class="visually-hidden">: {label}</span></a></td>'
                )
            else:
                cells.append("<td></td>")
        mark = ' class="dash-mark"' if line["mark"] else ""
        out.append(f"<tr{mark}>{''.join(cells)}</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 -- every value above is escaped
