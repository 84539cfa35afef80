"""The Spanish catalog is complete (every marked string translated, none fuzzy) and the
committed .mo is the compiled .po (scripts/compile_messages.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_every_string_has_its_spanish():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])
    assert po.percent_translated() == 100


def test_placeholders_survive_translation():
    import re

    names = re.compile(r"%\((\w+)\)[sd]")
    for e in polib.pofile(str(PO)):
        targets = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for target in targets:
            assert set(names.findall(target)) == set(names.findall(e.msgid)), e.msgid


def test_the_committed_mo_is_up_to_date():
    spec = importlib.util.spec_from_file_location(
        "compile_messages", ROOT / "scripts" / "compile_messages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert not module.stale(PO)
