"""The staff interface is ready for translation: every page template's visible text sits in
{% translate %} / {% blocktranslate %} (issue #18, item 3).

Every template is checked, a new one from its first commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import get_template

from tests.i18n_scan import unmarked_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Not ours to translate: the vendored API browser page.
THIRD_PARTY = {"drf_spectacular/swagger_ui.html"}
# Names, not words: the product's name reads the same in every language.
ALLOWED = ("MTSS",)


def _checked_templates() -> list[str]:
    names = sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
    return [n for n in names if n not in THIRD_PARTY]


@pytest.mark.parametrize("name", _checked_templates())
def test_template_text_is_marked_for_translation(name):
    source = (TEMPLATES / name).read_text()
    found = unmarked_text(source, allowed=ALLOWED)
    assert not found, f"templates/{name}: text outside translation tags: {found}"
    get_template(name)  # and the tags parse


# The scanner itself, on small hand-written sources.
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello</p>", [(1, "Hello")]),
        ('<p>{% translate "Hello" %}</p>', []),
        ("<p>{{ name }} · {{ grade }}</p>", []),
        ("<p>Grade {{ grade }}</p>", [(1, "Grade")]),
        ("<p>{% blocktranslate %}Grade {{ g }}{% endblocktranslate %}</p>", []),
        ("<p>\n<b>x</b>\nTwo</p>", [(2, "x"), (3, "Two")]),
        ("<script>var a = 'words';</script><style>p{color:red}</style>", []),
        ("<!-- a note --><p>{# a note #}</p>", []),
        ("{% comment %}words{% endcomment %}", []),
        ('<option value="x"{% if a %} selected{% endif %}>{{ label }}</option>', []),
        ('<nav aria-label="Breadcrumb"></nav>', [(1, "aria-label='Breadcrumb'")]),
        ("<nav aria-label=\"{% translate 'Breadcrumb' %}\"></nav>", []),
        ("<p>&middot; &amp; 12 %</p>", []),
        ("<title>MTSS</title>", []),
        ('{% include "t.html" with caption="Scores" type="email" %}', [(1, "caption='Scores'")]),
        ('{% include "t.html" with caption=_("Scores") %}', []),
    ],
)
def test_scanner_finds_only_visible_text(source, expected):
    assert unmarked_text(source, allowed=ALLOWED) == expected
