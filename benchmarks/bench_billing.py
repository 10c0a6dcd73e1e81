"""Activ'Créa billing: generating + posting invoices against Odoo's own invoice flow, and
the gapless numbering under concurrency.

    python3 benchmarks/bench_billing.py --db activcrea_bench [--count 1000]
        [--workers 4 --per-worker 200] [--skip-speed | --skip-concurrency]

1. Speed (in-process, rolled back): ``count`` closed enrolments are invoiced with
   "Generate" (``_generate_invoices``: checks, tariff per enrolment, one customer invoice
   each, all posted, numbers drawn from the gapless sequence), side by side with Odoo's
   own flow: ``count`` customer invoices of one line created in the sales journal and
   posted with ``action_post``. Prints both timings, the query counts and the ratio
   (goal <= 1.5).
2. Concurrency (committed, in a copy of the database dropped at the end): ``workers``
   processes each invoice ``per-worker`` enrolments of the same legal entity, one
   invoice per transaction, at the same time. A transaction that meets the counter's lock
   is rolled back and run again, as Odoo's RPC/HTTP layer does
   (``odoo.service.model.retrying``). Then the numbers are checked: consecutive, no
   duplicate, one per enrolment.
"""

import argparse
import random
import subprocess
import sys
import time
from datetime import date, timedelta

import psycopg2
from _common import (
    QUIET,
    Timer,
    argument_parser,
    copied_database,
    environment,
    make_bge,
    measure,
    mib,
    odoo_config,
    table,
)
from psycopg2 import errors

TODAY = date.today()
START = TODAY - timedelta(days=200)
IBAN = "FR7630006000011234567890189"
# odoo.service.model.MAX_TRIES_ON_CONCURRENCY_FAILURE: what the web client's request gets
MAX_TRIES_ODOO = 5
RETRY_ON = (errors.LockNotAvailable, errors.SerializationFailure, errors.DeadlockDetected)


def billing_bge(env, count, prefix="BEN"):
    """A legal entity set up for billing, and ``count`` closed enrolments to invoice."""
    env, bge = make_bge(env, sites=1)
    company = bge.company
    env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    company.write({"activcrea_invoice_base_number": "99", "activcrea_invoice_prefix": prefix})
    env["res.partner.bank"].create(
        {"acc_number": IBAN, "partner_id": company.partner_id.id, "allow_out_payment": True}
    )
    financer = env["res.partner"].create(
        {"name": "France Travail Bench", "is_company": True, "siret": "13000548100010"}
    )
    bge.resource.financer_id = financer
    env["activcrea.tariff"].create(
        {
            "ods_id": bge.ods.id,
            "resource_id": bge.resource.id,
            "date_start": START - timedelta(days=365),
            "amount": 1000.0,
        }
    )
    reason = env.ref("activcrea_odoo.reason_bilan_1")
    people = env["res.partner"].create(
        [{"name": f"Porteur {n:05d}", "france_travail_id": f"{5000000 + n}A"} for n in range(count)]
    )
    enrolments = env["activcrea.enrolment"].create(
        [
            {
                "partner_id": person.id,
                "ods_id": bge.ods.id,
                "resource_id": bge.resource.id,
                "site_id": bge.sites[0].id,
                "start_date": START,
                "order_number": f"BC-{n:06d}",
                "confirmation": "confirmed",
                "diagnostic_date": START,
                "diagnostic_outcome": "continued",
                "bilan_date": START + timedelta(days=80),
                "bilan_outcome": "relevant",
                "bilan_reason_id": reason.id,
            }
            for n, person in enumerate(people)
        ]
    )
    env["account.journal"]._activcrea_journal(company)
    bge.financer = financer
    bge.enrolments = enrolments
    return env, bge


# 1. Speed --------------------------------------------------------------------------------


def run_speed(args):
    from odoo import Command  # noqa: PLC0415

    with environment(args) as env:
        with Timer(f"{args.count} closed enrolments"):
            env, bge = billing_bge(env, args.count)
        sale_journal = env["account.journal"].search(
            [("company_id", "=", bge.company.id), ("type", "=", "sale"), ("activcrea_invoicing", "=", False)],
            limit=1,
        )

        def generate():
            moves = bge.enrolments._generate_invoices(TODAY)
            assert len(moves) == args.count and set(moves.mapped("state")) == {"posted"}
            return moves[:1].name

        def plain():
            moves = (
                env["account.move"]
                .with_context(default_move_type="out_invoice")
                .create(
                    [
                        {
                            "move_type": "out_invoice",
                            "journal_id": sale_journal.id,
                            "partner_id": bge.financer.id,
                            "invoice_date": TODAY,
                            "ref": f"BC-{n:06d}",
                            "invoice_line_ids": [
                                Command.create(
                                    {
                                        "name": f"Service {n}",
                                        "quantity": 1,
                                        "price_unit": 1000.0,
                                        "tax_ids": [Command.set([])],
                                    }
                                )
                            ],
                        }
                        for n in range(args.count)
                    ]
                )
            )
            moves.action_post()
            assert set(moves.mapped("state")) == {"posted"}
            return moves[:1].name

        ours = measure(env, generate, repeat=args.repeat, memory=not args.no_memory, undo=True)
        odoo = measure(env, plain, repeat=args.repeat, memory=not args.no_memory, undo=True)
        print()
        print(f"Generating and posting {args.count} invoices (median of {args.repeat} runs):")
        table(
            ["", "time", "queries", "peak memory", "first number"],
            [
                [
                    "Activ'Créa Generate (checks, tariff, create, post)",
                    f"{ours['time']:.2f} s",
                    ours["queries"],
                    mib(ours["peak"]),
                    ours["result"],
                ],
                [
                    "Odoo: create + action_post (sales journal)",
                    f"{odoo['time']:.2f} s",
                    odoo["queries"],
                    mib(odoo["peak"]),
                    odoo["result"],
                ],
            ],
        )
        ratio = ours["time"] / odoo["time"]
        print(f"ratio Activ'Créa / Odoo: {ratio:.2f} (goal <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")


# 2. Concurrency ----------------------------------------------------------------------------


def worker(args):
    """One process: invoice its enrolments one transaction each, retrying on lock errors."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(
        ["-d", args.db, f"--addons-path={args.addons_path}", "--log-level=critical"]
    )
    registry = Registry(args.db)
    ids = [int(x) for x in args.worker_ids.split(",")]
    retries, max_tries, over_odoo = 0, 0, 0
    for enrolment_id in ids:
        for tries in range(1, 200):
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, QUIET)
                try:
                    env["activcrea.enrolment"].browse(enrolment_id)._generate_invoices(TODAY)
                    cr.commit()
                    break
                except RETRY_ON:
                    cr.rollback()
                    retries += 1
                    time.sleep(random.uniform(0.0, min(0.05 * tries, 0.5)))
        else:
            raise RuntimeError(f"enrolment {enrolment_id}: gave up")
        max_tries = max(max_tries, tries)
        over_odoo += tries > MAX_TRIES_ODOO
    print(f"RESULT {len(ids)} {retries} {max_tries} {over_odoo}", flush=True)


def run_concurrency(args):
    with copied_database(args.db, f"{args.db}_billing_conc") as copy:
        odoo = odoo_config(copy, args.addons_path)
        from odoo.modules.registry import Registry  # noqa: PLC0415

        total = args.workers * args.per_worker
        with Timer(f"{total} closed enrolments (committed in {copy})"):
            with Registry(copy).cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env, bge = billing_bge(env, total, prefix="CON")
                company_id = bge.company.id
                ids = bge.enrolments.ids
                cr.commit()
        random.shuffle(ids)
        chunks = [ids[n :: args.workers] for n in range(args.workers)]
        started = time.perf_counter()
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--db",
                    copy,
                    "--addons-path",
                    args.addons_path,
                    "--worker-ids",
                    ",".join(map(str, chunk)),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for chunk in chunks
        ]
        results = []
        for proc in procs:
            out, _err = proc.communicate()
            if proc.returncode:
                raise RuntimeError(f"worker failed ({proc.returncode}): {out}")
            results.append([line for line in out.splitlines() if line.startswith("RESULT")][-1])
        elapsed = time.perf_counter() - started
        with psycopg2.connect(dbname=copy) as cnx, cnx.cursor() as cr:
            cr.execute(
                """SELECT m.name, m.activcrea_enrolment_id FROM account_move m
                     JOIN account_journal j ON j.id = m.journal_id
                    WHERE j.company_id = %s AND j.activcrea_invoicing AND m.state = 'posted'
                    ORDER BY m.name""",
                (company_id,),
            )
            rows = cr.fetchall()
        cnx.close()
        from odoo.addons.activcrea_odoo.rules.billing import (  # noqa: PLC0415
            gaps_and_duplicates,
            parse_number,
        )

        names = [name for name, _enrolment in rows]
        missing, duplicates = gaps_and_duplicates(names)
        counters = sorted(parse_number(name)[2] for name in names)
        enrolments = {enrolment for _name, enrolment in rows}
        retries = sum(int(r.split()[2]) for r in results)
        max_tries = max(int(r.split()[3]) for r in results)
        over_odoo = sum(int(r.split()[4]) for r in results)
        print()
        print(
            f"Concurrency: {args.workers} processes x {args.per_worker} invoices, one "
            f"transaction each, into one legal entity ({elapsed:.1f} s)"
        )
        table(
            ["check", "value"],
            [
                ["invoices posted", len(names)],
                ["first / last number", f"{names[0]} / {names[-1]}" if names else "-"],
                ["counters", f"{counters[0]}..{counters[-1]}" if counters else "-"],
                ["missing counters (gaps)", len(missing)],
                ["duplicate numbers", len(duplicates)],
                ["enrolments invoiced once", f"{len(enrolments)} of {total}"],
                ["transactions retried on the counter's lock", retries],
                ["most tries for one invoice", max_tries],
                [f"invoices needing more than Odoo's {MAX_TRIES_ODOO} tries", over_odoo],
            ],
        )
        ok = (
            len(names) == total
            and not missing
            and not duplicates
            and len(enrolments) == total
            and counters == list(range(1, total + 1))
        )
        print(f"numbers consecutive without duplicates: {'YES' if ok else 'NO'}")


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-worker", type=int, default=200)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-concurrency", action="store_true")
    parser.add_argument("--worker-ids", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_ids:
        worker(args)
        return
    if args.skip_speed or args.skip_concurrency:
        if not args.skip_concurrency:
            run_concurrency(args)
        if not args.skip_speed:
            run_speed(args)
        return
    # Odoo's configuration is set once per process, and the copy of the database needs it
    # unused: the concurrency check runs first, in a process of its own
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--db",
            args.db,
            "--addons-path",
            args.addons_path,
            "--workers",
            str(args.workers),
            "--per-worker",
            str(args.per_worker),
            "--skip-speed",
        ],
        check=True,
    )
    run_speed(args)


if __name__ == "__main__":
    main()
