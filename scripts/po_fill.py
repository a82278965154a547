"""Fill the Chinese translations into the gettext catalog and compile it.

Usage: python scripts/po_fill.py

Translations live in JSON fragments, one per area: locale/zh_Hans/fragments/*.json, each mapping
an English msgid to its Chinese text (for a plural msgid, the Chinese text once: Chinese has one
plural form). `make messages` runs makemessages (so the catalog holds every msgid of the code)
and then this script, which applies every fragment and writes the .po and the compiled .mo.
Running it again gives the same files, so areas can add their fragments independently.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale/zh_Hans"


def main():
    translations = {}
    for fragment in sorted((LOCALE / "fragments").glob("*.json")):
        translations.update(json.loads(fragment.read_text()))
    catalog = LOCALE / "LC_MESSAGES/django.po"
    po = polib.pofile(str(catalog))
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
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
    po.save(str(catalog))
    po.save_as_mofile(str(catalog.with_suffix(".mo")))
    # A fuzzy entry is makemessages' guess from a similar msgid: not compiled, so not translated.
    missing = [e.msgid for e in po if not e.obsolete and ("fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values())))]
    print(f"{catalog.relative_to(ROOT)}: {len(po) - len(missing)} translated, {len(missing)} untranslated")
    for msgid in missing:
        print("  untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
