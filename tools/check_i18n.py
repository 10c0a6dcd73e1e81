#!/usr/bin/env python3
"""Are the addon's catalogues up to date with its code?

    python3 tools/check_i18n.py EXPORTED.pot [I18N_DIR]

EXPORTED.pot is what Odoo exports from a database where the addon is
installed (odoo-bin --i18n-export=EXPORTED.pot --modules=activcrea_odoo): every
string a user can read.  Odoo loads a .po entry only when its msgid is also in
the addon's .pot, so each exported msgid must be in ``activcrea_odoo.pot`` and
translated in every ``*.po`` (a .po entry missing from the .pot is dead: the
static checks report it, no database needed).
Odoo also applies a data or view term only to the records its references
(``#: model:`` / ``#: model_terms:`` lines) name, and takes those references
from the .pot: each exported reference must be in the .pot.
Prints what is missing and exits 1 when anything is.
"""

import sys
from pathlib import Path

import polib

DEFAULT_I18N = Path(__file__).resolve().parent.parent / "activcrea_odoo" / "i18n"


def msgids(catalogue, translated_only=False):
    return {
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        and (not translated_only or (entry.msgstr and "fuzzy" not in entry.flags))
    }


def references(catalogue):
    """(msgid, reference) pairs of the data and view terms."""
    return {
        (entry.msgid, path)
        for entry in catalogue
        if not entry.obsolete
        for path, _line in entry.occurrences
        if path.startswith(("model:", "model_terms:"))
    }


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    exported_catalogue = polib.pofile(argv[1])
    exported = msgids(exported_catalogue)
    i18n = Path(argv[2]) if len(argv) > 2 else DEFAULT_I18N
    template = next(i18n.glob("*.pot"))
    template_catalogue = polib.pofile(str(template))
    pot = msgids(template_catalogue)
    problems = []

    def report(title, items):
        if items:
            problems.append(f"{title} ({len(items)}):")
            problems.extend(f"    {item[:100]!r}" for item in sorted(items)[:25])

    report(f"{template.name} lacks strings of the code", exported - pot)
    missing_refs = references(exported_catalogue) - references(template_catalogue)
    report(
        f"{template.name} lacks where terms are used (Odoo would not translate them there)",
        {f"{path}: {msgid}" for msgid, path in missing_refs},
    )
    for po_path in sorted(i18n.glob("*.po")):
        po = polib.pofile(str(po_path))
        report(f"{po_path.name} does not translate", exported - msgids(po, translated_only=True))
    if problems:
        print("\n".join(problems))
        print(
            "Regenerate: odoo-bin -d DB --i18n-export=activcrea_odoo/i18n/activcrea_odoo.pot "
            "--modules=activcrea_odoo --stop-after-init, then msgmerge fr.po and translate."
        )
        return 1
    print(f"translations up to date: {len(exported)} strings, all in {template.name} and translated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
