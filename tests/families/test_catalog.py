"""The Spanish catalog is complete for everything families read (every string marked in the
family sources translated, none fuzzy), staff strings fall back to English, and the
committed .mo is the compiled .po (scripts/compile_messages.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


# Where the letters, reports and family contacts take their words from. The rest of the staff
# interface is marked for translation too, but only English ships for it (empty msgstr).
FAMILY_SOURCES = (
    "families/",
    "templates/families/",
    "students/family_views.py",
    "students/models_family.py",
    "templates/students/family_contacts.html",
)


def _from_family_sources(entry) -> bool:
    return any(path.startswith(FAMILY_SOURCES) for path, _ in entry.occurrences)


def test_every_family_string_has_its_spanish():
    po = polib.pofile(str(PO))
    family = [e for e in po if _from_family_sources(e)]
    assert len(family) > 150  # the letters' sentences are really in the catalog
    untranslated = [e.msgid for e in family if not e.translated()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])


def test_a_staff_string_without_spanish_shows_in_english():
    po = polib.pofile(str(PO))
    staff = po.find("Start the meeting")  # a button in templates/meetings/meeting_detail.html
    assert staff is not None and staff.msgstr == "" and not _from_family_sources(staff)
    family = po.find("Support starts")
    with translation.override("es"):
        assert translation.gettext("Start the meeting") == "Start the meeting"
        assert translation.gettext("Support starts") == family.msgstr != "Support starts"


def test_placeholders_survive_translation():
    import re

    names = re.compile(r"%\((\w+)\)[sd]")
    for e in polib.pofile(str(PO)):
        targets = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for target in filter(None, targets):  # an empty msgstr shows the English
            assert set(names.findall(target)) == set(names.findall(e.msgid)), e.msgid


def test_the_committed_mo_is_up_to_date():
    spec = importlib.util.spec_from_file_location(
        "compile_messages", ROOT / "scripts" / "compile_messages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert not module.stale(PO)
