#!/usr/bin/env bash
# Regenerates docs/benchmarks.md: start-up of the published binary, per-trial compute (GradDescent one at a time
# and fused, PyTorch eager, a hand-written C# loop), end-to-end sweep throughput (GradDescent local and cluster vs Optuna, on
# SQLite and PostgreSQL) and peak memory, all measured on this machine in this run.
#
#   ./bench/run.sh            # full run (was about 25 minutes on 2 cores before the 1,000,000-trial memory run and
#                             # the 100,000-trial PostgreSQL report run were added), rewrites docs/benchmarks.md
#   ./bench/run.sh --quick    # every section at small sizes, one repetition: writes artifacts/bench/quick.md, never
#                             # docs/benchmarks.md (numbers only check the pipeline; its duration: bench/NOTES.md)
#
# Installs its Python peers from Debian packages when missing (python3-torch, python3-optuna,
# python3-psycopg2, python3-numpy; root), publishes graddescent once in Release, builds bench/Micro in
# Release, starts a private PostgreSQL on 127.0.0.1 (bench/pg.sh) and stops it at the end.
# Raw results stay in artifacts/bench/ (not committed).
# Repetitions can be set with BENCH_RUNS (per-trial measurements, default 5), BENCH_ROUNDS (end-to-end,
# default 1000:3,10000:1), BENCH_OPTUNA_TIMEOUT (seconds, default 30) and BENCH_MEMORY_CAP (seconds a
# memory run may take before it is stopped, default 900), BENCH_SPREAD_ROUNDS (vector-spread end-to-end
# rounds, default 3), BENCH_MEMORY (memory sweep sizes, default 10000,100000,1000000), BENCH_REPORT_TRIALS (the
# PostgreSQL report-at-scale sweep, default 100000). BENCH_THREADS (default 1) sets OMP_NUM_THREADS,
# the intra-op threads of libtorch, for every tool alike (see docs/benchmarks.md for why).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
quick=false
if [[ $# -gt 0 ]]; then
    case "$1" in
        --quick) quick=true ;;
        *) echo "usage: ./bench/run.sh [--quick]" >&2; exit 2 ;;
    esac
fi

log() { printf 'bench: %s\n' "$*" >&2; }
python=/usr/bin/python3
out="$repo_root/artifacts/bench"
rm -rf "$out"
mkdir -p "$out/work"
export GradDescent__Worker__CacheFolder="$repo_root/artifacts/bench-cache"

runs="${BENCH_RUNS:-5}"
rounds="${BENCH_ROUNDS:-1000:3,10000:1,100000:1}"
optuna_timeout="${BENCH_OPTUNA_TIMEOUT:-30}"
memory_cap="${BENCH_MEMORY_CAP:-900}"
export OMP_NUM_THREADS="${BENCH_THREADS:-1}"
sizes="1000,10000,100000"
memory="${BENCH_MEMORY:-10000,100000,1000000}"
report_trials="${BENCH_REPORT_TRIALS:-100000}"
report_runs=3
spread_rounds="${BENCH_SPREAD_ROUNDS:-3}"
scale=1
document=docs/benchmarks.md
publish_options=""
if $quick; then
    # ReadyToRun compilation takes minutes here; the quick run checks the pipeline, not the shipped binary's start-up
    publish_options="-p:PublishReadyToRun=false"
    runs=1; rounds="1000:1"; optuna_timeout=15; sizes="1000"; memory="1000,10000"; memory_cap=120; scale=10; spread_rounds=1
    report_trials=10000; report_runs=1
    document="$out/quick.md"
fi

# --- Python peers from Debian
missing=()
for module_package in torch:python3-torch optuna:python3-optuna psycopg2:python3-psycopg2 numpy:python3-numpy; do
    "$python" -c "import ${module_package%%:*}" 2>/dev/null || missing+=("${module_package##*:}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Machine and versions, and the load when we start
"$python" bench/python/machine.py --out "$out/machine-start.json"

# --- Builds: the micro-benchmarks, then graddescent published once, both Release. Nothing builds after this:
# outputs are hard-linked, so a rebuild would change files under a running benchmark.
log "building bench/Micro (Release)"
dotnet build bench/Micro -c Release --nologo -v quiet >"$out/build-micro.log" 2>&1 || { tail -n 30 "$out/build-micro.log" >&2; exit 1; }
log "publishing graddescent (Release)"
dotnet publish src/Silo -c Release -o "$out/graddescent" --nologo -v quiet $publish_options >"$out/publish.log" 2>&1 || { tail -n 30 "$out/publish.log" >&2; exit 1; }
micro="$(find bench/Micro/bin/Release -name GradDescent.Bench.Micro -type f -perm -u+x | head -n 1)"

# --- Start-up of the published binary: short commands and a 32-trial `run --no-report` (startup.json)
log "start-up: short commands and a 32-trial run"
"$python" bench/python/startup.py --graddescent "$out/graddescent/graddescent" --work "$out/work" --runs "$runs" \
    --out "$out/startup.json"

# --- Per-trial compute: each experiment's PyTorch peer, then GradDescent's BenchmarkDotNet run, back to back
# bdn NAME STRATEGY WARMUPS ITERATIONS FILTER...: one BenchmarkDotNet run in process, JSON export under
# $out/bdn-NAME. Throughput (calls of a few ms: iterations of >= 250 ms of calls) or Monitoring (calls of
# seconds: each warm-up and each measured iteration is exactly one call).
bdn() {
    local name="$1" strategy="$2" warmups="$3" iterations="$4"
    shift 4
    (cd "$out" && "$repo_root/$micro" --filter "$@" --inProcess --strategy "$strategy" --warmupCount "$warmups" \
        --iterationCount "$iterations" --iterationTime 250 --exporters json --artifacts "$out/bdn-$name" >"$out/bdn-$name.log" 2>&1) \
        || { tail -n 40 "$out/bdn-$name.log" >&2; exit 1; }
}
log "per-trial: linear regression"
"$python" bench/python/per_trial.py --cases linreg --runs "$runs" --scale "$scale" --out "$out/torch-linreg.json"
bdn linreg Throughput 1 "$runs" '*LinearRegressionBenchmarks*' '*TensorProgramBenchmarks*' '*HandWrittenBenchmarks*'
log "per-trial: vector spread"
"$python" bench/python/per_trial.py --cases spread --runs "$runs" --scale "$scale" --out "$out/torch-spread.json"
if $quick; then
    bdn spread Monitoring 1 1 '*VectorSpreadBenchmarks.RunFused(Trials: 1)' '*VectorSpreadBenchmarks.RunFused(Trials: 10)' \
        '*VectorSpreadBenchmarks.TensorProgram(Trials: 1)' '*EnergyBenchmarks.RunFused(Trials: 1)' '*HandWrittenSpreadBenchmarks*'
else
    bdn spread Monitoring 1 "$runs" '*VectorSpreadBenchmarks.RunFused*' '*EnergyBenchmarks.RunFused*' '*HandWrittenSpreadBenchmarks*'
    # the libtorch tensor program takes seconds per 100-trial call here: 3 measured runs
    bdn spread-tensor Monitoring 1 $(( runs < 3 ? runs : 3 )) '*VectorSpreadBenchmarks.TensorProgram(Trials: 1)' \
        '*VectorSpreadBenchmarks.TensorProgram(Trials: 100)' '*EnergyBenchmarks.TensorProgram(Trials: 100)'
fi
log "per-trial: adversarial"
# a batch-32 call takes 1-5 s here (both sides): every case gets the full number of runs
"$python" bench/python/per_trial.py --cases adversarial --runs "$runs" --out "$out/torch-adversarial.json"
# Debian's python3-torch runs its dense layers on the reference BLAS (libblas3); one more PyTorch row uses
# OpenBLAS, unpacked from Debian's libopenblas0-pthread under artifacts/ (downloaded, not installed).
openblas="$repo_root/artifacts/openblas"
openblas_lib="$openblas/usr/lib/x86_64-linux-gnu/openblas-pthread"
if [[ ! -f "$openblas_lib/libblas.so.3" ]]; then
    mkdir -p "$openblas/deb"
    (cd "$openblas/deb" && { apt-get download libopenblas0-pthread >/dev/null 2>&1 \
        || { apt-get update >/dev/null && apt-get download libopenblas0-pthread >/dev/null; }; })
    dpkg-deb -x "$openblas"/deb/libopenblas0-pthread_*.deb "$openblas"
fi
OPENBLAS_NUM_THREADS=1 LD_LIBRARY_PATH="$openblas_lib" "$python" bench/python/per_trial.py --cases adversarial-openblas \
    --runs "$runs" --out "$out/torch-adversarial-openblas.json"
bdn adversarial Monitoring 1 "$runs" '*AdversarialBenchmarks*'

# --- End to end and memory, on a private PostgreSQL
source bench/pg.sh
trap bench_pg_stop EXIT
bench_pg_start
log "PostgreSQL $BENCH_PG_VERSION on 127.0.0.1:$BENCH_PG_PORT"
"$python" bench/python/e2e.py --graddescent "$out/graddescent/graddescent" --work "$out/work" --out "$out/e2e.json" \
    --pg-port "$BENCH_PG_PORT" --pg-user "$BENCH_PG_USER" --sizes "$sizes" --rounds "$rounds" \
    --optuna-timeout "$optuna_timeout" --memory "" --spread-rounds "$spread_rounds"

# --- Reports at scale: a large sweep stored in PostgreSQL, `graddescent report` and every report view timed (reports.json)
log "reports at scale: $report_trials trials on PostgreSQL"
"$python" bench/python/reports_scale.py --graddescent "$out/graddescent/graddescent" --work "$out/work/reports" \
    --out "$out/reports.json" --pg-port "$BENCH_PG_PORT" --pg-user "$BENCH_PG_USER" --trials "$report_trials" --runs "$report_runs"
bench_pg_stop

# --- Memory: peak RSS of `graddescent run` (sweep, then its report) at each size (memory.json)
log "memory: $memory trials"
"$python" bench/python/memory.py --graddescent "$out/graddescent/graddescent" --work "$out/work" --out "$out/memory.json" \
    --sizes "$memory" --cap "$memory_cap"

# --- Dashboard: the trials page and API with a 100,000-trial sweep stored (dashboard.json, dashboard.md)
log "dashboard: trials page"
bench/dashboard.sh --graddescent "$out/graddescent/graddescent" --trials $(( 100000 / scale )) --out "$out/dashboard.json" >"$out/dashboard.md"

# --- The document
"$python" bench/python/machine.py --out "$out/machine-end.json"
"$python" bench/python/report.py --results "$out" --out "$document" --kept-from docs/benchmarks.md $($quick && echo --quick)
log "wrote $document in $(( SECONDS / 60 )) min $(( SECONDS % 60 )) s"
