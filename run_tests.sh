#!/usr/bin/env bash
# The project's test command.
#
#   bash run_tests.sh               plain tests + static checks + Odoo tests
#   bash run_tests.sh --plain-only  plain tests + static checks (no Odoo)
#
# 1. plain tests     python3 -m pytest -q              (tests/, no Odoo needed)
# 2. static checks   python3 tools/static_checks.py    (XML, manifest, pylint-odoo, i18n)
# 3. Odoo         where `import odoo` works or ODOO_SRC names an Odoo 18.0
#                 source (folder or .tar.xz), the set-up of tools/odoo_setup.sh
#                 (virtualenv, PostgreSQL...), then: install with demo data and
#                 French, update (-u), install without demo data - each log
#                 must hold no WARNING/ERROR/CRITICAL -, the catalogues checked
#                 against what Odoo exports (tools/check_i18n.py), and the
#                 addon's Odoo tests through pytest-odoo, browser tour included.
#                 Logs: .ci/logs/odoo-*.log
#    Otherwise step 3 is SKIPPED with a loud message; that is a failure
#    when ODOO_REQUIRED=1 (which also fails on skipped Odoo tests).
#
# The last line is "N passed, M failed": N counts the passing plain + Odoo
# tests, M the failing tests plus every failing check that is not a test
# (static checks, install logs, no Odoo test run...).
# The exit status is non-zero whenever M > 0.
#
# Environment:
#   ODOO_SRC            Odoo 18.0 source (folder or .tar.xz) when `import odoo` fails
#   ODOO_BIN            odoo-bin to run (default: from the set-up)
#   ODOO_ADDONS_PATH    addons path (default: from the set-up, plus this repository)
#   ODOO_DATA_DIR       Odoo data dir (default: ~/.cache/activcrea_odoo/data)
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

# "passed failed+errors skipped" of pytest's summary line in log $1
# (e.g. "3 failed, 120 passed, 1 skipped in 2.31s", maybe between '=' signs)
pytest_counts() {
    local line count kind passed=0 failed=0 skipped=0
    line=$(grep -E '[0-9]+ (passed|failed|errors?|skipped)\b.* in [0-9.]+s' "$1" | tail -n 1)
    while read -r count kind; do
        case $kind in
            passed) passed=$count ;;
            failed|error|errors) failed=$((failed + count)) ;;
            skipped) skipped=$count ;;
        esac
    done < <(grep -Eo '[0-9]+ (passed|failed|errors?|skipped)' <<<"$line")
    echo "$passed $failed $skipped"
}

# --------------------------------------------------------------- plain tests
run_plain_tests() {
    banner "plain tests: $PY -m pytest -q"
    local log="$LOG_DIR/pytest.log" rc
    "$PY" -m pytest -q 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    read -r plain_passed plain_failed _ < <(pytest_counts "$log")
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

# ---------------------------------------------------------------- Odoo tests
DB=""
DB_NODEMO=""
# $1: a database of the Odoo stage (named once tools/odoo_setup.sh, which defines
# ac_drop_db, is sourced), or empty
drop_db() {
    [ -n "$1" ] || return 0
    ac_drop_db "$1" || true
}
cleanup() {
    drop_db "$DB_NODEMO"
    [ "${KEEP_DB:-0}" = 1 ] || drop_db "$DB"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

odoo_failure() {   # $1: reason
    stage_fail "Odoo: $1"
    EXTRA_FAILURES=$((EXTRA_FAILURES + 1))
}

# Which WARNING lines of an install/update log are not ours to fix: printed,
# not failing.  Everything else (any ERROR/CRITICAL, any other WARNING) fails.
KNOWN_WARNINGS='(odoo\.modules\.loading: Transient module states were reset)'

# $1: what, $2: log, rest: odoo-bin arguments (run with --stop-after-init).
odoo_install_step() {
    local what=$1 log=$2; shift 2
    banner "Odoo: $what"
    echo "\$ $PY $ODOO_BIN -d ... $*"
    local rc start=$SECONDS
    "$PY" "$ODOO_BIN" --addons-path="$ADDONS" --data-dir="$AC_DATA_DIR" "$@" \
        --stop-after-init --http-port="$(free_port)" --workers=0 --max-cron-threads=0 >"$log" 2>&1
    rc=$?
    local clean bad reasons=()
    clean=$(sed -E "s/activcrea_test_[0-9]+(_nodemo)?/<db>/g" "$log")
    [ "$rc" -eq 0 ] || reasons+=("odoo-bin exit status $rc")
    bad=$(grep -nE ' (ERROR|CRITICAL) ' <<<"$clean")
    [ -n "$bad" ] && reasons+=("$(wc -l <<<"$bad") ERROR/CRITICAL line(s)")
    local warnings
    warnings=$(grep -nE ' WARNING ' <<<"$clean" | grep -vE "$KNOWN_WARNINGS")
    [ -n "$warnings" ] && reasons+=("$(wc -l <<<"$warnings") WARNING line(s)")
    grep -E ' WARNING ' <<<"$clean" | grep -E "$KNOWN_WARNINGS" | sed 's/^/  known, not ours: /' | head -n 5
    if [ "${#reasons[@]}" -eq 0 ]; then
        echo "ok: $what in $((SECONDS - start)) s, log clean - $log"
        stage_ok "Odoo: $what ($((SECONDS - start)) s, no WARNING/ERROR)"
        return 0
    fi
    printf '%s\n' "$bad" "$warnings" | grep -v '^$' | head -n 40
    local joined
    joined=$(printf '%s; ' "${reasons[@]}")
    odoo_failure "$what: ${joined%; } - $log"
    return 1
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run_odoo_tests() {
    banner "Odoo set-up"
    if [ "${ACTIVCREA_NO_ODOO:-0}" = 1 ]; then
        odoo_skipped "ACTIVCREA_NO_ODOO=1 (simulating a machine without Odoo)"; return
    fi
    if ! "$PY" -c 'import odoo' >/dev/null 2>&1 && [ -z "${ODOO_SRC:-}" ]; then
        odoo_skipped "Odoo is not importable by $PY and ODOO_SRC is not set (./odoo.sh test, or ODOO_SRC=<Odoo 18.0 folder or .tar.xz> $0)"
        return
    fi
    # shellcheck source=tools/odoo_setup.sh
    . "$ROOT/tools/odoo_setup.sh"
    if ! PYTHON=$PY ac_setup test; then
        odoo_failure "set-up failed (see the [setup] lines above)"; return
    fi
    PY=$AC_PYTHON
    ODOO_BIN=${ODOO_BIN:-$AC_ODOO_BIN}
    ADDONS=${ODOO_ADDONS_PATH:-$AC_ADDONS_PATH}
    echo "python: $PY"
    echo "odoo-bin: $ODOO_BIN"
    echo "addons path: $ADDONS"

    DB="activcrea_test_$$"
    DB_NODEMO="${DB}_nodemo"
    drop_db "$DB"; drop_db "$DB_NODEMO"
    echo "databases: $DB (demo data), $DB_NODEMO (none); dropped at exit unless KEEP_DB=1"

    # shellcheck disable=SC2086
    odoo_install_step "install with demo data and French" "$LOG_DIR/odoo-install.log" \
        -d "$DB" -i "$ADDON" --load-language=fr_FR ${ODOO_EXTRA_ARGS:-} || return
    # shellcheck disable=SC2086
    odoo_install_step "update (-u $ADDON)" "$LOG_DIR/odoo-update.log" \
        -d "$DB" -u "$ADDON" ${ODOO_EXTRA_ARGS:-} || return
    banner "Odoo: translations up to date with the code"
    local exported="$LOG_DIR/exported.pot"
    if "$PY" "$ODOO_BIN" --addons-path="$ADDONS" --data-dir="$AC_DATA_DIR" -d "$DB" \
        --i18n-export="$exported" --modules="$ADDON" --stop-after-init --http-port="$(free_port)" \
        >"$LOG_DIR/odoo-i18n-export.log" 2>&1 && "$PY" "$ROOT/tools/check_i18n.py" "$exported"; then
        stage_ok "Odoo: every string of the code is in the .pot and translated in fr.po"
    else
        odoo_failure "translations: the .pot or fr.po lag behind the code (tools/check_i18n.py)"
    fi

    # shellcheck disable=SC2086
    odoo_install_step "install without demo data" "$LOG_DIR/odoo-install-nodemo.log" \
        -d "$DB_NODEMO" -i "$ADDON" --without-demo=all ${ODOO_EXTRA_ARGS:-}
    drop_db "$DB_NODEMO"; DB_NODEMO=""

    banner "Odoo tests: pytest-odoo against $DB, with the browser tour"
    local log="$LOG_DIR/odoo-tests.log" rc
    local cmd=("$PY" -m pytest -q -rs -p no:cacheprovider --odoo-database="$DB"
               --odoo-addons-path="$ADDONS" --odoo-http --odoo-log-level=warn
               --odoo-extra "data-dir=$AC_DATA_DIR" --odoo-extra "max-cron-threads=0"
               "$ADDON/tests")
    echo "\$ ${cmd[*]}"
    if command -v timeout >/dev/null 2>&1; then
        cmd=(timeout --signal=INT --kill-after=60 "${ODOO_TIMEOUT:-3600}" "${cmd[@]}")
    fi
    "${cmd[@]}" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    local skipped
    read -r odoo_passed odoo_failed skipped < <(pytest_counts "$log")
    local reasons=()
    [ "$rc" -eq 0 ] || reasons+=("pytest exit status $rc")
    [ "$odoo_passed" -gt 0 ] || reasons+=("no Odoo test passed")
    if [ "$skipped" -gt 0 ] && [ "${ODOO_REQUIRED:-0}" = 1 ]; then
        reasons+=("${skipped} test(s) skipped (the browser tour needs chromium)")
    fi
    if [ "${#reasons[@]}" -eq 0 ]; then
        stage_ok "Odoo tests: $odoo_passed passed$([ "$skipped" -gt 0 ] && echo ", $skipped skipped") - $log"
    else
        local joined
        joined=$(printf '%s; ' "${reasons[@]}")
        stage_fail "Odoo tests: $odoo_passed passed, $odoo_failed failed/errors; ${joined%; } - $log"
        [ "$odoo_failed" -eq 0 ] && EXTRA_FAILURES=$((EXTRA_FAILURES + 1))
    fi
    if [ "${KEEP_DB:-0}" = 1 ]; then
        echo "KEEP_DB=1: database $DB kept (filestore in $AC_DATA_DIR/filestore/$DB)"
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
