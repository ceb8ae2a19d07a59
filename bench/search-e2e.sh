#!/usr/bin/env bash
# The adaptive-search end-to-end benchmark: GradDescent's TPE sweep (graddescent run: sweep grain, fused workers)
# against Optuna 3.1's TPESampler (Debian's python3-optuna) on the same linear-regression tuning problem, budget and
# store, plus GradDescent with ASHA (two rung schedules), with two generations in flight, and random search. Runs on
# SQLite, then on PostgreSQL (a private server, bench/pg.sh), and prints one markdown table per store for
# docs/benchmarks.md's section "Adaptive search end to end" (update the tables and their reading there by hand;
# bench/run.sh's report keeps that section as it stands); raw results stay in artifacts/bench-search-e2e/.
#
#   ./bench/search-e2e.sh                    # seeds 0–9, 100 trials each, both stores (about an hour on a busy 2-core machine)
#   BENCH_SEARCH_E2E_RUNS=tpe,optuna (a subset of tpe, tpe-asha, tpe-asha-4, tpe-pb2, random, optuna)
#   BENCH_SEARCH_E2E_STORES=postgresql BENCH_SEARCH_E2E_SEEDS=5 BENCH_SEARCH_E2E_TRIALS=200 ./bench/search-e2e.sh
#
# BENCH_GRADDESCENT=PATH uses an already published graddescent instead of publishing one (Release) first.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
out="$repo_root/artifacts/bench-search-e2e"
mkdir -p "$out"
stores="${BENCH_SEARCH_E2E_STORES:-sqlite postgresql}"
export OMP_NUM_THREADS="${BENCH_THREADS:-1}"

missing=()
for module_package in optuna:python3-optuna numpy:python3-numpy torch:python3-torch psycopg2:python3-psycopg2; do
    /usr/bin/python3 -c "import ${module_package%%:*}" 2>/dev/null || missing+=("${module_package##*:}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "bench/search-e2e: installing ${missing[*]} (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

graddescent="${BENCH_GRADDESCENT:-}"
if [[ -z "$graddescent" ]]; then
    echo "bench/search-e2e: publishing graddescent (Release)" >&2
    dotnet publish src/Silo -c Release -o "$out/graddescent" --nologo -v quiet >"$out/publish.log" 2>&1 || { tail -n 30 "$out/publish.log" >&2; exit 1; }
    graddescent="$out/graddescent/graddescent"
fi

for store in $stores; do
    rm -rf "$out/work-$store" "$out/results-$store.jsonl"
    pg_args=()
    if [[ "$store" == postgresql ]]; then
        source bench/pg.sh
        trap bench_pg_stop EXIT
        bench_pg_start
        pg_args=(--pg-port "$BENCH_PG_PORT" --pg-user "$BENCH_PG_USER")
    fi
    /usr/bin/python3 bench/python/search_e2e.py --graddescent "$graddescent" --work "$out/work-$store" --store "$store" "${pg_args[@]}" \
        ${BENCH_SEARCH_E2E_RUNS:+--runs "$BENCH_SEARCH_E2E_RUNS"} \
        --seeds "${BENCH_SEARCH_E2E_SEEDS:-10}" --trials "${BENCH_SEARCH_E2E_TRIALS:-100}" --out "$out/results-$store.jsonl" --markdown "$out/table-$store.md"
    if [[ "$store" == postgresql ]]; then
        bench_pg_stop
    fi
    echo "## $store"
    cat "$out/table-$store.md"
done
