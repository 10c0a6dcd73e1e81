#!/usr/bin/env bash
# The project's test command.
#
#   bash run_tests.sh               plain tests + static checks + Odoo tests
#   bash run_tests.sh --plain-only  plain tests + static checks (no Odoo)
#
# 1. plain tests     python3 -m pytest -q              (tests/, no Odoo needed)
# 2. static checks   python3 tools/static_checks.py    (XML, manifest, pylint-odoo, i18n)
# 3. Odoo tests      when `import odoo` works: a fresh database, install
#                    activcrea_odoo with demo data, run its tests
#                    (--test-tags /activcrea_odoo).  Log: .ci/logs/odoo-tests.log
#    Without Odoo (or without any PostgreSQL server) step 3 is SKIPPED with a
#    loud message; that is not a failure unless ODOO_REQUIRED=1.
#
# The last line is "N passed, M failed": N counts the passing plain + Odoo
# tests, M the failing tests plus every failing check that is not a test
# (static checks, Odoo errors/warnings in the log, no Odoo test run...).
# The exit status is non-zero whenever M > 0.
#
# Environment:
#   ODOO_BIN            odoo-bin to run (default: <odoo package>/../odoo-bin)
#   ODOO_ADDONS_PATH    addons path (default: derived from the odoo package,
#                       plus this repository)
#   ODOO_DATA_DIR       Odoo data dir (default: ~/.local/share/Odoo)
#   ODOO_EXTRA_ARGS     extra odoo-bin arguments (word-split)
#   ODOO_TIMEOUT        seconds before the Odoo run is interrupted (default 3600)
#   KEEP_DB=1           keep the test database (activcrea_test_<pid>) at exit
#   ODOO_REQUIRED=1     a skipped Odoo run is a failure
#   ACTIVCREA_NO_ODOO=1 behave as on a machine without Odoo (forces the skip)
#   PYTHON              interpreter (default python3)

set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT" || exit 2
PY=${PYTHON:-python3}
LOG_DIR="$ROOT/.ci/logs"
mkdir -p "$LOG_DIR"
ADDON=activcrea_odoo

PLAIN_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --plain-only) PLAIN_ONLY=1 ;;
        -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run_tests.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

SUMMARY=()          # one line per stage
FAILED_STAGES=0
EXTRA_FAILURES=0    # failing checks that are not counted as failing tests
plain_passed=0; plain_failed=0
odoo_passed=0;  odoo_failed=0

banner() { printf '\n======== %s ========\n' "$*"; }
stage_ok()   { SUMMARY+=("  ok       $1"); }
stage_fail() { SUMMARY+=("  FAILED   $1"); FAILED_STAGES=$((FAILED_STAGES + 1)); }
stage_skip() { SUMMARY+=("  SKIPPED  $1"); }

loud() {
    local line
    printf '\n%s\n' '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
    for line in "$@"; do printf '!!!  %s\n' "$line"; done
    printf '%s\n\n' '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
}

odoo_skipped() {   # $1: reason
    loud "ODOO TESTS SKIPPED: $1" \
         "Only the plain tests and the static checks ran: the addon's Odoo tests" \
         "($ADDON/tests) were NOT run, its install was NOT checked."
    if [ "${GITHUB_ACTIONS:-}" = true ]; then
        echo "::warning title=Odoo tests skipped::$1"
    fi
    if [ "${ODOO_REQUIRED:-0}" = 1 ]; then
        stage_fail "Odoo tests: skipped ($1) but ODOO_REQUIRED=1"
        EXTRA_FAILURES=$((EXTRA_FAILURES + 1))
    else
        stage_skip "Odoo tests: $1"
    fi
}

# --------------------------------------------------------------- plain tests
run_plain_tests() {
    banner "plain tests: $PY -m pytest -q"
    local log="$LOG_DIR/pytest.log" rc line
    "$PY" -m pytest -q 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    # e.g. "3 failed, 120 passed, 1 skipped in 2.31s" (maybe between '=' signs)
    line=$(grep -E '[0-9]+ (passed|failed|errors?)\b.* in [0-9.]+s' "$log" | tail -n 1)
    plain_passed=$(grep -Eo '[0-9]+ passed' <<<"$line" | grep -Eo '[0-9]+' || true)
    local failed errors
    failed=$(grep -Eo '[0-9]+ failed' <<<"$line" | grep -Eo '[0-9]+' || true)
    errors=$(grep -Eo '[0-9]+ errors?' <<<"$line" | grep -Eo '[0-9]+' || true)
    plain_passed=${plain_passed:-0}
    plain_failed=$(( ${failed:-0} + ${errors:-0} ))
    if [ "$rc" -eq 0 ]; then
        stage_ok "plain tests: $plain_passed passed"
    else
        stage_fail "plain tests: pytest exit status $rc ($plain_passed passed, $plain_failed failed/errors) - $log"
        [ "$plain_failed" -eq 0 ] && EXTRA_FAILURES=$((EXTRA_FAILURES + 1))
    fi
}

# ------------------------------------------------------------- static checks
run_static_checks() {
    banner "static checks: $PY tools/static_checks.py"
    local log="$LOG_DIR/static-checks.log" rc
    "$PY" tools/static_checks.py 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    if [ "$rc" -eq 0 ]; then
        stage_ok "static checks"
    else
        stage_fail "static checks (exit status $rc) - $log"
        EXTRA_FAILURES=$((EXTRA_FAILURES + 1))
    fi
}

# ---------------------------------------------------------------- PostgreSQL
pg_ready() { pg_isready -q >/dev/null 2>&1; }

# 0: a server accepts connections; 1: a server exists but could not be
# started; 2: no PostgreSQL server on this machine.
ensure_postgres() {
    command -v pg_isready >/dev/null 2>&1 || return 2
    pg_ready && return 0
    local found=0 i cluster
    if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
        found=1
        # Prefer the "15 main" cluster, then any other one.
        for cluster in "15 main" $(pg_lsclusters -h | awk '{print $1 ":" $2}'); do
            cluster=${cluster/:/ }
            echo "starting PostgreSQL: pg_ctlcluster $cluster start"
            # shellcheck disable=SC2086
            pg_ctlcluster $cluster start 2>&1 || true
            pg_ready && break
        done
    fi
    if ! pg_ready && { [ -x /etc/init.d/postgresql ] || [ -f /lib/systemd/system/postgresql.service ]; }; then
        found=1
        echo "starting PostgreSQL: service postgresql start"
        service postgresql start 2>&1 || true
    fi
    [ "$found" -eq 1 ] || return 2
    for i in $(seq 1 30); do
        pg_ready && return 0
        sleep 1
    done
    return 1
}

ensure_role() {
    psql -X -d postgres -Atqc 'select 1' >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
        echo "creating PostgreSQL superuser role '$(whoami)'"
        su postgres -c "createuser -s $(whoami)" 2>&1 || true
    fi
    psql -X -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

# ---------------------------------------------------------------- Odoo tests
DB=""
DATA_DIR=""
cleanup() {
    [ -n "$DB" ] || return 0
    if [ "${KEEP_DB:-0}" = 1 ]; then
        return 0
    fi
    dropdb --if-exists --force "$DB" >/dev/null 2>&1 || dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    [ -n "$DATA_DIR" ] && rm -rf "${DATA_DIR:?}/filestore/$DB"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

odoo_failure() {   # $1: reason
    stage_fail "Odoo tests: $1"
    [ "$odoo_failed" -eq 0 ] && EXTRA_FAILURES=$((EXTRA_FAILURES + 1))
}

run_odoo_tests() {
    banner "Odoo tests"
    if [ "${ACTIVCREA_NO_ODOO:-0}" = 1 ]; then
        odoo_skipped "ACTIVCREA_NO_ODOO=1 (simulating a machine without Odoo)"; return
    fi
    local odoo_dir
    if ! odoo_dir=$("$PY" -c 'import os, odoo; print(os.path.dirname(os.path.abspath(odoo.__file__)))' 2>/dev/null); then
        odoo_skipped "Odoo is not installed ('$PY -c \"import odoo\"' fails)"; return
    fi
    echo "odoo package: $odoo_dir"

    local odoo_bin=${ODOO_BIN:-}
    if [ -z "$odoo_bin" ]; then
        if [ -f "$odoo_dir/../odoo-bin" ]; then
            odoo_bin=$(cd "$odoo_dir/.." && pwd)/odoo-bin
        else
            odoo_bin=$(command -v odoo-bin || command -v odoo || true)
        fi
    fi
    if [ -z "$odoo_bin" ] || [ ! -f "$odoo_bin" ]; then
        odoo_failure "Odoo is importable but odoo-bin was not found (set ODOO_BIN)"; return
    fi
    echo "odoo-bin: $odoo_bin"

    local addons=${ODOO_ADDONS_PATH:-}
    if [ -z "$addons" ]; then
        local parent
        parent=$(cd "$odoo_dir/.." && pwd)
        [ -d "$parent/addons" ] && addons="$parent/addons,"
        addons="$addons$odoo_dir/addons,$ROOT"
    fi
    echo "addons path: $addons"

    ensure_postgres
    case $? in
        0) ;;
        2) odoo_skipped "no PostgreSQL server on this machine"; return ;;
        *) odoo_failure "a PostgreSQL server exists but could not be started"; return ;;
    esac
    if ! ensure_role; then
        odoo_failure "cannot connect to PostgreSQL as '$(whoami)' (psql -d postgres fails)"; return
    fi

    DB="activcrea_test_$$"
    DATA_DIR=${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}
    local port
    port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local log="$LOG_DIR/odoo-tests.log"
    local cmd=("$PY" "$odoo_bin" -d "$DB" --addons-path="$addons" --data-dir="$DATA_DIR"
               -i "$ADDON" --test-enable --test-tags "/$ADDON" --stop-after-init
               --log-level=test --http-port="$port" --workers=0 --max-cron-threads=0)
    # shellcheck disable=SC2206
    [ -n "${ODOO_EXTRA_ARGS:-}" ] && cmd+=(${ODOO_EXTRA_ARGS})
    if command -v timeout >/dev/null 2>&1; then
        cmd=(timeout --signal=INT --kill-after=60 "${ODOO_TIMEOUT:-3600}" "${cmd[@]}")
    fi
    echo "database: $DB (dropped at exit unless KEEP_DB=1)"
    echo "log: $log"
    echo "\$ ${cmd[*]}"
    local rc
    "${cmd[@]}" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}

    banner "Odoo log analysis"
    # The database name holds "activcrea": hide it before looking for our warnings.
    local clean
    clean=$(sed "s/$DB/<db>/g" "$log")
    local reasons=()

    [ "$rc" -eq 0 ] || reasons+=("odoo-bin exit status $rc")

    local result total=-1 failed=0 errors=0
    result=$(grep -E 'odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' <<<"$clean" | tail -n 1)
    if [ -n "$result" ]; then
        failed=$(sed -E 's/.*: ([0-9]+) failed, .*/\1/' <<<"$result")
        errors=$(sed -E 's/.* ([0-9]+) error\(s\) of .*/\1/' <<<"$result")
        total=$(sed -E 's/.* of ([0-9]+) tests.*/\1/' <<<"$result")
        echo "Odoo summary: $(sed "s/<db>/$DB/g" <<<"${result#*odoo.tests.result: }")"
    else
        local ran
        ran=$(grep -Eo 'Ran [0-9]+ tests?' <<<"$clean" | grep -Eo '[0-9]+' | tail -n 1)
        [ -n "$ran" ] && total=$ran
    fi
    if [ "$total" -lt 0 ]; then
        reasons+=("no Odoo test summary line ('odoo.tests.result: ... of N tests') in the log")
        total=0
    elif [ "$total" -eq 0 ]; then
        reasons+=("no Odoo test ran (0 tests)")
    fi
    odoo_failed=$((failed + errors))
    odoo_passed=$((total - odoo_failed))
    [ "$odoo_passed" -ge 0 ] || odoo_passed=0

    local bad
    bad=$(grep -nE ' (ERROR|CRITICAL) ' <<<"$clean")
    if [ -n "$bad" ]; then
        echo "-- ERROR/CRITICAL lines ($(wc -l <<<"$bad")):"
        head -n 60 <<<"$bad"
        reasons+=("$(wc -l <<<"$bad") ERROR/CRITICAL log line(s)")
    fi
    bad=$(grep -nE '(^|[: ])(FAIL|ERROR): ' <<<"$clean")
    if [ -n "$bad" ]; then
        echo "-- failing tests:"
        head -n 60 <<<"$bad"
        reasons+=("$(wc -l <<<"$bad") FAIL/ERROR test marker(s)")
    fi
    bad=$(grep -nE ' WARNING ' <<<"$clean" | grep -iE 'odoo\.addons\.activcrea_odoo|activcrea')
    if [ -n "$bad" ]; then
        echo "-- warnings of ours ($(wc -l <<<"$bad")):"
        head -n 60 <<<"$bad"
        reasons+=("$(wc -l <<<"$bad") WARNING line(s) from/about activcrea")
    fi

    if [ "${#reasons[@]}" -eq 0 ]; then
        stage_ok "Odoo tests: $odoo_passed passed (of $total) - $log"
    else
        local joined
        joined=$(printf '%s; ' "${reasons[@]}")
        odoo_failure "$odoo_passed passed, $odoo_failed failed/errors; ${joined%; } - $log"
    fi
    if [ "${KEEP_DB:-0}" = 1 ]; then
        echo "KEEP_DB=1: database $DB kept (filestore in $DATA_DIR/filestore/$DB)"
    fi
}

# ---------------------------------------------------------------------- main
run_plain_tests
run_static_checks
if [ "$PLAIN_ONLY" -eq 1 ]; then
    banner "Odoo tests"
    echo "Odoo tests not run: --plain-only"
    stage_skip "Odoo tests: --plain-only"
else
    run_odoo_tests
fi

banner "summary"
printf '%s\n' "${SUMMARY[@]}"
total_passed=$((plain_passed + odoo_passed))
total_failed=$((plain_failed + odoo_failed + EXTRA_FAILURES))
if [ "$FAILED_STAGES" -gt 0 ] && [ "$total_failed" -eq 0 ]; then
    total_failed=$FAILED_STAGES
fi
echo "$total_passed passed, $total_failed failed"
[ "$FAILED_STAGES" -eq 0 ]
