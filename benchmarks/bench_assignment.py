"""Proposals of the assignment (registrants whose meeting has no counselor) as the table does.

    python3 benchmarks/bench_assignment.py --db activcrea_bench [--sizes 50,500]

A BGE with 50 sites and 30 counselors (each working at 2 sites), each counselor with 4
one-hour first-step slots a day over two weeks, every third one already holding a
registrant. Registrants are added, as the import leaves them when no slot was free (a
meeting with no organizer, marked « to assign », spread over the sites, the days and the
hours), until each size of ``--sizes`` is reached. Measured for each size:

- ``proposals``: reading the meetings, the counselors and their agendas, and ranking (the
  work that must not grow in queries with the registrants);
- ``table``: ``action_show``, the same plus the rows and proposals written to the table.

Everything is rolled back at the end.
"""

from datetime import datetime, timedelta

from _common import (
    Timer,
    bge_environment,
    analyze,
    create_counselors,
    measure,
    mib,
    sizes_argument_parser,
    table,
)

COUNSELORS = 30
SITES_PER_COUNSELOR = 2
DAYS = 10
SLOTS_A_DAY = (9, 10, 14, 15)  # local hours (UTC + 1 in winter)
MONDAY = datetime(2031, 3, 3)


def workday(index):
    """The ``index``-th working day from MONDAY (two weeks, no week-end)."""
    return MONDAY + timedelta(days=index // 5 * 7 + index % 5)


def add_counselors(env, bge):
    from odoo import Command  # noqa: PLC0415

    sites = bge.sites
    users = create_counselors(
        env,
        bge.company,
        [
            (
                f"Conseiller {index:02d}",
                f"bench_assign_{index}",
                [
                    sites[(index * SITES_PER_COUNSELOR + k) % len(sites)].id
                    for k in range(SITES_PER_COUNSELOR)
                ],
            )
            for index in range(COUNSELORS)
        ],
    )
    person = env["res.partner"].create({"name": "Déjà inscrit"})
    step = bge.steps["diagnostic"]
    values = []
    for index, user in enumerate(users):
        for day in range(DAYS):
            site = user.activcrea_site_ids[day % SITES_PER_COUNSELOR]
            for rank, hour in enumerate(SLOTS_A_DAY):
                start = workday(day) + timedelta(hours=hour - 1)
                attendees = [user.partner_id.id]
                if (index + day + rank) % 3 == 0:
                    attendees.append(person.id)
                values.append(
                    {
                        "name": "Entretien initial",
                        "start": start,
                        "stop": start + timedelta(hours=1),
                        "user_id": user.id,
                        "partner_ids": [Command.set(attendees)],
                        "activcrea_ods_id": bge.ods.id,
                        "activcrea_step_id": step.id,
                        "activcrea_resource_id": bge.resource.id,
                        "activcrea_site_id": site.id,
                    }
                )
    env["calendar.event"].create(values)
    return users


def add_registrants(env, bge, start, stop):
    """Registrants ``start`` .. ``stop - 1`` with their meeting to assign."""
    from odoo import Command  # noqa: PLC0415

    partners = env["res.partner"].create(
        [{"name": f"INSCRIT {index:04d}"} for index in range(start, stop)]
    )
    step = bge.steps["diagnostic"]
    hours = (9, 10, 11, 14, 15, 16)
    values = []
    for index, partner in zip(range(start, stop), partners, strict=True):
        begin = workday(index % DAYS) + timedelta(hours=hours[index % len(hours)] - 1)
        values.append(
            {
                "name": f"Entretien initial - {partner.name}",
                "start": begin,
                "stop": begin + timedelta(hours=1),
                "user_id": False,
                "partner_ids": [Command.set(partner.ids)],
                "activcrea_ods_id": bge.ods.id,
                "activcrea_step_id": step.id,
                "activcrea_resource_id": bge.resource.id,
                "activcrea_site_id": bge.sites[index % len(bge.sites)].id,
                "activcrea_import_created": True,
                "activcrea_to_assign": True,
            }
        )
    env["calendar.event"].create(values)
    analyze(env, "calendar_event", "calendar_event_res_partner_rel", "res_partner")


def main():
    parser = sizes_argument_parser(__doc__.splitlines()[0], "50,500", "registrant", sites=50)
    args = parser.parse_args()

    with bge_environment(args) as (env, bge):
        with Timer(f"{COUNSELORS} counselors and their slots"):
            add_counselors(env, bge)
        Wizard = env["activcrea.assignment"]
        results = []
        done = 0
        for size in args.sizes:
            with Timer(f"registrants up to {size}"):
                add_registrants(env, bge, done, size)
            done = size
            wizard = Wizard.create({"resource_id": bge.resource.id})

            def proposals(wizard=wizard, size=size):
                _events, rows, ranked = wizard._proposals()
                assert len(rows) == size and len(ranked) == size, (len(rows), size)
                return sum(1 for items in ranked.values() if items), sum(map(len, ranked.values()))

            def show(wizard=wizard, size=size):
                wizard.action_show()
                assert len(wizard.line_ids) == size
                return len(wizard.line_ids.proposal_ids)

            measure(env, proposals, 1, False)  # warm Odoo's caches (groups, rules)
            ranked = measure(env, proposals, args.repeat, not args.no_memory)
            shown = measure(env, show, args.repeat, not args.no_memory, undo=True)
            results.append((size, ranked, shown))

        print()
        print(f"Assignment proposals, {COUNSELORS} counselors, median of {args.repeat} runs")
        table(
            ["registrants", "with a proposal", "proposals", "step", "time", "queries", "peak"],
            [
                row
                for size, ranked, shown in results
                for row in (
                    [
                        size,
                        ranked["result"][0],
                        ranked["result"][1],
                        "proposals",
                        f"{ranked['time'] * 1000:.0f} ms",
                        ranked["queries"],
                        mib(ranked["peak"]),
                    ],
                    [
                        size,
                        "",
                        shown["result"],
                        "table",
                        f"{shown['time'] * 1000:.0f} ms",
                        shown["queries"],
                        mib(shown["peak"]),
                    ],
                )
            ],
        )
        print()
        counts = {size: ranked["queries"] for size, ranked, _shown in results}
        same = len(set(counts.values())) == 1
        print(
            "goal same query count for the proposals at every size: "
            f"{', '.join(f'{q} ({s})' for s, q in counts.items())} "
            f"-> {'OK' if same else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
