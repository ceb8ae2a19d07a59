#!/usr/bin/env bash
# A private PostgreSQL for the benchmarks, the way tests/run-tests.sh starts one: 127.0.0.1 only, a free
# port, socket and data in a temporary directory, fsync off. Source it, then:
#
#   bench_pg_start            # sets BENCH_PG_PORT, BENCH_PG_USER, BENCH_PG_VERSION; installs 'postgresql' with apt if missing (root)
#   bench_pg_createdb NAME    # an empty database
#   bench_pg_stop             # stops the server and deletes the directory (also safe to call twice)

bench_pg_root=""
bench_pg_ctl=""
bench_pg_bin=""
bench_pg_as=()

source "$(dirname "${BASH_SOURCE[0]}")/../build/find-postgres.sh"

bench_pg_start() {
    if ! find_pg_program initdb >/dev/null; then
        if [[ $EUID -ne 0 ]]; then
            echo "bench/pg.sh: PostgreSQL server programs (initdb, pg_ctl) not found; install the 'postgresql' package" >&2
            return 1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
    fi
    local initdb
    initdb="$(find_pg_program initdb)"
    bench_pg_ctl="$(find_pg_program pg_ctl)"
    bench_pg_bin="$(dirname "$(readlink -f "$bench_pg_ctl")")"
    bench_pg_root="$(mktemp -d "${TMPDIR:-/tmp}/graddescent-bench-pg.XXXXXX")"
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        chown postgres: "$bench_pg_root"
        bench_pg_as=(runuser -u postgres --)
        BENCH_PG_USER=postgres
    else
        bench_pg_as=(env)
        BENCH_PG_USER="$(id -un)"
    fi
    chmod 700 "$bench_pg_root"
    "${bench_pg_as[@]}" "$initdb" -D "$bench_pg_root/data" -U "$BENCH_PG_USER" --auth=trust --encoding=UTF8 --locale=C --no-sync \
        >"$bench_pg_root/initdb.log" 2>&1 || { cat "$bench_pg_root/initdb.log" >&2; return 1; }
    local attempt port
    BENCH_PG_PORT=""
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if "${bench_pg_as[@]}" "$bench_pg_ctl" -D "$bench_pg_root/data" -l "$bench_pg_root/server.log" -w -t 60 start \
            -o "-h 127.0.0.1 -p $port -k $bench_pg_root -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null; then
            BENCH_PG_PORT=$port
            break
        fi
        echo "bench/pg.sh: PostgreSQL did not start on port $port (attempt $attempt)" >&2
    done
    [[ -n "$BENCH_PG_PORT" ]] || { echo "bench/pg.sh: could not start PostgreSQL" >&2; return 1; }
    BENCH_PG_VERSION="$("$bench_pg_ctl" --version | awk '{print $3}')"
    export BENCH_PG_PORT BENCH_PG_USER BENCH_PG_VERSION
}

bench_pg_createdb() {
    "${bench_pg_as[@]}" "$bench_pg_bin/createdb" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U "$BENCH_PG_USER" "$1"
}

bench_pg_stop() {
    if [[ -n "$bench_pg_root" ]]; then
        if [[ -f "$bench_pg_root/data/postmaster.pid" ]]; then
            "${bench_pg_as[@]}" "$bench_pg_ctl" -D "$bench_pg_root/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
                || "${bench_pg_as[@]}" "$bench_pg_ctl" -D "$bench_pg_root/data" -m immediate -w stop >/dev/null 2>&1 \
                || echo "bench/pg.sh: could not stop PostgreSQL in $bench_pg_root" >&2
        fi
        rm -rf "$bench_pg_root"
        bench_pg_root=""
    fi
}
