"""The words our scripts show (static/js/*.js) go through the JavaScript catalog: gettext,
ngettext and interpolate from /jsi18n/, which base.html loads before them (issue #18, item 3).

A script's string literals are read outside comments; one that is not an argument of a
gettext-family call and reads as words (it has a space between letters, or is a capitalised
word that is not a key or event name) fails the test, so a new visible string is marked from
its first commit. CSS selectors, attribute and event names, key names and the like pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

JS = Path(__file__).resolve().parent.parent / "static" / "js"

# The names a script compares with or hands to the browser, never shown.
NOT_WORDS = {"use strict", "ArrowLeft", "ArrowRight", "Enter", "Tab", "DOMContentLoaded"}
GETTEXT_CALL = re.compile(r"\b(?:n?p?gettext|gettext_noop)\s*\($")
SELECTOR = re.compile(r"[\[\]#=:>]")


def literals(source: str) -> list[tuple[int, str, bool]]:
    """(line, text, marked) of each string literal outside comments; marked when it is an
    argument of a gettext-family call (its first or, for ngettext, a later argument)."""
    out = []
    i, line = 0, 1
    call_depth: list[bool] = []  # per open parenthesis: does it open a gettext call?
    while i < len(source):
        char = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            i = len(source) if end == -1 else end
            continue
        if source.startswith("/*", i):
            end = source.index("*/", i) + 2
            line += source.count("\n", i, end)
            i = end
            continue
        if char in "\"'`":
            j = i + 1
            while source[j] != char:
                j += 2 if source[j] == "\\" else 1
            text = source[i + 1 : j]
            out.append((line, text, any(call_depth)))
            line += text.count("\n")
            i = j + 1
            continue
        if char == "(":
            call_depth.append(bool(GETTEXT_CALL.search(source[max(0, i - 20) : i + 1])))
        elif char == ")" and call_depth:
            call_depth.pop()
        line += char == "\n"
        i += 1
    return out


def reads_as_words(text: str) -> bool:
    if not re.search(r"[^\W\d_]", text) or text in NOT_WORDS:
        return False
    # Words with a space between them, or a piece of a sentence (" (scrolls)", "Group ").
    if re.search(r"[^\W\d_]\W*\s+\W*[^\W\d_]|^\s+\W*[^\W\d_]|[^\W\d_]\W*\s+$", text):
        return not SELECTOR.search(text)  # 'form[method="get" i]' is a selector
    return bool(re.fullmatch(r"[A-Z][a-z]+[.!?]?", text))


def unmarked_words(source: str) -> list[tuple[int, str]]:
    return [(n, t) for n, t, marked in literals(source) if not marked and reads_as_words(t)]


@pytest.mark.parametrize("name", sorted(p.name for p in JS.glob("*.js")))
def test_script_words_go_through_the_catalog(name):
    found = unmarked_words((JS / name).read_text())
    assert not found, f"static/js/{name}: words outside gettext(): {found}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('el.textContent = "Saved";', [(1, "Saved")]),
        ('el.textContent = n + " students";', [(1, " students")]),
        ("el.textContent = 'Every box is saved.';", [(1, "Every box is saved.")]),
        ('el.textContent = gettext("Every box is saved.");', []),
        ('ngettext("%(count)s student", "%(count)s students", n)', []),
        ('interpolate(gettext("%(a)s moved"), {a: f("Not marked")}, true)', [(1, "Not marked")]),
        ('x = f(gettext("A b"), "Not marked")', [(1, "Not marked")]),
        ('// a comment with "Words in it"\n/* and "More words" */ y = 1;', []),
        ("document.querySelectorAll('form[method=\"get\" i]');", []),
        ('if (event.key === "Enter") { on("DOMContentLoaded"); }', []),
        ('el.classList.add("alert-success"); el.setAttribute("role", "status");', []),
        ('a = "x";\nb = "Table";', [(2, "Table")]),
        (
            't = name + (wide ? " (scrolls sideways)" : " (scrolls)");',
            [(1, " (scrolls sideways)"), (1, " (scrolls)")],
        ),
    ],
)
def test_the_script_scanner_finds_words(source, expected):
    assert unmarked_words(source) == expected


def test_every_page_loads_the_catalog_before_the_scripts(client, world):
    client.force_login(world.team_member)
    html = client.get(reverse("student_list")).content.decode()
    catalog = reverse("javascript-catalog")
    assert f'<script src="{catalog}?lang=en&amp;v=' in html
    assert html.index(catalog) < html.index("js/scroll-regions")
    served = client.get(catalog)
    assert served.status_code == 200
    assert served["Content-Type"].startswith("text/javascript")
    assert "django.ngettext" in served.content.decode()
