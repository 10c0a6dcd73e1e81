"""Loading the Activ'Créa tracking dashboard (enrolment list) as the web client does.

    python3 benchmarks/bench_dashboard.py --db activcrea_bench [--sizes 100,10000]

Enrolments are added until each size of ``--sizes`` is reached; each has its person,
an order number (so the form is filled), and takes part in one workshop of the offer
(ten people a workshop, past or future, half of them marked as attended). Then
``web_search_read`` runs with the "dashboard" filter of the search view and the
fields of the list view (read from the views), with limit=80 (first page) and with
no limit (all records). Everything is rolled back at the end.
"""

from datetime import date, datetime, timedelta

from _common import (
    Timer,
    analyze,
    bge_environment,
    measure,
    mib,
    sizes_argument_parser,
    table,
)
from lxml import etree

PER_WORKSHOP = 10


def dashboard_domain(env):
    """The domain of the search view's "dashboard" filter."""
    from odoo.tools.safe_eval import safe_eval  # noqa: PLC0415

    view = env.ref("activcrea_odoo.activcrea_enrolment_view_search")
    arch = etree.fromstring(env["activcrea.enrolment"].get_view(view.id, "search")["arch"])
    node = arch.xpath("//filter[@name='dashboard']")[0]
    return safe_eval(node.get("domain"), {"uid": env.uid, "context_today": date.today})


def list_specification(env):
    """What the list view asks for: every field of the view, many2one as display_name."""
    Enrolment = env["activcrea.enrolment"]
    view = env.ref("activcrea_odoo.activcrea_enrolment_view_list")
    arch = etree.fromstring(Enrolment.get_view(view.id, "list")["arch"])
    specification = {}
    for node in arch.iter("field"):
        field = Enrolment._fields[node.get("name")]
        specification[field.name] = (
            {"fields": {"display_name": {}}} if field.type == "many2one" else {}
        )
    return specification


def add_enrolments(env, bge, start, stop, today):
    """Enrolments ``start`` .. ``stop - 1`` with their person and one workshop each."""
    Partner, Enrolment = env["res.partner"], env["activcrea.enrolment"]
    sites = bge.sites
    partners = Partner.create(
        [
            {"name": f"Porteur {index:05d}", "email": f"porteur{index}@example.org"}
            for index in range(start, stop)
        ]
    )
    Enrolment.create(
        [
            {
                "partner_id": partner.id,
                "ods_id": bge.ods.id,
                "resource_id": bge.resource.id,
                "site_id": sites[index % len(sites)].id,
                "start_date": today - timedelta(days=index % 120),
                "order_number": f"2026{index:06d}",
                "confirmation": "confirmed",
                "diagnostic_outcome": "continued" if index % 3 else False,
            }
            for index, partner in zip(range(start, stop), partners, strict=True)
        ]
    )
    workshop = bge.steps["workshop"]
    events = env["calendar.event"].create(
        [
            {
                "name": f"Atelier {first}",
                "start": datetime.combine(today, datetime.min.time())
                + timedelta(days=(first // PER_WORKSHOP) % 60 - 30, hours=9),
                "stop": datetime.combine(today, datetime.min.time())
                + timedelta(days=(first // PER_WORKSHOP) % 60 - 30, hours=11),
                "user_id": False,
                "partner_ids": [(6, 0, partners[first - start : first - start + PER_WORKSHOP].ids)],
                "activcrea_ods_id": bge.ods.id,
                "activcrea_step_id": workshop.id,
                "activcrea_resource_id": bge.resource.id,
                "activcrea_site_id": sites[(first // PER_WORKSHOP) % len(sites)].id,
            }
            for first in range(start, stop, PER_WORKSHOP)
        ]
    )
    attended = events.attendee_ids.filtered(lambda attendee: attendee.partner_id.id % 2)
    attended.write({"activcrea_attended": "yes"})
    analyze(env, "activcrea_enrolment", "calendar_attendee", "calendar_event", "res_partner")


def load(env, domain, specification, limit):
    result = env["activcrea.enrolment"].web_search_read(domain, specification, limit=limit)
    return result["length"], len(result["records"])


def main():
    parser = sizes_argument_parser(__doc__.splitlines()[0], "100,10000", "enrolment", sites=50)
    args = parser.parse_args()

    with bge_environment(args) as (env, bge):
        domain = dashboard_domain(env)
        specification = list_specification(env)
        today = date.today()
        print(f"domain: {domain}")
        print(f"fields: {', '.join(specification)}")
        results = []
        done = 0
        for size in args.sizes:
            with Timer(f"enrolments up to {size}"):
                add_enrolments(env, bge, done, size, today)
            done = size
            expected = env["activcrea.enrolment"].search_count(
                domain + [("company_id", "=", bge.company.id)]
            )
            for limit in (80, None):
                result = measure(
                    env,
                    lambda limit=limit: load(env, domain, specification, limit),
                    args.repeat,
                    not args.no_memory,
                )
                length, records = result["result"]
                assert length == expected and records == min(limit or size, expected), (
                    length,
                    records,
                    expected,
                )
                results.append((size, limit, result))

        print()
        print(f"Dashboard web_search_read, median of {args.repeat} runs")
        table(
            ["enrolments", "limit", "records", "time", "queries", "peak"],
            [
                [
                    size,
                    limit or "none",
                    result["result"][1],
                    f"{result['time'] * 1000:.0f} ms",
                    result["queries"],
                    mib(result["peak"]),
                ]
                for size, limit, result in results
            ],
        )
        print()
        for limit in (80, None):
            counts = {size: result["queries"] for size, lim, result in results if lim == limit}
            same = len(set(counts.values())) == 1
            print(
                f"goal same query count for every size, limit={limit or 'none'}: "
                f"{', '.join(f'{q} ({s})' for s, q in counts.items())} "
                f"-> {'OK' if same else 'NOT MET'}"
            )


if __name__ == "__main__":
    main()
