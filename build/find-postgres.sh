#!/usr/bin/env bash
# Sourced by tests/run-tests.sh and bench/pg.sh: where the PostgreSQL server programs are.

# Prints the path of a PostgreSQL server program: PATH first, then Debian's versioned directories (newest first).
find_pg_program() {
    local name="$1" dir
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return 0
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/$name" ]]; then
            printf '%s\n' "$dir/$name"
            return 0
        fi
    done
    return 1
}
