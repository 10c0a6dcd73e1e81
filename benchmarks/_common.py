"""Shared plumbing of the benchmarks: database, Odoo environment, measures, tables.

Every benchmark opens the registry in-process, builds its data in one transaction,
measures, prints a table and rolls the transaction back: the database is left as found.
"""

import argparse
import contextlib
import gc
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
ODOO_ROOT = Path(os.environ.get("ODOO_ROOT", "/opt/odoo18"))
DEFAULT_ADDONS = f"{ODOO_ROOT / 'addons'},{ODOO_ROOT / 'odoo' / 'addons'},{ROOT}"
MODULES = ("activcrea_odoo", "base_import")


def argument_parser(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", required=True, help="database (created with the addon if missing)")
    parser.add_argument("--addons-path", default=os.environ.get("ODOO_ADDONS_PATH", DEFAULT_ADDONS))
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per measure (median kept)"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    return parser


def _sizes(text):
    return sorted(int(size) for size in text.split(","))


def sizes_argument_parser(description, sizes, what, sites=None):
    """``argument_parser`` with ``--sizes`` (``args.sizes``: the counts of ``what`` to
    reach, in increasing order) and, given its default, ``--sites``."""
    parser = argument_parser(description)
    parser.add_argument(
        "--sizes", default=sizes, type=_sizes, help=f"comma separated {what} counts"
    )
    if sites is not None:
        parser.add_argument("--sites", type=int, default=sites)
    return parser


# Database ------------------------------------------------------------------------------


def _missing_modules(db):
    """Modules of MODULES not installed in ``db``, or None when ``db`` does not exist."""
    try:
        cnx = psycopg2.connect(dbname=db)
    except psycopg2.OperationalError:
        return None
    try:
        with cnx.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name IN %s",
                (MODULES,),
            )
            installed = {name for (name,) in cr.fetchall()}
    except psycopg2.Error:
        return list(MODULES)
    finally:
        cnx.close()
    return [name for name in MODULES if name not in installed]


def ensure_database(db, addons_path):
    """Create ``db`` with activcrea_odoo and base_import (no demo data) unless there."""
    missing = _missing_modules(db)
    if missing == []:
        return
    action = "creating database" if missing is None else f"installing {', '.join(missing)} in"
    print(f"{action} {db} (a few minutes)...", flush=True)
    command = [
        sys.executable,
        str(ODOO_ROOT / "odoo-bin"),
        "-d",
        db,
        f"--addons-path={addons_path}",
        "-i",
        ",".join(missing or MODULES),
        "--without-demo=all",
        "--stop-after-init",
        "--workers=0",
        "--max-cron-threads=0",
        "--http-port=0",
        "--log-level=warn",
    ]
    subprocess.run(command, check=True)


def odoo_config(db, addons_path):
    """Import Odoo and set its configuration for ``db`` (the registry's database)."""
    import odoo  # noqa: PLC0415 - imported once the database exists

    odoo.tools.config.parse_config(["-d", db, f"--addons-path={addons_path}", "--log-level=warn"])
    return odoo


@contextlib.contextmanager
def copied_database(db, copy):
    """A copy ``copy`` of ``db`` (``createdb -T``: nothing may be connected to ``db``) for a
    run that commits; dropped afterwards, with the files its attachments left."""
    subprocess.run(["dropdb", "--if-exists", copy], check=True, capture_output=True)
    subprocess.run(["createdb", "-T", db, copy], check=True)
    try:
        yield copy
    finally:
        odoo = sys.modules.get("odoo")
        if odoo:
            odoo.sql_db.close_db(copy)
        subprocess.run(["dropdb", "--if-exists", copy], check=False, capture_output=True)
        if odoo:
            shutil.rmtree(odoo.tools.config.filestore(copy), ignore_errors=True)


@contextlib.contextmanager
def environment(args):
    """Yield a superuser environment on a cursor that is rolled back at the end."""
    ensure_database(args.db, args.addons_path)
    odoo = odoo_config(args.db, args.addons_path)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(args.db)
    with registry.cursor() as cr:
        try:
            yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        finally:
            cr.rollback()


@contextlib.contextmanager
def bge_environment(args, sites=None, **options):
    """``environment(args)`` holding a BGE of ``sites`` sites (default ``args.sites``):
    yields ``(env of its company, BGE)`` (see :func:`make_bge`, which ``options`` go to)."""
    sites = sites or args.sites
    with environment(args) as env:
        with Timer(f"BGE with {sites} sites"):
            env, bge = make_bge(env, sites=sites, **options)
        yield env, bge


@contextlib.contextmanager
def fake_request(env):
    """Odoo's export writer reads ``request.env``: provide one outside HTTP."""
    from odoo import http  # noqa: PLC0415

    http._request_stack.push(SimpleNamespace(env=env))  # pylint: disable=protected-access
    try:
        yield
    finally:
        http._request_stack.pop()  # pylint: disable=protected-access


@contextlib.contextmanager
def savepoint(env, name="bench"):
    """Undo everything done inside (database and caches) when leaving."""
    env.flush_all()
    env.cr.execute(f"SAVEPOINT {name}")
    try:
        yield
    finally:
        env.invalidate_all(flush=False)
        env.cr.execute(f"ROLLBACK TO SAVEPOINT {name}")
        env.cr.execute(f"RELEASE SAVEPOINT {name}")
        env.transaction.clear()


def _undone(env, undo):
    """With ``undo``, a savepoint rolled back when leaving; else nothing."""
    return savepoint(env) if undo else contextlib.nullcontext()


# Measures ------------------------------------------------------------------------------


def _one_run(env, func):
    env.invalidate_all()
    gc.collect()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    return result, elapsed, env.cr.sql_log_count - queries


def measure(env, func, repeat=3, memory=True, undo=False):
    """Run ``func`` ``repeat`` times (cold ORM cache, flushed at the end), then once
    under tracemalloc; return a dict with time (median, seconds), queries (of the
    last run: ormcaches such as system parameters are warm by then), peak (bytes,
    or None) and the result of the first run.

    With ``undo``, every run happens in a savepoint rolled back afterwards (for
    functions that write), and the result must be checked inside ``func``.
    """
    times, queries, result = [], None, None
    for _run in range(max(1, repeat)):
        with _undone(env, undo):
            value, elapsed, count = _one_run(env, func)
        times.append(elapsed)
        queries = count
        if result is None:
            result = value
    return {
        "time": statistics.median(times),
        "times": times,
        "queries": queries,
        "peak": traced_peak(env, func, undo) if memory else None,
        "result": result,
    }


def traced_peak(env, func, undo=False):
    """Peak of Python memory (bytes) of one run of ``func`` (cold ORM cache, flushed)
    under tracemalloc; with ``undo``, in a savepoint rolled back afterwards."""
    with _undone(env, undo):
        tracemalloc.start()
        try:
            _one_run(env, func)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


# Output --------------------------------------------------------------------------------


def mib(value):
    return "-" if value is None else f"{value / 2**20:.1f} MiB"


def table(headers, rows):
    """Print a plain text table (first column left aligned, others right aligned)."""
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[col]) for row in cells) for col in range(len(headers))]

    def line(row):
        return "  ".join(
            cell.ljust(widths[col]) if col == 0 else cell.rjust(widths[col])
            for col, cell in enumerate(row)
        )

    print(line(cells[0]))
    print("  ".join("-" * width for width in widths))
    for row in cells[1:]:
        print(line(row))


class Timer:
    """Print how long a setup step took."""

    def __init__(self, label):
        self.label = label
        self.start = None

    def __enter__(self):
        print(f"setup: {self.label}...", end=" ", flush=True)
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        print(f"{time.perf_counter() - self.start:.1f} s", flush=True)


# A configured BGE ----------------------------------------------------------------------

QUIET = {
    "tracking_disable": True,
    "no_mail_to_attendees": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
}
SIRET = "41234567800021"
MARKET = "MA-2025-0042"
PROVIDER = "BGE BENCH"


def analyze(env, *table_names):
    """Flush, then fresh statistics, as autovacuum would give a live database: rows
    inserted in this transaction are otherwise unknown to the planner (estimated at 1 row)."""
    env.flush_all()
    for table_name in table_names:
        env.cr.execute(f"ANALYZE {table_name}")


def create_counselors(env, company, counselors):
    """Counselor users of ``company``; ``counselors``: (name, login, site ids) each."""
    from odoo import Command  # noqa: PLC0415

    groups = [env.ref("base.group_user").id, env.ref("activcrea_odoo.group_activcrea_counselor").id]
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": name,
                    "login": login,
                    "groups_id": [Command.set(groups)],
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "tz": "Europe/Paris",
                    "activcrea_site_ids": [Command.set(site_ids)],
                }
                for name, login, site_ids in counselors
            ]
        )
    )


def site_address(index):
    """The address France Travail writes for site ``index`` (and its zip and city)."""
    zip_code, city = f"59{index:03d}", f"VILLE {index:02d}"
    return f"{PROVIDER} - {index} RUE DE LA GARE {zip_code} {city}", zip_code, city


_BGE_NUMBERS = itertools.count(1)


def make_bge(env, sites=50, counselors_per_site=0):
    """A legal entity with one antenna, ``sites`` sites (one France Travail address
    each), the Activ'Créa ODS with its four steps, a resource carrying the market
    number, and optionally counselors. Returns (env of that company, namespace)."""
    from odoo import Command  # noqa: PLC0415

    env = env(context=dict(env.context, **QUIET))
    # a name of its own: res.company names are unique, and benchmarks may run side by side
    # or make several BGEs
    name = f"BGE Bench {os.getpid()}-{next(_BGE_NUMBERS)}"
    company = env["res.company"].create({"name": name, "siret": SIRET})
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    antenna = env["activcrea.antenna"].create({"name": "Bench", "company_id": company.id})
    site_records = env["activcrea.site"].create(
        [
            {
                "name": f"Site {index:02d}",
                "antenna_id": antenna.id,
                "address_ids": [Command.create({"name": site_address(index)[0]})],
            }
            for index in range(1, sites + 1)
        ]
    )
    types = [
        env.ref(f"activcrea_odoo.action_type_{kind}")
        for kind in ("diagnostic", "coaching", "workshop", "bilan")
    ]
    ods = env["activcrea.ods"].create(
        {
            "name": "Activ'Créa bench",
            "special_service": "activcrea_2025",
            "company_id": company.id,
            "site_ids": [Command.set(site_records.ids)],
            "step_ids": [
                Command.create({"sequence": sequence, "action_type_id": action_type.id})
                for sequence, action_type in enumerate(types, start=1)
            ],
        }
    )
    financer = env["res.partner"].create({"name": "France Travail", "is_company": True})
    resource = env["activcrea.resource"].create(
        {
            "name": "Marché bench - lot 3",
            "company_id": company.id,
            "antenna_id": antenna.id,
            "market_number": MARKET,
            "lot_number": "3",
            "financer_id": financer.id,
            "ods_ids": [Command.set(ods.ids)],
        }
    )
    counselors = {}
    if counselors_per_site:
        users = create_counselors(
            env,
            company,
            [
                (f"Conseiller {site.name} {rank}", f"bench_counselor_{site.id}_{rank}", site.ids)
                for site in site_records
                for rank in range(counselors_per_site)
            ],
        )
        users_iter = iter(users)
        for site in site_records:
            counselors[site.id] = [next(users_iter) for _rank in range(counselors_per_site)]
    bge = SimpleNamespace(
        company=company,
        antenna=antenna,
        sites=site_records,
        ods=ods,
        steps={step.action_type_id.kind: step for step in ods.step_ids},
        resource=resource,
        counselors=counselors,
    )
    return env, bge
