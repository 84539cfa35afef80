"""Compile the message catalogs (locale/*/LC_MESSAGES/*.po -> .mo) with polib, pure Python:
django.po (templates and Python) and djangojs.po (static/js, served by /jsi18n/).

Django's `compilemessages` needs GNU gettext's msgfmt, which a fresh machine may not have;
this does the same with the pinned polib, so `make messages` works anywhere. The .mo files
are committed too, so running the app never needs this step.

    python scripts/compile_messages.py          # write the .mo files
    python scripts/compile_messages.py --check  # exit 1 if a .mo is missing or stale
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def catalog(entries) -> dict[tuple[str, str], object]:
    out = {}
    for e in entries:
        # An untranslated entry is not written to the .mo (gettext then shows the English
        # msgid): staff-interface strings are marked but only English ships for them.
        translated = all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr
        if e.obsolete or "fuzzy" in e.flags or not e.msgid or not translated:
            continue
        value = dict(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
        out[(e.msgctxt or "", e.msgid)] = value
    return out


def stale(po_path: Path) -> bool:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return True
    return catalog(polib.pofile(str(po_path))) != catalog(polib.mofile(str(mo_path)))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    bad = 0
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        if check:
            if stale(po_path):
                print(f"{po_path.with_suffix('.mo')} is missing or older than its .po")
                bad += 1
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(LOCALE.parent)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
