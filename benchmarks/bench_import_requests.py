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

import os
import time
from statistics import median

import bench_import as bi
from _common import (
    Timer,
    analyze,
    argument_parser,
    copied_database,
    ensure_database,
    odoo_config,
    table,
)

CASES = ("planned", "unplanned")


def one_run(args, copy, case, content):
    """Seconds of ``case`` (base_import, planned or unplanned) importing ``content`` in
    the database ``copy``: ``(total, preview, confirmation)``, the last two None for
    base_import."""
    import odoo  # noqa: PLC0415 - once the database exists
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(copy)
    registry["activcrea.import"]._activcrea_after_import = lambda self: None
    try:
        with registry.cursor() as cr:
            # both BGEs, as bench_import.py makes them: the tables hold what they hold there
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env, planned, env_unplanned, unplanned = bi.two_bges(
                env, args.rows, args.sites, args.month
            )
            if case == "unplanned":
                env, bge = env_unplanned, unplanned
            else:
                bge = planned
            context, resource_id = dict(env.context), bge.resource.id
            cr.commit()
            analyze(env, *bi.ANALYZED)
            cr.commit()

        def timed(work):
            """Seconds of ``work(env)`` in a transaction of its own, and what it returned."""
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)
                start = time.perf_counter()
                result = work(env)
                env.flush_all()
                cr.commit()
                return time.perf_counter() - start, result

        if case == "base_import":
            seconds, (count, messages) = timed(lambda env: bi.odoo_import(env, content))
            assert count == args.rows and not messages, (count, messages)
            return seconds, None, None
        preview, batch_id = timed(lambda env: bi.preview(env, resource_id, content).id)

        def confirm(env):
            batch = env["activcrea.import"].browse(batch_id)
            bi.confirm_import(batch, args.confirm_elsewhere)
            return batch.state, batch.count_new, batch.log

        confirmation, (state, count, log) = timed(confirm)
        assert (state, count) == ("done", args.rows), (case, state, count, log)
        return preview + confirmation, preview, confirmation
    finally:
        Registry.delete(copy)


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    bi.add_import_arguments(parser)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.set_defaults(repeat=1)
    args = parser.parse_args()
    cases = [case for case in args.cases.split(",") if case]
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    ensure_database(args.db, args.addons_path)
    odoo_config(args.db, args.addons_path)
    contents = {
        "base_import": bi.registrants_csv(
            args.rows, args.sites, args.month, extra_name_column=True
        ),
        "ours": bi.registrants_csv(args.rows, args.sites, args.month),
    }
    copy = f"{args.db}_requests_{os.getpid()}"
    runs = {}
    for case in ["base_import", *cases]:
        content = contents["base_import" if case == "base_import" else "ours"]
        for _run in range(args.repeat):
            with Timer(f"{case}: a copy of {args.db}, the BGEs, then the import"):
                with copied_database(args.db, copy):
                    runs.setdefault(case, []).append(one_run(args, copy, case, content))

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
