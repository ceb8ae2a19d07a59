#!/usr/bin/env bash
# Compares GradDescent's search samplers with Optuna 3.1's on cheap closed-form objectives (seeds 0–9)
# and rewrites docs/search-benchmark.md: best value found per trial (median and quartiles) and the
# samplers' time per trial. This isolates sampler quality from the product's pipeline (no workers, no
# database); the end-to-end comparison belongs to bench/run.sh.
#
#   ./bench/search.sh            # seeds 0–9, about 6 minutes on 2 cores
#   ./bench/search.sh --quick    # 3 seeds, to check the pipeline (numbers not meaningful)
#
# BENCH_SEARCH_SEEDS=N runs seeds 0..N-1 instead; BENCH_SEARCH_PROBLEMS="quadratic branin" runs only those;
# BENCH_SEARCH_OUT names another report file (default docs/search-benchmark.md).
# Installs python3-optuna and python3-numpy from Debian when missing (root). Raw results stay in
# artifacts/bench-search/ (not committed).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
seeds="$(seq -s, 0 $(( ${BENCH_SEARCH_SEEDS:-10} - 1 )))"
problems="${BENCH_SEARCH_PROBLEMS:-quadratic branin conditional linreg}"
report="${BENCH_SEARCH_OUT:-docs/search-benchmark.md}"
if [[ $# -gt 0 ]]; then
    case "$1" in
        --quick) seeds="0,1,2" ;;
        *) echo "usage: ./bench/search.sh [--quick]" >&2; exit 2 ;;
    esac
fi

log() { printf 'bench/search: %s\n' "$*" >&2; }
python=/usr/bin/python3
out="$repo_root/artifacts/bench-search"
rm -rf "$out"
mkdir -p "$out"

missing=()
for module_package in optuna:python3-optuna numpy:python3-numpy; do
    "$python" -c "import ${module_package%%:*}" 2>/dev/null || missing+=("${module_package##*:}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

log "building bench/Search (Release)"
dotnet build bench/Search -c Release -o "$out/bin" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }

results="$out/results.jsonl"
for problem in $problems; do
    case "$problem" in
        quadratic | branin | linreg) trials=100 ;;
        conditional) trials=200 ;;
        *) echo "unknown problem '$problem' (quadratic, branin, conditional, linreg)" >&2; exit 2 ;;
    esac
    for run in "graddescent tpe 1" "optuna tpe 1" "graddescent tpe 10" "optuna tpe 10" "graddescent random 10" "optuna random 1"; do
        read -r tool algorithm batch <<<"$run"
        log "$problem: $tool $algorithm, batch $batch, $trials trials, seeds ${seeds%%,*}..${seeds##*,}"
        if [[ "$tool" == graddescent ]]; then
            "$out/bin/GradDescent.Bench.Search" "$problem" "$algorithm" "$trials" "$batch" "$seeds" >>"$results"
        else
            "$python" bench/python/search_optuna.py "$problem" "$algorithm" "$trials" "$batch" "$seeds" >>"$results"
        fi
    done
done

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench tests || echo '+changes')"
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $("$python" -c 'import optuna; print("Optuna", optuna.__version__)'), $(dotnet --version | sed 's/^/.NET SDK /')"
"$python" bench/python/search_report.py "$results" "$report" "$commit" "$machine"
log "wrote $report"
