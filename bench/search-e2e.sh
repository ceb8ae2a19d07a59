#!/usr/bin/env bash
# The adaptive-search end-to-end benchmark: GradDescent's TPE sweep (graddescent run: sweep grain, fused workers,
# SQLite) against Optuna 3.1's TPESampler (Debian's python3-optuna, SQLite storage) on the same linear-regression
# tuning problem and budget, plus GradDescent with ASHA and random search. Prints the markdown table of
# docs/benchmarks.md's section "Adaptive search end to end" (update the table and its reading there by hand;
# bench/run.sh's report keeps that section as it stands); raw results stay in artifacts/bench-search-e2e/.
#
#   ./bench/search-e2e.sh                    # seeds 0–4, 100 trials each (about 15 minutes on a busy 2-core machine)
#   BENCH_SEARCH_E2E_SEEDS=10 BENCH_SEARCH_E2E_TRIALS=200 ./bench/search-e2e.sh
#
# BENCH_GRADDESCENT=PATH uses an already published graddescent instead of publishing one (Release) first.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
out="$repo_root/artifacts/bench-search-e2e"
mkdir -p "$out"
rm -rf "$out/work" "$out/results.jsonl"
export OMP_NUM_THREADS="${BENCH_THREADS:-1}"

missing=()
for module_package in optuna:python3-optuna numpy:python3-numpy torch:python3-torch; do
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

/usr/bin/python3 bench/python/search_e2e.py --graddescent "$graddescent" --work "$out/work" \
    --seeds "${BENCH_SEARCH_E2E_SEEDS:-5}" --trials "${BENCH_SEARCH_E2E_TRIALS:-100}" --out "$out/results.jsonl" --markdown "$out/table.md"
cat "$out/table.md"
