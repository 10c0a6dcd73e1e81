"""The import as the application runs it: preview and confirmation in two requests.

    python3 benchmarks/bench_import_requests.py --db activcrea_bench [--rows 5000]
        [--sites 50] [--cases planned,unplanned] [--repeat 1] [--confirm-elsewhere]

``bench_import.py`` runs the preview and the confirmation in one transaction, as a
script calling ``action_preview()`` then ``action_confirm()`` does. In the form they
are two requests, so two transactions. That changes one thing for PostgreSQL: when the
confirmation links the history rows to what it wrote, it re-checks only the keys it
changes, where a row inserted by the same transaction has all of its keys checked
again.

Each run commits, so it runs in a copy of ``--db`` made for it (``createdb -T``) and
dropped afterwards. ``--db`` is left as it was, and nothing else may be connected to it
while the copy is made. In its copy, each run builds the two BGEs of ``bench_import.py``
(the planned one with its slots), then times:
- base_import's import of the same people, committed (its own transaction);
- or ours: create + ``action_preview`` and commit, then ``action_confirm`` and commit.
The file, the BGEs and the timing of a run are the ones of ``bench_import.py``. The
after-import work (portal, questionnaires) is left out, as there.
"""

import base64
import os
import shutil
import subprocess
import time
from datetime import date
from statistics import median

import bench_import as bi
from _common import Timer, analyze, argument_parser, ensure_database, table

CASES = ("planned", "unplanned")


def copy_database(db, copy):
    subprocess.run(["dropdb", "--if-exists", copy], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", db, copy], check=True)


def drop_database(copy):
    """Drop ``copy`` and the files its attachments left (the import's file)."""
    import odoo  # noqa: PLC0415 - once the database exists

    subprocess.run(["dropdb", "--if-exists", copy], check=True, capture_output=True)
    shutil.rmtree(odoo.tools.config.filestore(copy), ignore_errors=True)


def one_run(args, copy, case, month):
    """Seconds of ``case`` (base_import, planned or unplanned) in the database ``copy``:
    ``(total, preview, confirmation)``, the last two None for base_import."""
    import odoo  # noqa: PLC0415 - once the database exists
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(copy)
    registry["activcrea.import"]._activcrea_after_import = lambda self: None
    try:
        with registry.cursor() as cr:
            # both BGEs, as bench_import.py makes them: the tables hold what they hold there
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env, planned, env_unplanned, unplanned = bi.two_bges(env, args.rows, args.sites, month)
            if case == "unplanned":
                env, bge = env_unplanned, unplanned
            else:
                bge = planned
            context, resource_id = dict(env.context), bge.resource.id
            cr.commit()
            analyze(env, *bi.ANALYZED)
            cr.commit()
        if case == "base_import":
            content = bi.registrants_csv(args.rows, args.sites, month, extra_name_column=True)
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
                start = time.perf_counter()
                count, messages = bi.odoo_import(env, content)
                env.flush_all()
                cr.commit()
                assert count == args.rows and not messages, (count, messages)
                return time.perf_counter() - start, None, None
        content = bi.registrants_csv(args.rows, args.sites, month)
        from odoo.addons.activcrea_odoo.rules import prestappli  # noqa: PLC0415

        prestappli.read_registrants_shared_forget()  # a file just uploaded
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
            start = time.perf_counter()
            batch = env["activcrea.import"].create(
                {
                    "resource_id": resource_id,
                    "file": base64.b64encode(content),
                    "filename": "liste_inscrits_J-2.csv",
                }
            )
            batch.action_preview()
            env.flush_all()
            cr.commit()
            preview = time.perf_counter() - start
            batch_id = batch.id
        if args.confirm_elsewhere:
            prestappli.read_registrants_shared_forget()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
            start = time.perf_counter()
            batch = env["activcrea.import"].browse(batch_id)
            batch.action_confirm()
            env.flush_all()
            cr.commit()
            confirmation = time.perf_counter() - start
            got = (batch.state, batch.count_new)
            assert got == ("done", args.rows), (case, got, batch.log)
        return preview + confirmation, preview, confirmation
    finally:
        Registry.delete(copy)
        odoo.sql_db.close_db(copy)


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--month", default="2026-02", help="YYYY-MM of the meetings")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument(
        "--confirm-elsewhere",
        action="store_true",
        help="the confirmation reads the file again, as when another worker process of "
        "the server receives it (by default the process of the preview does, which "
        "reads the rows the preview read)",
    )
    parser.set_defaults(repeat=1)
    args = parser.parse_args()
    cases = [case for case in args.cases.split(",") if case]
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    ensure_database(args.db, args.addons_path)
    import odoo  # noqa: PLC0415 - once the database exists

    odoo.tools.config.parse_config(
        ["-d", args.db, f"--addons-path={args.addons_path}", "--log-level=warn"]
    )
    year, month_number = map(int, args.month.split("-"))
    month = date(year, month_number, 1)
    copy = f"{args.db}_requests_{os.getpid()}"
    runs = {}
    try:
        for case in ["base_import", *cases]:
            for _run in range(args.repeat):
                with Timer(f"{case}: a copy of {args.db}, the BGEs, then the import"):
                    copy_database(args.db, copy)
                    runs.setdefault(case, []).append(one_run(args, copy, case, month))
                    drop_database(copy)
    finally:
        drop_database(copy)

    for case, case_runs in runs.items():
        print(f"{case}: " + ", ".join(f"{total:.2f} s" for total, *_parts in case_runs))
    reference = median(total for total, _preview, _confirm in runs["base_import"])
    print()
    print(
        f"Import of {args.rows} registrants over {args.sites} sites, preview and confirmation "
        f"in two transactions, median of {args.repeat} run(s), each in a fresh copy of {args.db}; "
        f"the confirmation in {'another' if args.confirm_elsewhere else 'the'} process"
        f"{'' if args.confirm_elsewhere else ' of the preview'}"
    )
    lines = [["base_import (one transaction)", f"{reference:.2f} s", "", "", ""]]
    for case in cases:
        total = median(run[0] for run in runs[case])
        lines.append(
            [
                bi.CASES[case],
                f"{total:.2f} s",
                f"{median(run[1] for run in runs[case]):.2f} s",
                f"{median(run[2] for run in runs[case]):.2f} s",
                f"{total / reference:.2f} (goal {bi.GOALS[case]})",
            ]
        )
    table(["", "time", "preview", "confirmation", "ratio"], lines)


if __name__ == "__main__":
    main()
