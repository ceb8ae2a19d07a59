#!/usr/bin/env bash
# Runs the GradDescent tests against a throw-away PostgreSQL server.
#
#   ./tests/run-tests.sh                          # dotnet test GradDescent.sln
#   ./tests/run-tests.sh tests/Storage.Tests      # one project (or .sln/.csproj path) instead
#   ./tests/run-tests.sh tests/Storage.Tests --filter Sweep   # extra arguments go to dotnet test
#
# Starts PostgreSQL on 127.0.0.1 (a free port, unix socket and data in a temporary directory), creates a
# database, exports GRADDESCENT_TEST_POSTGRES for the tests, and always stops the server and deletes the
# directory afterwards. If GRADDESCENT_TEST_POSTGRES is already set, that server is used and nothing starts.
# On a fresh Debian machine run as root, the PostgreSQL server, promtool (package 'prometheus') and chromium
# (the dashboard's browser tests) are installed with apt-get when missing.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

target="GradDescent.sln"
if [[ $# -gt 0 && "$1" != -* && -e "$1" ]] && [[ -d "$1" || "$1" =~ \.(sln|slnx|csproj)$ ]]; then
    target="$1"
    shift
fi

log() { printf 'run-tests: %s\n' "$*" >&2; }

# Installs Debian packages (root only), for tools the tests need and the machine lacks.
apt_install() {
    if [[ $EUID -ne 0 ]]; then
        log "missing: install the Debian package(s) $* (or run as root)"
        exit 1
    fi
    log "installing $* (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "$@"
}

source "$repo_root/build/find-postgres.sh"

pg_root=""
pg_ctl=""
as_pg_user=()

stop_postgres() {
    local status=$?
    if [[ -n "$pg_root" ]]; then
        if [[ -n "$pg_ctl" && -f "$pg_root/data/postmaster.pid" ]]; then
            "${as_pg_user[@]}" "$pg_ctl" -D "$pg_root/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
                || "${as_pg_user[@]}" "$pg_ctl" -D "$pg_root/data" -m immediate -w stop >/dev/null 2>&1 \
                || log "could not stop PostgreSQL in $pg_root"
        fi
        rm -rf "$pg_root"
    fi
    exit "$status"
}
trap stop_postgres EXIT

start_postgres() {
    if ! find_pg_program initdb >/dev/null; then
        # PostgreSQL server programs (initdb, pg_ctl); or set GRADDESCENT_TEST_POSTGRES.
        apt_install postgresql
    fi

    local initdb bin_dir
    initdb="$(find_pg_program initdb)"
    pg_ctl="$(find_pg_program pg_ctl)"
    bin_dir="$(dirname "$(readlink -f "$pg_ctl")")"

    local pg_user
    if [[ $EUID -eq 0 ]]; then
        # /tmp rather than $TMPDIR: the postgres user must be able to reach the directory.
        pg_root="$(mktemp -d /tmp/graddescent-pg.XXXXXX)"
        # initdb refuses to run as root: the server runs as the 'postgres' user the package created.
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        chown postgres: "$pg_root"
        as_pg_user=("$(command -v runuser || echo /usr/sbin/runuser)" -u postgres --)
        pg_user=postgres
    else
        pg_root="$(mktemp -d "${TMPDIR:-/tmp}/graddescent-pg.XXXXXX")"
        as_pg_user=(env)
        pg_user="$(id -un)"
    fi
    chmod 700 "$pg_root"

    "${as_pg_user[@]}" "$initdb" -D "$pg_root/data" -U "$pg_user" --auth=trust --encoding=UTF8 --locale=C --no-sync \
        >"$pg_root/initdb.log" 2>&1 || { cat "$pg_root/initdb.log" >&2; exit 1; }

    local port="" attempt
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if "${as_pg_user[@]}" "$pg_ctl" -D "$pg_root/data" -l "$pg_root/server.log" -w -t 60 start \
            -o "-h 127.0.0.1 -p $port -k $pg_root -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null; then
            break
        fi
        log "PostgreSQL did not start on port $port (attempt $attempt):"
        tail -n 5 "$pg_root/server.log" >&2 || true
        port=""
    done
    if [[ -z "$port" ]]; then
        log "could not start PostgreSQL"
        exit 1
    fi

    "${as_pg_user[@]}" "$bin_dir/createdb" -h 127.0.0.1 -p "$port" -U "$pg_user" graddescent_test
    export GRADDESCENT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=$pg_user;Database=graddescent_test;Include Error Detail=true"
    log "PostgreSQL $("$pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port (data in $pg_root)"
}

# promtool (Debian package 'prometheus') lints real scrapes in the metrics tests; the prometheus server of the
# same package scrapes a silo and workers in tests/Integration.Tests (the Grafana dashboard against real data).
if ! command -v promtool >/dev/null || [[ ! -x /usr/bin/prometheus ]]; then
    apt_install prometheus
fi

# ip (Debian package 'iproute2') gives each pod of the dev-overlay smoke test its own network namespace (as root).
if [[ $EUID -eq 0 && ! -x /usr/sbin/ip ]]; then
    apt_install iproute2
fi

# --- Tools of tests/Deploy.Tests (deploy/: kustomize overlays, Prometheus rules, Grafana dashboard, Dockerfiles) ---
# kubectl renders the overlays offline with its built-in kustomize, which must be v4 or later (components).
# The CI machine image ships one (the kubectl package, kustomize v5); Debian's kubernetes-client (1.20,
# kustomize v2) cannot render components and no other reachable registry carries kubectl, so a missing
# kubectl is reported here and the deployment tests fail with the same message. promtool is installed above;
# the Dockerfile linter (dockerfile-utils) with npm ci from deploy/docker's lockfile.
deploy_tools_needed() { [[ "$target" == "GradDescent.sln" || "$target" == *Deploy* ]]; }

ensure_deploy_tools() {
    if ! command -v kubectl >/dev/null 2>&1; then
        log "kubectl not found; tests/Deploy.Tests render deploy/k8s with 'kubectl kustomize' (kustomize v4 or later)"
    fi
    if [[ ! -x deploy/docker/node_modules/.bin/dockerfile-utils ]]; then
        log "installing the Dockerfile linter (npm ci in deploy/docker)"
        npm ci --prefix deploy/docker --no-audit --no-fund >/dev/null
    fi
}
# --- end of Deploy.Tests tools ---

if [[ -n "${GRADDESCENT_TEST_POSTGRES:-}" ]]; then
    log "using PostgreSQL from GRADDESCENT_TEST_POSTGRES"
else
    start_postgres
fi

if deploy_tools_needed; then
    ensure_deploy_tools
fi

# The dashboard's browser tests (tests/Dashboard.Tests) drive Debian's chromium through Playwright
# (/usr/bin/chromium); Playwright never downloads a browser of its own here.
[[ -x /usr/bin/chromium ]] || apt_install chromium

status=0
output="$(mktemp "${TMPDIR:-/tmp}/graddescent-test-output.XXXXXX")"
dotnet test "$target" "$@" 2>&1 | tee "$output" || status=${PIPESTATUS[0]}
# One closing line over all test projects, e.g. "tests: 369 passed, 0 failed, 0 skipped".
awk '/(Passed|Failed)! +- +Failed: / {
        gsub(/,/, "");
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:") failed += $(i + 1);
            if ($i == "Passed:") passed += $(i + 1);
            if ($i == "Skipped:") skipped += $(i + 1);
        }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$output"
rm -f "$output"
exit "$status"
