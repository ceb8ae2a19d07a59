#!/usr/bin/env bash
# The dashboard's trials-page benchmark: a 100,000-trial sweep stored in SQLite, served by `graddescent dashboard`
# (Release), the trials page and API timed over HTTP from this machine (p50/p95/max of N requests after 5 warm-ups).
#
#   ./bench/dashboard.sh [--graddescent PATH] [--trials N] [--requests N] [--out FILE]
#
# Without --graddescent it publishes src/Silo (Release) into artifacts/bench-dashboard/. Writes one JSON object
# (to --out, default artifacts/bench-dashboard/dashboard.json: the timings, the trial count) and prints a Markdown
# table. bench/run.sh calls it; bench/python/report.py turns its JSON into the Dashboard section of docs/benchmarks.md.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
work="$repo_root/artifacts/bench-dashboard"
graddescent=""
trials=100000
requests=50
out="$work/dashboard.json"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --graddescent) graddescent="$2"; shift 2 ;;
        --trials) trials="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "usage: ./bench/dashboard.sh [--graddescent PATH] [--trials N] [--requests N] [--out FILE]" >&2; exit 2 ;;
    esac
done

log() { printf 'bench-dashboard: %s\n' "$*" >&2; }
mkdir -p "$work" "$(dirname "$out")"
if [[ -z "$graddescent" ]]; then
    log "publishing graddescent (Release)"
    dotnet publish src/Silo -c Release -o "$work/graddescent" --nologo -v quiet >"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; exit 1; }
    graddescent="$work/graddescent/graddescent"
fi
log "building bench/Dashboard (Release)"
dotnet build bench/Dashboard -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
tool="$(find bench/Dashboard/bin/Release -name GradDescent.Bench.Dashboard -type f -perm -u+x | head -n 1)"

db="$work/trials.db"
rm -f "$db" "$db-wal" "$db-shm"
log "seeding $trials trials into $db"
sweep="$("$tool" seed --db "Data Source=$db" --trials "$trials")"

port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
"$graddescent" dashboard --db "$db" --urls "http://127.0.0.1:$port" >"$work/dashboard.log" 2>&1 &
dashboard=$!
trap 'kill "$dashboard" 2>/dev/null || true; wait "$dashboard" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
    kill -0 "$dashboard" 2>/dev/null || { cat "$work/dashboard.log" >&2; exit 1; }
    sleep 0.5
done
log "measuring $requests requests per case against http://127.0.0.1:$port"
"$tool" measure --url "http://127.0.0.1:$port" --sweep "$sweep" --requests "$requests" >"$out"
python3 - "$out" "$trials" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
# The sweep's size travels with the timings: bench/python/report.py puts both into docs/benchmarks.md.
result["trials"] = int(sys.argv[2])
result["database"] = "sqlite"
with open(sys.argv[1], "w") as f:
    json.dump(result, f)
print(f"Trials page and API with {int(sys.argv[2]):,} trials stored (SQLite, graddescent dashboard, Release):\n")
print("| request | p50 ms | p95 ms | max ms |")
print("|---|---:|---:|---:|")
for case in result["cases"]:
    print(f"| {case['case']} | {case['p50_ms']} | {case['p95_ms']} | {case['max_ms']} |")
PY
