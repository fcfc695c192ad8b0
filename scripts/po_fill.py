"""Fill a .po catalogue from a Python dict of translations (msgid -> msgstr; a 1-tuple key for a plural; a
(context, msgid) key for a word with a context).

Used when adding strings: `manage.py makemessages -l th ...` then `python scripts/po_fill.py FILE.py`.
Thai has one plural form, so a plural entry gets one translation. Clears the fuzzy flag it fills.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "th" / "LC_MESSAGES" / "django.po"


def main(source: str) -> None:
    translations = runpy.run_path(source)["T"]
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file, locale="th")
    catalogue.plural_forms  # noqa: B018 - Babel derives nplurals=1 for Thai from the locale
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        key = (message.id[0],) if isinstance(message.id, tuple) else message.id
        if message.context:  # a word with a context is translated for that context only: (context, msgid)
            key = (message.context, key)
        if key in translations:
            message.string = (translations[key],) if isinstance(message.id, tuple) else translations[key]
            message.flags.discard("fuzzy")
        elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            missing.append(key)
    with CATALOGUE.open("wb") as file:
        write_po(file, catalogue, width=120, omit_header=False, ignore_obsolete=True)
    print(f"untranslated: {len(missing)}")
    for key in missing:
        print("  ", key)


if __name__ == "__main__":
    main(sys.argv[1])
