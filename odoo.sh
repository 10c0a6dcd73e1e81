#!/usr/bin/env bash
# Odoo 18.0 with activcrea_odoo, from nothing, in one command.
#
#   ./odoo.sh [demo]   set up what is missing, create the demo database (demo
#                      data, French, admin/admin) and serve it on
#                      http://localhost:8069 (Ctrl-C stops it)
#   ./odoo.sh test     the same set-up, then the test command (run_tests.sh)
#   ./odoo.sh shell    an Odoo shell on the demo database
#   ./odoo.sh update   update the addon in the demo database (-u activcrea_odoo)
#   ./odoo.sh reset    drop the demo database (the next `demo` makes it again)
#   ./odoo.sh setup    only the set-up; prints the Python, odoo-bin and addons path
#
# Set-up (tools/odoo_setup.sh): Odoo from an `import odoo` that already works,
# else from ODOO_SRC (an Odoo 18.0 folder or .tar.xz), else a shallow clone of
# the official 18.0 branch; a virtualenv with Odoo's requirements.txt in
# ~/.cache/activcrea_odoo (reused by the next run); as root, the missing
# Debian packages (PostgreSQL, build headers, wkhtmltopdf, chromium for the
# tests); PostgreSQL started and a role for you.
#
# Environment: ODOO_SRC, PYTHON, ACTIVCREA_DB (activcrea_demo),
# ACTIVCREA_PORT (8069), ACTIVCREA_CACHE (~/.cache/activcrea_odoo),
# ODOO_DATA_DIR (<cache>/data).

set -uo pipefail

AC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/odoo_setup.sh
. "$AC_ROOT/tools/odoo_setup.sh"

DB=${ACTIVCREA_DB:-activcrea_demo}
PORT=${ACTIVCREA_PORT:-8069}
VERB=${1:-demo}
[ $# -gt 0 ] && shift

usage() { sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; }

odoo() {   # odoo-bin with the set-up's paths
    "$AC_PYTHON" "$AC_ODOO_BIN" --addons-path="$AC_ADDONS_PATH" --data-dir="$AC_DATA_DIR" "$@"
}

db_exists() { psql -X -d postgres -Atqc "select 1 from pg_database where datname = '$DB'" | grep -q 1; }

addon_installed() {
    psql -X -d "$DB" -Atqc "select state from ir_module_module where name = 'activcrea_odoo'" 2>/dev/null \
        | grep -q '^installed$'
}

# Runs odoo-bin "$@" --stop-after-init into $2-named log; fails on ERROR/CRITICAL.
odoo_step() {   # $1: what, $2: log file, rest: odoo-bin arguments
    local what=$1 log=$2; shift 2
    ac_say "$what (log: $log)"
    if ! odoo "$@" --stop-after-init --http-port="$PORT" >"$log" 2>&1; then
        grep -E ' (ERROR|CRITICAL) ' "$log" | head -n 5 >&2
        ac_fail "$what failed: see $log"
        return 1
    fi
    if grep -qE ' (ERROR|CRITICAL) ' "$log"; then
        grep -E ' (ERROR|CRITICAL) ' "$log" | head -n 5 >&2
        ac_fail "$what logged errors: see $log"
        return 1
    fi
}

port_free() {
    "$AC_PYTHON" - "$PORT" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("0.0.0.0", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

make_demo() {
    local log="$AC_CACHE/$DB-install.log"
    if db_exists && addon_installed && [ -d "$AC_DATA_DIR/filestore/$DB" ]; then
        ac_say "database $DB: ready (./odoo.sh reset to start again)"
        return 0
    fi
    if db_exists; then
        ac_say "database $DB exists without the addon or without its files in $AC_DATA_DIR (an interrupted run, another data dir?): making it again"
    fi
    ac_drop_db "$DB" || { ac_fail "cannot drop $DB: close what uses it, then ./odoo.sh reset"; return 1; }
    odoo_step "creating $DB with demo data and French, installing activcrea_odoo (about 2 minutes)" \
        "$log" -d "$DB" -i activcrea_odoo --load-language=fr_FR || { ac_drop_db "$DB"; return 1; }
    ac_say "admin speaks French in Europe/Paris, like the BGE's company"
    if ! "$AC_PYTHON" "$AC_ODOO_BIN" shell --addons-path="$AC_ADDONS_PATH" --data-dir="$AC_DATA_DIR" \
        -d "$DB" --no-http --log-level=warn >>"$log" 2>&1 <<'PY'
admin = env.ref("base.user_admin")
admin.write({"lang": "fr_FR", "tz": "Europe/Paris"})
admin.company_id.partner_id.lang = "fr_FR"
env.cr.commit()
PY
    then
        ac_drop_db "$DB"
        ac_fail "setting admin's language failed: see $log"
        return 1
    fi
}

case "$VERB" in
    -h|--help|help) usage; exit 0 ;;
    demo|serve)
        ac_setup serve || exit 1
        make_demo || exit 1
        if ! port_free; then
            ac_fail "port $PORT is in use (another Odoo?): stop it, or run ACTIVCREA_PORT=8070 ./odoo.sh"
            exit 1
        fi
        ac_say "serving $DB on http://localhost:$PORT (admin / admin); Ctrl-C stops it"
        exec "$AC_PYTHON" "$AC_ODOO_BIN" --addons-path="$AC_ADDONS_PATH" --data-dir="$AC_DATA_DIR" \
            -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" "$@"
        ;;
    test)
        ac_setup test || exit 1
        PYTHON=$AC_PYTHON exec bash "$AC_ROOT/run_tests.sh" "$@"
        ;;
    shell)
        ac_setup serve || exit 1
        make_demo || exit 1
        exec "$AC_PYTHON" "$AC_ODOO_BIN" shell --addons-path="$AC_ADDONS_PATH" --data-dir="$AC_DATA_DIR" \
            -d "$DB" --no-http "$@"
        ;;
    update)
        ac_setup serve || exit 1
        db_exists || { ac_fail "no database $DB yet: run ./odoo.sh demo first"; exit 1; }
        odoo_step "updating activcrea_odoo in $DB" "$AC_CACHE/$DB-update.log" -d "$DB" -u activcrea_odoo || exit 1
        ac_say "updated"
        ;;
    reset)
        command -v dropdb >/dev/null 2>&1 || { ac_fail "dropdb not found: is PostgreSQL installed?"; exit 1; }
        ac_postgres || exit 1
        ac_drop_db "$DB" || exit 1
        ac_say "database $DB dropped"
        ;;
    setup)
        ac_setup test || exit 1
        printf 'PYTHON=%s\nODOO_BIN=%s\nODOO_ADDONS_PATH=%s\nODOO_DATA_DIR=%s\n' \
            "$AC_PYTHON" "$AC_ODOO_BIN" "$AC_ADDONS_PATH" "$AC_DATA_DIR"
        ;;
    *) printf 'odoo.sh: unknown verb "%s"\n\n' "$VERB" >&2; usage >&2; exit 2 ;;
esac
