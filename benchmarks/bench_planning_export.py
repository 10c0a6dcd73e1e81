"""France Travail planning export vs Odoo's "export all" to xlsx of the same slots.

    python3 benchmarks/bench_planning_export.py --db activcrea_bench [--slots 10000]
        [--small 1000] [--sites 50]

First-step slots of one hour are spread over ``--sites`` sites (one counselor per site
by default), 8:00-18:00 local time, over the 31 days of ``--month``. The export is
measured twice: once the first ``--small`` slots exist, then with all ``--slots``.

(a) ours: ``activcrea.planning`` create + ``_rows()`` + ``build_france_travail_workbook``;
(b) Odoo: what /web/export/xlsx does for "export all" (not import-compatible): search
    the same domain, ``export_data`` of the same columns, ``ExcelExport.from_data``.
Everything is rolled back at the end.
"""

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from _common import (
    Timer,
    argument_parser,
    bge_environment,
    fake_request,
    measure,
    mib,
    table,
)

HOURS = range(8, 18)  # local start hours: ten 1-hour slots a day
DAYS = 31
# Odoo's side: the columns of the France Travail file (the site is its sheet there).
EXPORT_FIELDS = [
    "activcrea_site_id",
    "start",
    "stop",
    "activcrea_site_id/address_ids/name",
    "activcrea_mode",
    "user_id",
]


def slot_starts(first_day, count):
    """The first ``count`` (naive UTC) starts of one counselor: day by day, hour by hour."""
    paris, utc = ZoneInfo("Europe/Paris"), ZoneInfo("UTC")
    starts = []
    for rank in range(count):
        day, hour = divmod(rank, len(HOURS))
        local = datetime.combine(first_day + timedelta(days=day), time(HOURS[hour]), paris)
        starts.append(local.astimezone(utc).replace(tzinfo=None))
    return starts


def create_slots(env, bge, first_day, per_site_from, per_site_to, batch=2000):
    """Slots ranked [per_site_from, per_site_to) of every site, counselors taking turns."""
    step = bge.steps["diagnostic"]
    vals_list = []
    for site in bge.sites:
        counselors = bge.counselors[site.id]
        per_counselor = math.ceil(per_site_to / len(counselors))
        starts = {user.id: slot_starts(first_day, per_counselor) for user in counselors}
        for rank in range(per_site_from, per_site_to):
            user = counselors[rank % len(counselors)]
            start = starts[user.id][rank // len(counselors)]
            vals_list.append(
                {
                    "name": f"Diagnostic {site.name}",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": user.id,
                    "partner_ids": [(6, 0, user.partner_id.ids)],
                    "activcrea_ods_id": bge.ods.id,
                    "activcrea_step_id": step.id,
                    "activcrea_resource_id": bge.resource.id,
                    "activcrea_site_id": site.id,
                    "activcrea_mode": "remote" if rank % 5 == 0 else "onsite",
                }
            )
    Event = env["calendar.event"]
    for index in range(0, len(vals_list), batch):
        Event.create(vals_list[index : index + batch])
    env.flush_all()
    return len(vals_list)


def ours(env, period):
    from odoo.addons.activcrea_odoo.rules.exports import build_france_travail_workbook  # noqa: PLC0415

    rows = env["activcrea.planning"].create(period)._rows()
    return len(rows), build_france_travail_workbook(rows)


def odoo_export(env, domain):
    """What ExcelExport.base does with {domain, fields, import_compat: False}."""
    from odoo.addons.web.controllers.export import ExcelExport  # noqa: PLC0415

    Model = env["calendar.event"].with_context(import_compat=False)
    fields_info = Model.fields_get([path.split("/")[0] for path in EXPORT_FIELDS])
    fields = [
        {
            "name": path,
            "label": fields_info[path.split("/")[0]]["string"]
            + ("" if "/" not in path else " / Adresse"),
            "type": fields_info[path.split("/")[0]]["type"],
        }
        for path in EXPORT_FIELDS
    ]
    records = Model.search(domain, offset=0, limit=False, order=False)
    datas = records.export_data(EXPORT_FIELDS).get("datas", [])
    with fake_request(env):
        content = ExcelExport().from_data(fields, [field["label"] for field in fields], datas)
    return len(datas), content


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=10000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--counselors-per-site", type=int, default=1)
    parser.add_argument("--month", default="2026-01", help="YYYY-MM of the 31-day period")
    args = parser.parse_args()
    per_site = math.ceil(args.slots / args.sites)
    small_per_site = math.ceil(args.small / args.sites)
    capacity = DAYS * len(HOURS) * args.counselors_per_site
    if per_site > capacity:
        parser.error(f"{per_site} slots a site exceed {capacity}: raise --counselors-per-site")
    first_day = date.fromisoformat(args.month + "-01")
    period = {"date_from": first_day, "date_to": first_day + timedelta(days=DAYS - 1)}

    with bge_environment(args, counselors_per_site=args.counselors_per_site) as (env, bge):
        domain = env["activcrea.planning"].create(period)._domain()
        results = []
        done = 0
        for target in (small_per_site, per_site):
            with Timer(f"slots up to {target} a site"):
                create_slots(env, bge, first_day, done, target)
            done = target
            count = env["calendar.event"].search_count(domain)
            mine = measure(env, lambda: ours(env, period), args.repeat, not args.no_memory)
            theirs = measure(env, lambda: odoo_export(env, domain), args.repeat, not args.no_memory)
            assert mine["result"][0] == count, (mine["result"][0], count)
            assert theirs["result"][0] == count, (theirs["result"][0], count)
            results.append((count, mine, theirs))

        print()
        print(
            f"Planning export, {args.sites} sites, "
            f"period {period['date_from']} - {period['date_to']}, "
            f"median of {args.repeat} runs"
        )
        rows = []
        for count, mine, theirs in results:
            rows.append(
                [
                    f"{count} slots",
                    f"{mine['time']:.3f} s",
                    f"{theirs['time']:.3f} s",
                    f"{mine['time'] / theirs['time']:.2f}",
                    mine["queries"],
                    theirs["queries"],
                    mib(mine["peak"]),
                    mib(theirs["peak"]),
                    f"{len(mine['result'][1]) // 1024} KiB",
                    f"{len(theirs['result'][1]) // 1024} KiB",
                ]
            )
        table(
            [
                "",
                "ours",
                "odoo xlsx",
                "ours/odoo",
                "queries ours",
                "queries odoo",
                "peak ours",
                "peak odoo",
                "file ours",
                "file odoo",
            ],
            rows,
        )
        (small, mine_small, _), (large, mine_large, theirs_large) = results[0], results[-1]
        ratio = mine_large["time"] / theirs_large["time"]
        print()
        print(
            f"goal ours <= 0.5 x odoo at {large} slots: {ratio:.2f} -> "
            f"{'OK' if ratio <= 0.5 else 'NOT MET'}"
        )
        same = mine_small["queries"] == mine_large["queries"]
        print(
            f"goal queries independent of the slot count: {mine_small['queries']} ({small}) vs "
            f"{mine_large['queries']} ({large}) -> {'OK' if same else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
