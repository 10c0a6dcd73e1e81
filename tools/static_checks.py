#!/usr/bin/env python3
"""Static checks of the activcrea_odoo addon (no Odoo, no database needed).

1. every XML file of the addon parses;
2. every file listed in the manifest's ``data`` / ``demo`` exists;
3. every Python file of the addon compiles;
4. pylint with the pylint-odoo plugin (configuration: ``.pylintrc``);
5. the translation catalogues in ``i18n/`` (``fr.po`` ...) pass
   ``msgfmt --check-format`` (or load with ``polib`` when msgfmt is missing).

Run from anywhere: ``python3 tools/static_checks.py [ADDON_DIR]``.
Exit status 0 when every check passes, 1 otherwise.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "activcrea_odoo"
SKIP_DIRS = {"__pycache__", ".git", "node_modules"}


def rel(path):
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)


def addon_files(addon, suffixes):
    for dirpath, dirnames, filenames in os.walk(addon):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.endswith(suffixes):
                yield Path(dirpath) / name


def check_xml(addon):
    try:
        from lxml import etree

        def parse(path):
            etree.parse(str(path))

        errors_caught = (etree.XMLSyntaxError,)
    except ImportError:  # pragma: no cover - lxml ships with Odoo
        import xml.etree.ElementTree as ElementTree

        def parse(path):
            ElementTree.parse(path)

        errors_caught = (ElementTree.ParseError,)
    problems, count = [], 0
    for path in addon_files(addon, (".xml",)):
        count += 1
        try:
            parse(path)
        except errors_caught as exc:
            problems.append(f"{rel(path)}: XML does not parse: {exc}")
    return problems, f"{count} XML files parsed"


def read_manifest(addon):
    manifest = addon / "__manifest__.py"
    return ast.literal_eval(manifest.read_text(encoding="utf-8"))


def check_manifest_files(addon):
    manifest_path = rel(addon / "__manifest__.py")
    try:
        manifest = read_manifest(addon)
    except (OSError, ValueError, SyntaxError) as exc:
        return [f"{manifest_path}: cannot read the manifest: {exc}"], "manifest unreadable"
    problems, count = [], 0
    for key in ("data", "demo"):
        entries = manifest.get(key, [])
        if not isinstance(entries, (list, tuple)):
            problems.append(f"{manifest_path}: '{key}' is not a list")
            continue
        for entry in entries:
            count += 1
            if not (addon / entry).is_file():
                problems.append(f"{manifest_path}: '{key}' lists {entry!r}, which does not exist")
    # Not a failure, but worth seeing: data-like files nobody loads.
    listed = {os.path.normpath(e) for k in ("data", "demo") for e in manifest.get(k, []) or []}
    for path in addon_files(addon, (".xml", ".csv")):
        relative = os.path.normpath(path.relative_to(addon))
        top = relative.split(os.sep, 1)[0]
        if top in {"static", "tests", "i18n"} or relative in listed:
            continue
        print(f"  note: {rel(path)} is not listed in the manifest's data/demo")
    return problems, f"{count} manifest data/demo entries exist"


def check_python(addon):
    problems, count = [], 0
    for path in addon_files(addon, (".py",)):
        count += 1
        try:
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            problems.append(f"{rel(path)}:{getattr(exc, 'lineno', '?')}: does not compile: {exc}")
    return problems, f"{count} Python files compile"


def check_pylint(addon):
    try:
        import pylint_odoo  # noqa: F401  (only to test availability)
    except ImportError:
        return (
            ["pylint-odoo is not installed: python3 -m pip install -r requirements-dev.txt"],
            "pylint-odoo missing",
        )
    command = [
        sys.executable,
        "-m",
        "pylint",
        f"--rcfile={ROOT / '.pylintrc'}",
        "--load-plugins=pylint_odoo",
        "--disable=all",
        "--enable=odoolint",
        "--valid-odoo-versions=18.0",
        rel(addon),
    ]
    print("  $ python3 " + " ".join(command[1:]))
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    findings = [
        line
        for line in result.stdout.splitlines()
        if line.strip() and not line.startswith("*************")
    ]
    for line in findings:
        print("  " + line)
    if result.stderr.strip():
        print(result.stderr.rstrip(), file=sys.stderr)
    if result.returncode != 0:
        return (
            [
                f"pylint-odoo: exit status {result.returncode}, "
                f"{len(findings)} finding(s) (listed above)"
            ],
            "pylint-odoo failed",
        )
    return [], "pylint-odoo: no finding"


PLACEHOLDER_RE = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def check_translations(addon):
    """Every catalogue passes msgfmt; every .po is complete and keeps the placeholders."""
    import polib

    i18n = addon / "i18n"
    # the .pot first: the .po entries are checked against it
    catalogues = sorted(i18n.glob("*.pot")) + sorted(i18n.glob("*.po")) if i18n.is_dir() else []
    if not catalogues:
        return [], "no translation catalogue yet (i18n/*.po)"
    msgfmt = shutil.which("msgfmt")
    problems = []
    template, known = None, set()
    for path in catalogues:
        if msgfmt:
            result = subprocess.run(
                [msgfmt, "--check-format", "-o", os.devnull, str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                problems.append(f"{rel(path)}: msgfmt failed:\n{result.stderr.rstrip()}")
        try:
            catalogue = polib.pofile(str(path))
        except (OSError, ValueError) as exc:
            problems.append(f"{rel(path)}: does not parse with polib: {exc}")
            continue
        if path.suffix != ".po":
            if template is None:
                template, known = path, {e.msgid for e in catalogue if not e.obsolete}
            continue
        # Odoo loads a .po entry only when the .pot has its msgid.
        if template is not None:
            dead = [e for e in catalogue if not e.obsolete and e.msgid not in known]
            for entry in dead[:25]:
                problems.append(
                    f"{rel(path)}:{entry.linenum}: not in {template.name}, Odoo ignores it: "
                    f"{entry.msgid[:60]!r}"
                )
        for entry in catalogue:
            if entry.obsolete:
                continue
            if not entry.msgstr or "fuzzy" in entry.flags:
                problems.append(f"{rel(path)}:{entry.linenum}: untranslated: {entry.msgid[:60]!r}")
            elif sorted(PLACEHOLDER_RE.findall(entry.msgid)) != sorted(
                PLACEHOLDER_RE.findall(entry.msgstr)
            ):
                problems.append(
                    f"{rel(path)}:{entry.linenum}: placeholders differ: {entry.msgid[:60]!r}"
                )
    tool = "msgfmt and polib" if msgfmt else "polib"
    return problems, f"{len(catalogues)} translation catalogue(s) complete, checked with {tool}"


CHECKS = [
    ("XML files parse", check_xml),
    ("manifest data/demo files exist", check_manifest_files),
    ("Python files compile", check_python),
    ("pylint-odoo", check_pylint),
    ("translations", check_translations),
]


def main(argv):
    addon = Path(argv[1]).resolve() if len(argv) > 1 else ADDON
    if not (addon / "__manifest__.py").is_file():
        print(f"static checks: {addon} is not an Odoo addon (no __manifest__.py)", file=sys.stderr)
        return 1
    failed = []
    for title, check in CHECKS:
        print(f"== static check: {title}")
        problems, summary = check(addon)
        for problem in problems:
            print(f"  FAIL {problem}")
        print(f"  -> {'FAILED' if problems else 'ok'}: {summary}")
        if problems:
            failed.append(title)
    if failed:
        print(f"static checks FAILED: {', '.join(failed)}")
        return 1
    print("static checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
