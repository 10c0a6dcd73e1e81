"""Import of France Travail's registrant list vs Odoo's base_import of the same people.

    python3 benchmarks/bench_import.py --db activcrea_bench [--rows 5000] [--sites 50]

A validated list (J-2) of ``--rows`` distinct registrants over ``--sites`` sites is
built in the layout of static/tests/data/liste_inscrits_J-2.csv (UTF-8 with BOM, ';', CRLF).

(a) ours: ``activcrea.import`` create + ``action_preview`` + ``action_confirm``
    (people, meetings to assign, participants, enrolments, import lines);
(b) Odoo: ``base_import.import.execute_import`` of the same file into res.partner,
    name (first + last: one extra "Nom complet" column), e-mail and phone, as the
    import dialog does with its default options (in one batch).
Each run is undone (savepoint); everything is rolled back at the end.
"""

import base64
import csv
import io
import unicodedata
from datetime import date, datetime, timedelta

from _common import (
    MARKET,
    PROVIDER,
    SIRET,
    Timer,
    argument_parser,
    environment,
    make_bge,
    measure,
    mib,
    site_address,
    table,
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


def ours(env, bge, content):
    batch = env["activcrea.import"].create(
        {
            "resource_id": bge.resource.id,
            "file": base64.b64encode(content),
            "filename": "liste_inscrits_J-2.csv",
        }
    )
    batch.action_preview()
    batch.action_confirm()
    return batch.state, batch.count_new, batch.log


def odoo_import(env, content):
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
    }
    result = wizard.execute_import(fields, columns, options)
    return len(result.get("ids") or []), result.get("messages")


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--month", default="2026-02", help="YYYY-MM of the meetings")
    parser.set_defaults(repeat=1)
    args = parser.parse_args()
    month_start = date.fromisoformat(args.month + "-01")

    with environment(args) as env:
        with Timer(f"BGE with {args.sites} sites"):
            env, bge = make_bge(env, sites=args.sites)
        content = registrants_csv(args.rows, args.sites, month_start)
        partner_content = registrants_csv(
            args.rows, args.sites, month_start, extra_name_column=True
        )

        def run_ours():
            state, count_new, log = ours(env, bge, content)
            assert state == "done" and count_new == args.rows, (state, count_new, log)

        def run_odoo():
            count, messages = odoo_import(env, partner_content)
            assert count == args.rows and not messages, (count, messages)

        print(f"measuring ours ({args.repeat} run(s) + 1 traced)...", flush=True)
        mine = measure(env, run_ours, args.repeat, not args.no_memory, undo=True)
        print(f"measuring base_import ({args.repeat} run(s) + 1 traced)...", flush=True)
        theirs = measure(env, run_odoo, args.repeat, not args.no_memory, undo=True)

        print()
        print(
            f"Import of {args.rows} registrants over {args.sites} sites "
            f"({len(content) // 1024} KiB), "
            f"median of {args.repeat} run(s)"
        )
        rows = []
        for label, result in (("ours (activcrea.import)", mine), ("odoo (base_import)", theirs)):
            rows.append(
                [
                    label,
                    f"{result['time']:.2f} s",
                    f"{args.rows / result['time']:.0f}",
                    result["queries"],
                    f"{result['queries'] / args.rows:.2f}",
                    mib(result["peak"]),
                ]
            )
        table(["", "time", "rows/s", "queries", "queries/row", "peak"], rows)
        ratio = mine["time"] / theirs["time"]
        per_row = mine["queries"] / args.rows
        print()
        print(f"ours / base_import time: {ratio:.2f}")
        print(
            f"goal ours <= 1.0 x base_import: {ratio:.2f} -> {'OK' if ratio <= 1.0 else 'NOT MET'}"
        )
        print(
            f"goal <= 1 SQL query per row: {per_row:.2f} -> {'OK' if per_row <= 1.0 else 'NOT MET'}"
        )


if __name__ == "__main__":
    main()
