#!/usr/bin/env python3
"""Make a partial Odoo 18.0 tree able to create a database.

A full Odoo 18.0 tree creates a database; a tree that keeps only some modules
(the project's Odoo bundle, ../shared/odoo) does not, for three reasons:

1. ``base/data/ir_module_module.xml`` advertises Enterprise apps under module
   categories that Odoo creates only from other modules' manifests
   ("External ID not found in the system: base.module_category_services_timesheets");
2. data files point at modules by their record (``payment`` lists its
   providers with ``base.module_payment_adyen``...): that record exists only
   for a module found in the addons path;
3. ``payment/models/res_country.py`` imports ``odoo.addons.payment_stripe``.

This script writes, in OUT_DIR, one manifest-only module marked
``installable: False`` per missing category or module record (Odoo lists it as
"not installable"), and for 3. the one constant module payment imports, empty
(no country is Stripe-supported where Stripe is absent).  Odoo's own files are
not touched.  With a full tree nothing is missing and nothing is written.

    python3 odoo_bundle_shims.py OUT_DIR ADDONS_DIR [ADDONS_DIR...]

Prints the number of shim modules written (0: OUT_DIR is not needed).
"""

import ast
import re
import shutil
import sys
from pathlib import Path
from xml.etree import ElementTree

PREFIX = "module_category_"


def category_xmlid(path):
    """Odoo's own rule (odoo/modules/db.py, create_categories)."""
    return PREFIX + "_".join(x.lower() for x in path).replace("&", "and").replace(" ", "_")


def known_categories(addons_dirs, base_dir):
    """xml id (without module) -> category path, for every category Odoo will create."""
    known = {}
    for addons in addons_dirs:
        for manifest in sorted(Path(addons).glob("*/__manifest__.py")):
            try:
                info = ast.literal_eval(manifest.read_text(encoding="utf-8"))
            except (SyntaxError, ValueError):
                continue
            path = (info.get("category") or "Uncategorized").split("/")
            for depth in range(1, len(path) + 1):
                known[category_xmlid(path[:depth])] = path[:depth]
    data = base_dir / "data" / "ir_module_category_data.xml"
    records = {}
    for record in ElementTree.parse(data).getroot().iter("record"):
        if record.get("model") != "ir.module.category":
            continue
        fields = {f.get("name"): f for f in record.iter("field")}
        name = fields["name"].text if "name" in fields else record.get("id")
        parent = fields["parent_id"].get("ref") if "parent_id" in fields else None
        records[record.get("id").split(".")[-1]] = (name, parent and parent.split(".")[-1])

    def path_of(xmlid, seen=()):
        name, parent = records[xmlid]
        if parent and parent in records and parent not in seen:
            return path_of(parent, seen + (xmlid,)) + [name]
        return [name]

    for xmlid in records:
        known[xmlid] = path_of(xmlid)
    return known


def missing_categories(addons_dirs):
    base_dir = next(
        (Path(a) / "base" for a in addons_dirs if (Path(a) / "base" / "__manifest__.py").is_file()),
        None,
    )
    if base_dir is None:
        raise SystemExit("odoo_category_shims: no 'base' module in " + ", ".join(addons_dirs))
    text = (base_dir / "data" / "ir_module_module.xml").read_text(encoding="utf-8")
    wanted = sorted(set(re.findall(r'ref="base\.(module_category_[a-z0-9_]+)"', text)))
    known = known_categories(addons_dirs, base_dir)
    missing = {}
    for xmlid in wanted:
        if xmlid in known:
            continue
        # The longest known parent, then the rest as one title-cased leaf.
        parent = max(
            (k for k in known if xmlid.startswith(k + "_")), key=len, default=None
        )
        if parent:
            leaf = xmlid[len(parent) + 1 :]
            path = known[parent] + [leaf.replace("_", " ").title()]
        else:
            path = [xmlid[len(PREFIX) :].replace("_", " ").title()]
        if category_xmlid(path) != xmlid:
            raise SystemExit(f"odoo_category_shims: cannot rebuild the category of {xmlid}")
        missing[xmlid] = path
    return missing


# Python modules that present addons import from absent ones (outside tests).
IMPORTED = {
    "payment_stripe": {
        "const.py": "# Stripe is absent from this Odoo: no country is supported.\n"
        "COUNTRY_MAPPING = {}\nSUPPORTED_COUNTRIES = frozenset()\n",
    },
}


# Stands for a file read from an absent module: base's icon.
PLACEHOLDER = object()


def present_modules(addons_dirs):
    return {
        manifest.parent.name
        for addons in addons_dirs
        for manifest in Path(addons).glob("*/__manifest__.py")
    }


def missing_modules(addons_dirs):
    """Absent modules that present ones refer to: {name: {file: content}}."""
    present = present_modules(addons_dirs)
    # base's own records named module_* (views such as base.module_form)
    for addons in addons_dirs:
        for path in Path(addons).glob("base/**/*.xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            present.update(re.findall(r'id="module_([a-z0-9_]+)"', text))
    missing = {}
    for addons in addons_dirs:
        for path in Path(addons).glob("*/**/*.xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in re.findall(r'ref="base\.module_([a-z0-9_]+)"', text):
                if not name.startswith("category_") and name not in present:
                    missing.setdefault(name, {})
            # files read from absent modules (payment providers' icons)
            for name, rel_path in re.findall(r'file="([a-z0-9_]+)/([^"]+)"', text):
                if name not in present:
                    missing.setdefault(name, {})[rel_path] = PLACEHOLDER
        for path in Path(addons).glob("*/**/*.py"):
            if "tests" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in re.findall(r"^(?:from|import) odoo\.addons\.([a-z0-9_]+)", text, re.M):
                if name in present:
                    continue
                if name not in IMPORTED:
                    raise SystemExit(
                        f"odoo_bundle_shims: {path} imports the absent module {name}: "
                        "use a complete Odoo 18.0 tree"
                    )
                missing.setdefault(name, {}).update(IMPORTED[name])
    return missing


def write_module(out, name, manifest, files=None, placeholder=None):
    module = out / name
    module.mkdir()
    files = files or {}
    python = sorted(f for f in files if f.endswith(".py") and "/" not in f)
    (module / "__init__.py").write_text(
        "".join(f"from . import {f[:-3]}\n" for f in python), encoding="utf-8"
    )
    for filename, content in files.items():
        target = module / filename
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is PLACEHOLDER:
            shutil.copyfile(placeholder, target)
        else:
            target.write_text(content, encoding="utf-8")
    (module / "__manifest__.py").write_text(repr(manifest) + "\n", encoding="utf-8")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out, addons_dirs = Path(argv[1]), argv[2:]
    categories = missing_categories(addons_dirs)
    modules = missing_modules(addons_dirs)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    icon = next(
        Path(a) / "base/static/description/icon.png"
        for a in addons_dirs
        if (Path(a) / "base/static/description/icon.png").is_file()
    )
    absent = {"version": "18.0.0.0.0", "license": "LGPL-3", "installable": False}
    for xmlid, path in categories.items():
        name = "bundle_category_" + xmlid[len(PREFIX) :]
        label = f"{path[-1]} (category only: its modules are absent from this Odoo)"
        write_module(out, name, dict(absent, name=label, category="/".join(path)))
    for name, files in modules.items():
        label = f"{name} (absent from this Odoo)"
        write_module(out, name, dict(absent, name=label, category="Hidden"), files, icon)
    print(len(categories) + len(modules))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
