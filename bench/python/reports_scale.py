#!/usr/bin/python3
"""Reports at scale for docs/benchmarks.md (issue 14, target 8): one linear-regression sweep of N trials (e2e.py's
grid) stored in PostgreSQL by `graddescent run --no-report`, then `graddescent report` timed (median of --runs, after
one unmeasured run) and each report view queried for that sweep with EXPLAIN (ANALYZE) (the server's execution time;
the plans are kept beside the JSON).

    /usr/bin/python3 bench/python/reports_scale.py --graddescent DIR/graddescent --work DIR --out reports.json \
        --pg-port P --pg-user U [--trials 100000] [--runs 3]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from e2e import OPTIMIZERS, SEEDS, write_spec  # noqa: E402  (the same grid as the end-to-end runs)

# Every view a SQL user (or the report) reads per sweep; trial_step_values is counted, not listed (one row per step).
VIEWS = ["optimizer_summary", "learning_rate_curve", "trial_convergence", "trial_optimum", "spread_shapes",
         "attack_success", "trial_objectives", "pareto_front"]


def log(message):
    print(f"reports-scale: {message}", file=sys.stderr, flush=True)


def psql(args, database, sql):
    done = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(args.pg_port), "-U", args.pg_user, "-d", database,
                           "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          capture_output=True, text=True, check=True)
    return done.stdout


def explain(args, database, sql):
    """(server execution ms, planning ms, plan text) of one query, run for real by EXPLAIN ANALYZE."""
    plan = json.loads(psql(args, database, f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"))[0]
    text = psql(args, database, f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
    return plan["Execution Time"], plan["Planning Time"], text


def server_cpu(args, database, sql):
    """CPU seconds (user + system) the server's backend spent on one run of the query: less sensitive to other work on
    the machine than its execution time."""
    script = "\n".join([
        "SELECT pg_backend_pid() AS pid \\gset",
        "\\setenv BENCH_BACKEND :pid",
        "\\o /dev/null",
        "\\! awk '{print $14 + $15}' /proc/$BENCH_BACKEND/stat > " + os.path.join(args.work, "cpu-before"),
        f"{sql};",
        "\\! awk '{print $14 + $15}' /proc/$BENCH_BACKEND/stat > " + os.path.join(args.work, "cpu-after"),
    ])
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(args.pg_port), "-U", args.pg_user, "-d", database, "-X", "-q",
                    "-v", "ON_ERROR_STOP=1"], input=script, text=True, check=True, capture_output=True)
    ticks = []
    for name in ("cpu-before", "cpu-after"):
        with open(os.path.join(args.work, name), encoding="utf-8") as f:
            ticks.append(int(f.read().split()[0]))
    return (ticks[1] - ticks[0]) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graddescent", required=True, help="the published graddescent binary")
    parser.add_argument("--work", required=True, help="scratch folder")
    parser.add_argument("--out", required=True, help="JSON file to write (plans go beside it, <out>.plans.txt)")
    parser.add_argument("--pg-port", type=int, required=True)
    parser.add_argument("--pg-user", required=True)
    parser.add_argument("--trials", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3, help="measured report runs (after one unmeasured)")
    parser.add_argument("--sweep", help="measure this sweep, already stored in database gd_reports_<trials>, instead of storing one")
    args = parser.parse_args()
    if args.trials % (len(OPTIMIZERS) * SEEDS):
        parser.error(f"--trials: {args.trials} is not a multiple of {len(OPTIMIZERS) * SEEDS}")
    os.makedirs(args.work, exist_ok=True)
    database = f"gd_reports_{args.trials}"
    connection = f"Host=127.0.0.1;Port={args.pg_port};Username={args.pg_user};Database={database}"
    started = time.monotonic()
    if args.sweep:
        sweep = args.sweep
    else:
        psql(args, "postgres", f"DROP DATABASE IF EXISTS {database}")
        psql(args, "postgres", f"CREATE DATABASE {database}")
        spec, _ = write_spec(args.work, args.trials)
        log(f"storing a {args.trials:,}-trial sweep in PostgreSQL (graddescent run --no-report)")
        done = subprocess.run([args.graddescent, "run", spec, "--db", connection, "--no-report", "--json"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"graddescent run exited {done.returncode}:\n{done.stderr[-3000:]}")
        sweep = next(json.loads(line)["sweep"] for line in reversed(done.stdout.splitlines())
                     if line.startswith("{") and '"finished"' in line)
    run_seconds = time.monotonic() - started
    stored = int(psql(args, database, f"SELECT count(*) FROM trials WHERE sweep_id = '{sweep}'").strip())
    log(f"sweep {sweep}: {stored:,} trials stored in {run_seconds:.0f} s")

    walls, cpus = [], []
    for attempt in range(args.runs + 1):
        folder = os.path.join(args.work, f"report-{attempt}")
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        subprocess.run([args.graddescent, "report", sweep, "--db", connection, "--out", folder], check=True,
                       capture_output=True, text=True)
        wall = time.monotonic() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime
        subprocess.run(["rm", "-rf", folder], check=False)
        if attempt:
            walls.append(wall)
            cpus.append(cpu)
        log(f"report {'(unmeasured) ' if not attempt else ''}{wall:.2f} s wall, {cpu:.2f} s CPU (the command's)")

    views, plans = [], []
    for view in VIEWS:
        sql = f"SELECT * FROM {view} WHERE sweep_id = '{sweep}'"
        rows = int(psql(args, database, f"SELECT count(*) FROM ({sql}) AS v").strip())
        executions = [explain(args, database, sql) for _ in range(3)]
        median_ms = statistics.median(e[0] for e in executions)
        cpu = server_cpu(args, database, sql)
        views.append({"view": view, "rows": rows, "execution_ms": median_ms, "server_cpu_s": cpu,
                      "planning_ms": statistics.median(e[1] for e in executions)})
        plans.append(f"-- {sql}\n{executions[-1][2]}")
        log(f"{view}: {rows:,} rows, {median_ms:,.1f} ms, server CPU {cpu:.2f} s")
    with open(args.out + ".plans.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(plans))
    result = {"trials": args.trials, "stored": stored, "database": "postgresql", "sweep": sweep,
              "report_walls": walls, "report_median": statistics.median(walls), "report_cpus": cpus,
              "report_cpu_median": statistics.median(cpus), "views": views,
              "load": os.getloadavg()[0]}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
