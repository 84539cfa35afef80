"""Every settings change goes through its service (issue 17's quality bar), checked on the code
itself: no settings view, nor the settings API, writes a model row directly. A write there
would skip the service's validation, its audit row and, for cut scores and rules, the new
version. The behaviour (audit row, new version) is checked per write in test_every_page.py,
test_pages.py and tests/decisions/test_api_settings.py; this test catches a new page or
endpoint that forgets.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "students/settings_views.py",
    "screening/views/settings_windows.py",
    "screening/views/settings_measures.py",
    "screening/views/settings_cut_scores.py",
    "screening/views/settings_accuracy.py",
    "screening/views/settings_common.py",
    "screening/api/cut_scores.py",
    "decisions/settings_views.py",
    "decisions/api_settings.py",
    "decisions/api_previews.py",
    "interventions/settings_views.py",
    "indicators/settings_views.py",
    "smallgroups/settings_views.py",
]
# Methods that write rows: on a model instance, a manager or a queryset.
WRITES = {
    "save",
    "delete",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "update",
}


def _writes(source: str, label: str) -> list[str]:
    tree = ast.parse(source, filename=label)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            # `context.update(...)` on a dict is not a write: only calls on something that
            # reads like a model (`.objects`, a queryset method chain, or `obj.save()`).
            target = ast.unparse(node.func.value)
            dict_like = ".objects" not in target and not isinstance(node.func.value, ast.Call)
            if node.func.attr in ("update", "create") and dict_like:
                continue
            found.append(f"{label}:{node.lineno} {target}.{node.func.attr}()")
    return found


def test_the_guard_sees_every_module():
    assert all((ROOT / m).exists() for m in MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_no_settings_view_writes_a_row_itself(module):
    assert _writes((ROOT / module).read_text(), module) == []


def test_the_guard_would_catch_a_direct_write():
    sample = (
        "def view(request, window):\n"
        "    window.is_open = True\n"
        "    window.save()\n"
        "    Measure.objects.filter(pk=1).update(name='x')\n"
        "    context = {}\n"
        "    context.update({'a': 1})\n"
    )
    assert [w.split(" ", 1)[1] for w in _writes(sample, "sample")] == [
        "window.save()",
        "Measure.objects.filter(pk=1).update()",
    ]
