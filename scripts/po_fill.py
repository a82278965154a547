"""Fill Chinese translations into a gettext catalog and compile it.

Usage: python scripts/po_fill.py TRANSLATIONS.json [CATALOG.po]

TRANSLATIONS.json maps an English msgid to its Chinese text; for a plural msgid give the
Chinese text once (Chinese has one plural form). Run `make messages` first so the catalog
holds every msgid of the code; this script then writes the msgstrs and the compiled .mo.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main():
    translations = json.loads(Path(sys.argv[1]).read_text())
    catalog = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
    po = polib.pofile(str(catalog))
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    filled = 0
    for entry in po:
        text = translations.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save(str(catalog))
    po.save_as_mofile(str(catalog.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
    print(f"{catalog}: {filled} filled, {len(missing)} still untranslated")
    for msgid in missing:
        print("  untranslated:", msgid)


if __name__ == "__main__":
    main()
