"""Import of France Travail's registrant list vs Odoo's base_import of the same people.

    python3 benchmarks/bench_import.py --db activcrea_bench [--rows 5000] [--sites 50]
        [--cases planned,unplanned,preview,reimport] [--profile CASE] [--no-memory]
        [--confirm-elsewhere]

A validated list (J-2) of ``--rows`` distinct registrants over ``--sites`` sites is
built in the layout of static/tests/data/liste_inscrits_J-2.csv (UTF-8 with BOM, ';', CRLF).
Two BGEs receive it: one where every row finds a free planned slot (one per site and
hour, held by the site's counselor), one with no slot at all.

Ours (``activcrea.import`` create + ``action_preview`` [+ ``action_confirm``]), four cases:
1. planned: every row lands on a free slot (preview + confirm), vs base_import;
2. unplanned: every row gets a meeting to assign (preview + confirm), vs base_import;
3. preview alone, vs base_import's dry run (``dryrun: True``);
4. re-import of the same file into the planned BGE, everything unchanged, vs base_import.
Odoo: ``base_import.import.execute_import`` of the same file into res.partner, name
(first + last: one extra "Nom complet" column), e-mail and phone, as the import dialog
does with its default options (in one batch).
Each run is undone (savepoint); everything is rolled back at the end. ``--profile CASE``
prints a cProfile of one more run of that case (top 15 by cumulative time;
``BENCH_PROFILE_TOP`` and ``BENCH_PROFILE_FILE`` change the count and keep the stats).
What a confirmed import starts afterwards (``_activcrea_after_import``: portal access and
questionnaires for the people written) is left out unless ``--with-after-import``.
Each run's preview reads its file as a new upload; the confirmation reads the rows the
preview read, as in one server process, or reads the file again with
``--confirm-elsewhere``, as another worker process of the server would.
"""

import base64
import contextlib
import csv
import io
import os
import unicodedata
from datetime import date, datetime, timedelta
from unittest import mock

from _common import (
    MARKET,
    PROVIDER,
    SIRET,
    Timer,
    analyze,
    argument_parser,
    environment,
    make_bge,
    measure,
    mib,
    savepoint,
    site_address,
    table,
    traced_peak,
)


def standard_headers():
    """France Travail's header line, as the addon knows it (importable once Odoo is set up)."""
    from odoo.addons.activcrea_odoo.rules.prestappli import STANDARD_HEADERS

    return list(STANDARD_HEADERS)


LASTNAMES = """MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON
MICHEL LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT
FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER
CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY
ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER
DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD
MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE
AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC
PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY""".split()
FIRSTNAMES = """Camille Karim Thi-Lan Jean-Émile Léa Hugo Chloé Lucas Inès Nathan Manon Louis
Jade Gabriel Zoé Arthur Sarah Jules Emma Adam Lina Raphaël Louise Mohamed Alice Noé
Anaïs Théo Clara Yanis Élodie Maxime Julie Antoine Laura Thomas Pauline Nicolas Céline
Sébastien Aurélie Julien Amandine Mathieu Sandrine Olivier Nadia Mehdi Fatima Rachid
Sophie Pierre Marie Paul Hélène Bruno Agnès Cédric Valérie François""".split()


def ascii_slug(text):
    plain = unicodedata.normalize("NFKD", text)
    return "".join(char for char in plain if char.isalnum() and char.isascii()).lower()


def person(index):
    """Distinct people: (last name, first name, France Travail id, email, phone, birthdate)."""
    last = LASTNAMES[index % len(LASTNAMES)]
    first = FIRSTNAMES[(index // len(LASTNAMES)) % len(FIRSTNAMES)]
    if index >= len(LASTNAMES) * len(FIRSTNAMES):
        last = f"{last}-{LASTNAMES[index // (len(LASTNAMES) * len(FIRSTNAMES))]}"
    ft_id = f"{(1234567 + index * 7919) % 10_000_000:07d}{chr(ord('A') + index % 26)}"
    email = f"{ascii_slug(first)}.{ascii_slug(last)}.{index}@example.org"
    pairs = (index // 1000000 % 100, index // 10000 % 100, index // 100 % 100, index % 100)
    phone = "06 " + " ".join(f"{pair:02d}" for pair in pairs)
    birthdate = date(1960, 1, 1) + timedelta(days=(index * 37) % 15000)
    return last, first, ft_id, email, phone, birthdate


def registrants_csv(rows, sites, month_start, extra_name_column=False):
    """The list's bytes: ``rows`` people spread over sites 1..``sites``, one meeting a
    site per hour (9:00-17:00 local) day after day, so no (site, start) repeats."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(standard_headers() + (["Nom complet"] if extra_name_column else []))
    received = (month_start - timedelta(days=2)).strftime("%d/%m/%Y")
    for index in range(rows):
        site, rank = index % sites + 1, index // sites
        day, hour = divmod(rank, 8)
        meeting = datetime.combine(
            month_start + timedelta(days=day), datetime.min.time()
        ) + timedelta(hours=9 + hour)
        address, zip_code, city = site_address(site)
        last, first, ft_id, email, phone, birthdate = person(index)
        row = [
            MARKET,
            "3",
            "ACTIV'CREA",
            PROVIDER,
            SIRET,
            f"S{site:02d}",
            meeting.strftime("%d/%m/%Y %H:%M"),
            address,
            zip_code,
            city,
            "Présentiel" if index % 5 else "À distance",
            received,
            "Mme" if index % 2 else "M.",
            last,
            first,
            ft_id,
            f"2026{index:06d}",
            email,
            phone,
            birthdate.strftime("%d/%m/%Y"),
            f"CONSEILLER {index % 40:02d} - 59{index % 90:03d} {city}",
        ]
        if extra_name_column:
            row.append(f"{first} {last}")
        writer.writerow(row)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def ours(env, bge, content, confirm=True, confirm_elsewhere=False):
    """Import ``content`` as a manager does: upload, preview, confirm."""
    batch = preview(env, bge.resource.id, content)
    if confirm:
        confirm_import(batch, confirm_elsewhere)
    return batch


def preview(env, resource_id, content):
    """Upload ``content`` and preview it. Each run reads its file afresh, as a file just
    uploaded is: the rows the previous runs read are forgotten."""
    _forget_files()
    batch = env["activcrea.import"].create(
        {
            "resource_id": resource_id,
            "file": base64.b64encode(content),
            "filename": "liste_inscrits_J-2.csv",
        }
    )
    batch.action_preview()
    return batch


def confirm_import(batch, elsewhere=False):
    """Confirm ``batch``: in the preview's process, it reads the rows the preview read
    (prestappli.read_registrants_shared); ``elsewhere``, it reads the file again, as
    another worker process of the server would."""
    if elsewhere:
        _forget_files()
    batch.action_confirm()


def _forget_files():
    from odoo.addons.activcrea_odoo.rules import prestappli  # noqa: PLC0415

    prestappli.read_registrants_shared_forget()


def add_import_arguments(parser):
    """The options of both import benchmarks: the list, and where it is confirmed."""
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument(
        "--month",
        default="2026-02",
        type=lambda text: date.fromisoformat(text + "-01"),
        help="YYYY-MM of the meetings",
    )
    parser.add_argument(
        "--confirm-elsewhere",
        action="store_true",
        help="the confirmation reads the file again, as when another worker process of "
        "the server receives it (by default it reads the rows the preview read)",
    )


def two_bges(env, rows, sites, month_start):
    """The two BGEs of the cases: one whose counselors hold a free slot for each row,
    one with no slot. Returns ``(env, planned, env of unplanned, unplanned)``."""
    env, planned = make_bge(env, sites=sites, counselors_per_site=1)
    env_unplanned, unplanned = make_bge(env, sites=sites)
    plan_slots(env, planned, rows, sites, month_start)
    return env, planned, env_unplanned, unplanned


def plan_slots(env, bge, rows, sites, month_start):
    """The slots the BGE exported and France Travail booked: one free first-step slot
    per row (site, time), held by the site's counselor."""
    slot_minutes = env["calendar.event"]._activcrea_slot_minutes()
    step = bge.ods.first_step_id
    values = []
    for index in range(rows):
        site_index, rank = index % sites, index // sites
        day, hour = divmod(rank, 8)
        local = datetime.combine(month_start + timedelta(days=day), datetime.min.time())
        start = local + timedelta(hours=9 + hour - 1)  # Paris in winter: UTC + 1
        site = bge.sites[site_index]
        counselor = bge.counselors[site.id][0]
        values.append(
            {
                "name": f"Diagnostic {site.name}",
                "start": start,
                "stop": start + timedelta(minutes=slot_minutes),
                "user_id": counselor.id,
                "partner_ids": [(6, 0, counselor.partner_id.ids)],
                "activcrea_ods_id": bge.ods.id,
                "activcrea_step_id": step.id,
                "activcrea_resource_id": bge.resource.id,
                "activcrea_site_id": site.id,
            }
        )
    return env["calendar.event"].create(values)


def odoo_import(env, content, dryrun=False):
    wizard = env["base_import.import"].create(
        {
            "res_model": "res.partner",
            "file": content,
            "file_type": "text/csv",
            "file_name": "partenaires.csv",
        }
    )
    columns = standard_headers() + ["Nom complet"]
    mapping = {"Nom complet": "name", "Courriel": "email", "Téléphone": "phone"}
    fields = [mapping.get(column, False) for column in columns]
    options = {
        "separator": ";",
        "quoting": '"',
        "encoding": "utf-8",
        "has_headers": True,
        "date_format": "",
        "datetime_format": "",
        "float_thousand_separator": ",",
        "float_decimal_separator": ".",
        "advanced": False,
        "keep_matches": False,
        "name_create_enabled_fields": {},
        "import_set_empty_fields": [],
        "import_skip_records": [],
        "fallback_values": {},
        "skip": 0,
        "dryrun": dryrun,
    }
    result = wizard.execute_import(fields, columns, options)
    return len(result.get("ids") or []), result.get("messages")


CASES = {
    "planned": "1. planned: every row on a free slot (preview + confirm)",
    "unplanned": "2. unplanned: a meeting to assign a row (preview + confirm)",
    "preview": "3. preview alone (base_import: dry run)",
    "reimport": "4. re-import of the same file, nothing changed",
}
GOALS = {"planned": 1.0, "unplanned": 1.0, "preview": 0.5, "reimport": 0.3}
# the tables both imports read and write
ANALYZED = (
    "res_partner",
    "calendar_event",
    "calendar_attendee",
    "calendar_event_res_partner_rel",
    "activcrea_enrolment",
    "activcrea_import",
    "activcrea_import_line",
    "mail_followers",
)


def profile_case(env, func, label):
    """cProfile of one more run of ``func``, undone."""
    with savepoint(env, "profile"):
        env.invalidate_all()
        profile(lambda: (func(), env.flush_all()), label)


def profile(func, label):
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    if os.environ.get("BENCH_PROFILE_FILE"):
        profiler.dump_stats(os.environ["BENCH_PROFILE_FILE"])
    print(f"\nprofile of {label} (cProfile, top 15 by cumulative time)")
    # Odoo and the addon only (not this script's own frames)
    top = int(os.environ.get("BENCH_PROFILE_TOP", 15))
    pstats.Stats(profiler).sort_stats("cumulative").print_stats("odoo", top)


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    add_import_arguments(parser)
    parser.add_argument(
        "--cases", default=",".join(CASES), help="comma-separated among " + ", ".join(CASES)
    )
    parser.add_argument(
        "--profile", choices=list(CASES), help="also print a cProfile of this case (one run)"
    )
    parser.add_argument(
        "--with-after-import",
        action="store_true",
        help="also run what a confirmed import starts (portal access, questionnaires: "
        "_activcrea_after_import); left out by default, the import's own work is measured",
    )
    parser.set_defaults(repeat=1)
    args = parser.parse_args()
    month_start = args.month
    cases = [case for case in args.cases.split(",") if case]

    with environment(args) as env, contextlib.ExitStack() as stack:
        Import = type(env["activcrea.import"])
        if not args.with_after_import and hasattr(Import, "_activcrea_after_import"):
            stack.enter_context(
                mock.patch.object(Import, "_activcrea_after_import", lambda self: None)
            )
        with Timer(f"two BGEs with {args.sites} sites, {args.rows} free slots in the planned one"):
            env, planned, env_unplanned, unplanned = two_bges(
                env, args.rows, args.sites, month_start
            )
        # Statistics of the data as it stands, as autovacuum keeps them on a live
        # database: left as a previous run or autovacuum left them, the planner can take
        # a table holding thousands of rows in this transaction for an empty one (and
        # the same run then took 9 s or 19 s).
        analyze(env, *ANALYZED)
        env_of = {"planned": env, "unplanned": env_unplanned}
        bge_of = {"planned": planned, "unplanned": unplanned}
        content = registrants_csv(args.rows, args.sites, month_start)
        partner_content = registrants_csv(
            args.rows, args.sites, month_start, extra_name_column=True
        )
        rows = args.rows

        def run_case(case):
            kind = "unplanned" if case == "unplanned" else "planned"
            batch = ours(
                env_of[kind],
                bge_of[kind],
                content,
                confirm=case != "preview",
                confirm_elsewhere=args.confirm_elsewhere,
            )
            if case == "preview":
                expected = ("preview", rows, 0)
            elif case == "reimport":
                expected = ("done", 0, rows)
            else:
                expected = ("done", rows, 0)
            got = (batch.state, batch.count_new, batch.count_unchanged)
            assert got == expected, (case, got, batch.log)

        def run_odoo(dryrun=False):
            count, messages = odoo_import(env, partner_content, dryrun=dryrun)
            assert count == rows and not messages, (count, messages)

        # Every run is rolled back to a savepoint, but its rows stay behind, dead, until the
        # transaction ends, and slow down the next runs: all the timed runs come first (the
        # cases in the order given), then the traced runs (memory) and the profile.
        results, funcs = {}, {}
        memory = not args.no_memory
        print("measuring base_import (import, then dry run)...", flush=True)
        odoo_full = measure(env, run_odoo, args.repeat, False, undo=True)
        odoo_dry = measure(env, lambda: run_odoo(dryrun=True), args.repeat, False, undo=True)
        for case in cases:
            print(f"measuring ours: {CASES[case]}...", flush=True)
            funcs[case] = lambda case=case: run_case(case)
            if case != "reimport":
                results[case] = measure(env, funcs[case], args.repeat, False, undo=True)
                continue
            # the first import is kept for the re-import, then undone with it
            with savepoint(env, "first_import"):
                run_case("planned")
                env.flush_all()
                results[case] = measure(env, funcs[case], args.repeat, False, undo=True)
                if memory:
                    results[case]["peak"] = traced_peak(env, funcs[case], undo=True)
                if args.profile == case:
                    profile_case(env, funcs[case], CASES[case])
        if memory:
            print("peak memory (one traced run each)...", flush=True)
            odoo_full["peak"] = traced_peak(env, run_odoo, undo=True)
            odoo_dry["peak"] = traced_peak(env, lambda: run_odoo(dryrun=True), undo=True)
            for case in cases:
                if case != "reimport":
                    results[case]["peak"] = traced_peak(env, funcs[case], undo=True)
        if args.profile in funcs and args.profile != "reimport":
            profile_case(env, funcs[args.profile], CASES[args.profile])

        print()
        print(
            f"Import of {rows} registrants over {args.sites} sites ({len(content) // 1024} KiB), "
            f"median of {args.repeat} run(s); load average {os.getloadavg()[0]:.2f}; "
            f"after-import work (portal, questionnaires) "
            f"{'included' if args.with_after_import else 'left out'}; the confirmation "
            f"{'reads the file again' if args.confirm_elsewhere else 'reads the rows the preview read'}"
        )
        lines = []
        for label, result in (("base_import", odoo_full), ("base_import dry run", odoo_dry)):
            lines.append(
                [
                    label,
                    f"{result['time']:.2f} s",
                    "",
                    f"{result['queries'] / rows:.3f}",
                    mib(result["peak"]),
                    "",
                    "",
                ]
            )
        verdicts = []
        for case in cases:
            result = results[case]
            reference = odoo_dry if case == "preview" else odoo_full
            ratio = result["time"] / reference["time"]
            per_row = result["queries"] / rows
            peak_ratio = (
                result["peak"] / reference["peak"] if result["peak"] and reference["peak"] else None
            )
            ok = (
                ratio <= GOALS[case]
                and per_row <= 0.2
                and (peak_ratio is None or peak_ratio <= 2.0)
            )
            verdicts.append(ok)
            lines.append(
                [
                    CASES[case],
                    f"{result['time']:.2f} s",
                    f"{ratio:.2f} (goal {GOALS[case]})",
                    f"{per_row:.3f}",
                    mib(result["peak"]),
                    "-" if peak_ratio is None else f"{peak_ratio:.2f}",
                    "OK" if ok else "NOT MET",
                ]
            )
        table(["", "time", "ratio", "queries/row", "peak", "peak ratio", "goal"], lines)
        print()
        print("goals: time ratio as shown, <= 0.2 query a row, peak <= 2 x base_import's")
        print(f"{sum(verdicts)} of {len(verdicts)} cases met")


if __name__ == "__main__":
    main()
