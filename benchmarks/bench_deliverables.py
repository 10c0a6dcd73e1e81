"""The deliverables' deposit pack against printing the same PDFs one by one.

    python3 benchmarks/bench_deliverables.py --db activcrea_bench [--sizes 20,200]

Each enrolment has its person, a diagnostic slot, two more actions and a complete
Activ'Créa form ended by a bilan: three documents are due (diagnostic report, end-of-service
report, attendance sheet). Measured, for each size:

- the checks alone (``_sort_out``): their query count must not grow with the enrolments;
- the pack (``action_build``): one report rendering per document type, split per enrolment;
- printing one by one, as the buttons do (``_render_qweb_pdf`` per enrolment and document,
  checks, date and chatter attachment included). Above ``--one-by-one-max`` enrolments it is
  measured on that many and scaled (printed as an estimate): wkhtmltopdf takes about a
  second a call.

wkhtmltopdf loads the report's CSS from ``report.url`` (or ``web.base.url``): give
``--report-url`` of a running server of the database for styled PDFs. Everything is rolled
back at the end.
"""

from datetime import datetime, timedelta

from _common import Timer, bge_environment, measure, sizes_argument_parser, table

REPORTS = (
    "activcrea_odoo.action_report_deliverable_diagnostic",
    "activcrea_odoo.action_report_deliverable_bilan",
    "activcrea_odoo.action_report_deliverable_attendance",
)


def add_enrolments(env, bge, start, stop):
    from odoo import Command  # noqa: PLC0415

    Partner, Event = env["res.partner"], env["calendar.event"]
    reason = env["activcrea.reason"].search([("kind", "=", "bilan")], limit=1)
    partners = Partner.create(
        [
            {"name": f"Prénom{index} PORTEUR", "france_travail_id": f"{index:07d}A"}
            for index in range(start, stop)
        ]
    )
    base = datetime(2026, 1, 5, 8, 0)
    values = []
    for index, partner in zip(range(start, stop), partners, strict=True):
        first = base + timedelta(days=index // 8, hours=index % 8)
        site = bge.sites[index % len(bge.sites)]
        for offset, kind in ((0, "diagnostic"), (14, "coaching"), (80, "bilan")):
            values.append(
                {
                    "name": f"{kind} {index}",
                    "start": first + timedelta(days=offset),
                    "stop": first + timedelta(days=offset, hours=1),
                    "user_id": False,
                    "partner_ids": [Command.set(partner.ids)],
                    "activcrea_ods_id": bge.ods.id,
                    "activcrea_step_id": bge.steps[kind].id,
                    "activcrea_resource_id": bge.resource.id,
                    "activcrea_site_id": site.id,
                }
            )
    Event.create(values)
    env["activcrea.enrolment"].create(
        [
            {
                "partner_id": partner.id,
                "ods_id": bge.ods.id,
                "resource_id": bge.resource.id,
                "site_id": bge.sites[index % len(bge.sites)].id,
                "start_date": (base + timedelta(days=index // 8)).date(),
                "order_number": f"2026{index:06d}",
                "ft_advisor": "MARTIN Sophie",
                "ft_agency_code": "59041",
                "diagnostic_date": (base + timedelta(days=index // 8)).date(),
                "diagnostic_outcome": "continued",
                "bilan_date": (base + timedelta(days=index // 8 + 80)).date(),
                "bilan_outcome": "relevant",
                "bilan_reason_id": reason.id,
            }
            for index, partner in zip(range(start, stop), partners, strict=True)
        ]
    )
    env.flush_all()


def main():
    parser = sizes_argument_parser(__doc__.splitlines()[0], "20,200", "enrolment")
    parser.add_argument("--one-by-one-max", type=int, default=20)
    parser.add_argument("--report-url", default=None)
    args = parser.parse_args()

    with bge_environment(args, sites=5) as (env, bge):
        if args.report_url:
            env["ir.config_parameter"].set_param("report.url", args.report_url)
        Enrolment, Pack, Report = (
            env["activcrea.enrolment"],
            env["activcrea.deposit.pack"],
            env["ir.actions.report"],
        )
        rows, done = [], 0
        # count the wkhtmltopdf runs
        calls = []
        report_class = type(Report)
        run = report_class._run_wkhtmltopdf

        def counting(self, *args, **kwargs):
            calls.append(1)
            return run(self, *args, **kwargs)

        report_class._run_wkhtmltopdf = counting
        for size in args.sizes:
            with Timer(f"enrolments up to {size}"):
                add_enrolments(env, bge, done, size)
            done = size
            enrolments = Enrolment.search([("company_id", "=", bge.company.id)])
            assert len(enrolments) == size

            def checks(enrolments=enrolments):
                included, left_out = Pack._sort_out(enrolments)
                assert not left_out, left_out[:3]
                return sum(len(ids) for ids in included.values())

            def pack(enrolments=enrolments):
                calls.clear()
                wizard = Pack.create({"enrolment_ids": [(6, 0, enrolments.ids)]})
                wizard.action_build()
                assert wizard.document_count == 3 * len(enrolments), wizard.left_out
                return len(calls)

            sample = enrolments[: args.one_by_one_max]

            def one_by_one(sample=sample):
                count = 0
                for enrolment in sample:
                    for report in REPORTS:
                        pdf, kind = Report._render_qweb_pdf(report, enrolment.ids)
                        assert kind == "pdf" and pdf.startswith(b"%PDF")
                        count += 1
                return count

            result_checks = measure(env, checks, args.repeat, memory=False)
            result_pack = measure(env, pack, 1, memory=False, undo=True)
            result_single = measure(env, one_by_one, 1, memory=False, undo=True)
            scale = size / len(sample)
            rows.append((size, result_checks, result_pack, result_single, scale))

        print()
        print("Deposit pack (3 documents an enrolment) against printing one by one")
        table(
            [
                "enrolments",
                "checks",
                "checks queries",
                "pack",
                "pack queries",
                "pack wkhtmltopdf runs",
                "one by one",
                "one by one queries",
            ],
            [
                [
                    size,
                    f"{checks['time'] * 1000:.0f} ms",
                    checks["queries"],
                    f"{pack['time']:.1f} s",
                    pack["queries"],
                    pack["result"],
                    f"{single['time'] * scale:.1f} s" + (" (est.)" if scale > 1 else ""),
                    f"{single['queries'] * scale:.0f}" + (" (est.)" if scale > 1 else ""),
                ]
                for size, checks, pack, single, scale in rows
            ],
        )
        counts = {size: checks["queries"] for size, checks, *_rest in rows}
        same = len(set(counts.values())) == 1
        print()
        print(
            "goal same query count of the checks for every size: "
            f"{', '.join(f'{q} ({s})' for s, q in counts.items())} -> {'OK' if same else 'NOT MET'}"
        )
        runs = {size: pack["result"] for size, _checks, pack, *_rest in rows}
        print(
            "goal one report rendering per document type: "
            f"{', '.join(f'{r} ({s})' for s, r in runs.items())} wkhtmltopdf runs -> "
            f"{'OK' if set(runs.values()) == {3} else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
