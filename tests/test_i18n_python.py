"""The staff interface is ready for translation in its Python code too (issue #18, item 3):
messages, validation errors, form and model labels, admin descriptions, the API's refusals
and the words apps register for the pages are marked for gettext.

tests/i18n_python_scan.py reads each module with `ast` and reports a plain string literal
where one of those is built; a module that adds one fails here, so a new unmarked string
fails CI. What is deliberately left plain is listed in ALLOWED below with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.i18n_python_scan import unmarked_in_source

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "mtss",
    "students",
    "indicators",
    "screening",
    "interventions",
    "decisions",
    "smallgroups",
    "meetings",
    "families",
    "ownership",
    "dashboards",
)
# Not scanned: migrations are history (their strings are what the schema was), and
# management commands talk to the operator at a terminal, in English, like the logs.
SKIPPED_FOLDERS = ("migrations", "management")

# (module, the literal as written): left plain on purpose.
ALLOWED: dict[str, set[str]] = {
    # The progress rules' recommendation and rule names are read into the plan analysis's
    # JSON and the recommendation sentences; they are marked with the service-built sentences
    # (recommendations, flag reasons, chart text), not with the staff pages' labels.
    "interventions/analysis/facts.py": {
        "'Not enough data yet'",
        "'Continue the plan'",
        "'Raise the goal'",
        "'Change the intervention'",
        "'Deliver the plan as written first'",
        "'Goal met: exit or fade'",
        "'No rule applied'",
        "'Goal met'",
        "'At benchmark at screening'",
        "'Trend-line rule'",
        "'Data-point rule'",
    },
}


def _modules() -> list[str]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if not any(folder in parts for folder in SKIPPED_FOLDERS):
                found.append("/".join(parts))
    return found


@pytest.mark.parametrize("module", _modules())
def test_shown_strings_are_marked_for_translation(module):
    found = unmarked_in_source((ROOT / module).read_text())
    left = [(line, text) for line, text in found if text not in ALLOWED.get(module, set())]
    assert not left, (
        f"{module}: strings people read that are not marked for translation (wrap them in "
        f"gettext_lazy at import time, gettext inside a function): {left}"
    )


def test_the_allowed_list_names_real_modules():
    for module in ALLOWED:
        assert (ROOT / module).exists(), module


# The scanner itself, on small hand-written modules.
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('messages.success(request, "Saved.")', [(1, "'Saved.'")]),
        ('messages.success(request, _("Saved."))', []),
        ('messages.error(request, f"{n} saved.")', [(1, "f'{n} saved.'")]),
        ('messages.info(request, _("%(n)s saved.") % {"n": n})', []),
        ('messages.info(request, "Saved: " + names)', [(1, "'Saved: '")]),
        ("messages.info(request, text)", []),  # a variable: trusted
        ('raise ValidationError({"name": ["Say a name."]})', [(1, "'Say a name.'")]),
        ('form.add_error(None, "Add the year first.")', [(1, "'Add the year first.'")]),
        ('raise ValidationError({"name": [gettext("Say a name.")]})', []),
        ('raise serializers.ValidationError("No.")', [(1, "'No.'")]),
        ("raise PermissionDenied(NOT_YOURS)", []),
        ('raise ApplicationError("Closed.")', [(1, "'Closed.'")]),
        ('forms.CharField(label="Name", help_text=_("Your name."))', [(1, "'Name'")]),
        ('serializers.CharField(help_text="For the API reference.")', []),
        ('models.CharField("student ID", max_length=9)', [(1, "'student ID'")]),
        ('models.ForeignKey("students.School", on_delete=CASCADE)', []),
        ('@admin.display(description="Seconds")\ndef f(o): ...', [(1, "'Seconds'")]),
        ('f.short_description = "Seconds"', [(1, "'Seconds'")]),
        ("class Meta:\n    verbose_name = 'plan'", [(2, "'plan'")]),
        ("class Meta:\n    labels = {'url': 'Link'}", [(2, "'Link'")]),
        ('class K(models.TextChoices):\n    A = "a", "Apple"', [(2, "'Apple'")]),
        ('class K(models.TextChoices):\n    A = "a", _("Apple")', []),
        ('forms.ChoiceField(choices=[("", "Any"), ("a", _("A"))])', [(1, "'Any'")]),
        ('self.fields["m"].choices = [("", "One measure"), *columns]', [(1, "'One measure'")]),
        ('slots.SettingsPage(key="k", title="Cut scores", url_name="x")', [(1, "'Cut scores'")]),
        ('messages.success(request, "—")', []),
        # The dashboards: headings, captions, notes, reasons, step and group labels.
        ('Column("n", "Students")', [(1, "'Students'")]),
        ('Column("n", gettext_noop("Students"), True)', []),
        ('Table(key="k", caption=f"Growth from {a}")', [(1, "f'Growth from {a}'")]),
        ('table.note = "Medians do not add up."', [(1, "'Medians do not add up.'")]),
        ('panel.empty["tiers"] = "No window yet."', [(1, "'No window yet.'")]),
        ('panel.empty["tiers"] = gettext(NO_WINDOW)', []),
        (
            'Step("at_risk", gettext_noop("At risk"), "Screened", _("Risk"), "c", "o", "s")',
            [(1, "'Screened'")],
        ),
        (
            'GroupSpec("sex", "sex:F", "Female", "sex", "F")',
            [(1, "'Female'")],
        ),  # no letter: nothing to translate
    ],
)
def test_scanner_finds_plain_shown_strings(source, expected):
    ast.parse(source)  # the examples are valid Python
    assert unmarked_in_source(source) == expected
