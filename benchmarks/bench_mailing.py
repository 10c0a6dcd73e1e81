"""The hourly e-mail job with every registration due the same evening.

    python3 benchmarks/bench_mailing.py --db activcrea_bench [--sizes 500,5000]

Registrations (person with an e-mail, enrolment confirmed, first-step meeting on the same
day) are added until each size of ``--sizes`` is reached; then the J-2 reminder rule runs
at 19:05 Paris time two days before the meetings (``_send_due``): one query finds who is
due, the template is rendered for all at once (``mail.template._generate_template``), the
mails are created in Odoo's outgoing queue (``mail.mail``, state « outgoing ») with their
log rows. Each run is rolled back; the whole database too at the end.
"""

from datetime import date, datetime, timedelta

from _common import (
    Timer,
    bge_environment,
    analyze,
    measure,
    mib,
    sizes_argument_parser,
    table,
)

MEETING_DAY = date(2030, 3, 12)


def add_registrations(env, bge, start, stop):
    Partner, Enrolment = env["res.partner"], env["activcrea.enrolment"]
    partners = Partner.create(
        [
            {"name": f"Porteur {index:05d}", "email": f"porteur{index}@example.org", "lang": "en_US"}
            for index in range(start, stop)
        ]
    )
    step = bge.steps["diagnostic"]
    events = env["calendar.event"].create(
        [
            {
                "name": f"Diagnostic {index}",
                "start": datetime.combine(MEETING_DAY, datetime.min.time())
                + timedelta(hours=8 + index % 9),
                "stop": datetime.combine(MEETING_DAY, datetime.min.time())
                + timedelta(hours=9 + index % 9),
                "user_id": False,
                "partner_ids": [(6, 0, [partner.id])],
                "activcrea_ods_id": bge.ods.id,
                "activcrea_step_id": step.id,
                "activcrea_resource_id": bge.resource.id,
                "activcrea_site_id": bge.sites[index % len(bge.sites)].id,
            }
            for index, partner in zip(range(start, stop), partners, strict=True)
        ]
    )
    Enrolment.create(
        [
            {
                "partner_id": partner.id,
                "ods_id": bge.ods.id,
                "resource_id": bge.resource.id,
                "site_id": bge.sites[index % len(bge.sites)].id,
                "start_date": MEETING_DAY,
                "order_number": f"2030{index:06d}",
                "confirmation": "confirmed",
                "activcrea_meeting_id": event.id,
                "activcrea_registered_on": MEETING_DAY - timedelta(days=10),
            }
            for index, partner, event in zip(range(start, stop), partners, events, strict=True)
        ]
    )
    analyze(env, "activcrea_enrolment", "calendar_event", "res_partner")


def main():
    parser = sizes_argument_parser(__doc__.splitlines()[0], "500,5000", "registration", sites=10)
    args = parser.parse_args()

    with bge_environment(args) as (env, bge):
        rule = env.ref("activcrea_odoo.mail_rule_reminder").copy(
            {"ods_id": bge.ods.id, "company_id": bge.company.id}
        )
        # 19:05 Paris, two days before the meetings
        now_local = datetime.combine(MEETING_DAY - timedelta(days=2), datetime.min.time()).replace(
            hour=19, minute=5
        )
        results, done = [], 0
        for size in args.sizes:
            with Timer(f"registrations up to {size}"):
                add_registrations(env, bge, done, size)
            done = size

            def run(size=size):
                count = rule._send_due(now_local)
                assert count == size, (count, size)
                queued = env["mail.mail"].search_count(
                    [("state", "=", "outgoing"), ("model", "=", "res.partner"),
                     ("author_id", "=", bge.company.partner_id.id)]
                )
                assert queued == size, (queued, size)
                assert rule._send_due(now_local) == 0  # never twice
                return count

            results.append((size, measure(env, run, args.repeat, not args.no_memory, undo=True)))

        print()
        print(f"J-2 reminder job (_send_due), median of {args.repeat} runs, rolled back each time")
        table(
            ["registrations", "mails queued", "time", "per mail", "queries", "peak"],
            [
                [
                    size,
                    result["result"],
                    f"{result['time']:.2f} s",
                    f"{result['time'] * 1000 / size:.2f} ms",
                    result["queries"],
                    mib(result["peak"]),
                ]
                for size, result in results
            ],
        )
        counts = {size: result["queries"] for size, result in results}
        print(
            "goal queries not growing with the registrations: "
            + ", ".join(f"{q} ({s})" for s, q in counts.items())
        )


if __name__ == "__main__":
    main()
