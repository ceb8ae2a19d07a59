#!/usr/bin/python3
"""Start-up of the published graddescent binary for docs/benchmarks.md: the wall time of short commands
(--version, --help, validate, sweeps, status, results) and of `graddescent run` of a 32-trial linear-regression
spec with --no-report on a fresh SQLite file, plus, for run, when the first fused group started computing after the
process was spawned (read back from the store), and `graddescent report` of the stored seed-optimizers sweep
(sweeps/seed-optimizers.yaml: 99 trials, three animated fits). Each case runs once unmeasured, then --runs times; cases are
interleaved round by round, so every round sees the same load.

    /usr/bin/python3 bench/python/startup.py --graddescent DIR/graddescent --work DIR --out startup.json [--runs 5]
"""
import argparse
import datetime
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time

from e2e import parse_store_time

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT_CASE = "report seed-optimizers (99 trials)"

SPEC = """# bench: start-up, 32 short linear-regression trials
name: bench-startup-32
description: Start-up benchmark, 2 optimizers x 16 learning rates, 50 iterations.
experiment: linear-regression
parameters:
  iterations: 50
  init_intercept: -180
grid:
  optimizer: [gd, adam]
  learning_rate: {log: [1.0e-6, 1.0e-4], count: 16}
"""


def log(message):
    print(f"startup: {message}", file=sys.stderr, flush=True)


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, env):
    """Runs a command; returns (wall seconds, CPU seconds (user + system, all threads), spawn time as a UTC datetime).
    Fails on a non-zero exit."""
    cpu_before = cpu_of_children()
    spawned = datetime.datetime.now(datetime.timezone.utc)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return wall, cpu_of_children() - cpu_before, spawned


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graddescent", required=True, help="the published graddescent binary")
    parser.add_argument("--work", required=True, help="scratch folder (databases, spec)")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per case")
    args = parser.parse_args()

    work = os.path.join(args.work, "startup")
    os.makedirs(work, exist_ok=True)
    spec = os.path.join(work, "startup-32.yaml")
    with open(spec, "w", encoding="utf-8") as f:
        f.write(SPEC)
    env = dict(os.environ)
    binary = args.graddescent

    # One stored sweep for the commands that read the store.
    stored = os.path.join(work, "stored.db")
    if os.path.exists(stored):
        os.remove(stored)
    timed([binary, "run", spec, "--db", stored, "--no-report"], env)
    with sqlite3.connect(stored) as connection:
        sweep_id = connection.execute("SELECT id FROM sweeps").fetchone()[0]
    seed_optimizers = os.path.join(work, "seed-optimizers.db")
    if os.path.exists(seed_optimizers):
        os.remove(seed_optimizers)
    timed([binary, "run", os.path.join(os.path.dirname(HERE), "..", "sweeps", "seed-optimizers.yaml"), "--db", seed_optimizers,
           "--no-report"], env)
    with sqlite3.connect(seed_optimizers) as connection:
        seed_optimizers_id = connection.execute("SELECT id FROM sweeps").fetchone()[0]

    short = {
        "--version": [binary, "--version"],
        "--help": [binary, "--help"],
        "validate SPEC": [binary, "validate", spec],
        "sweeps": [binary, "sweeps", "--db", stored],
        "status SWEEP": [binary, "status", sweep_id, "--db", stored],
        "results SWEEP --csv": [binary, "results", sweep_id, "--csv", "--db", stored],
        REPORT_CASE: [binary, "report", seed_optimizers_id, "--db", seed_optimizers, "--out", os.path.join(work, "report")],
    }
    run_case = "run SPEC --no-report (32 trials)"
    cases = {name: [] for name in [*short, run_case]}
    first_group = []
    loads = []
    for round_number in range(args.runs + 1):
        loads.append(os.getloadavg()[0])
        for name, command in short.items():
            wall, cpu, _ = timed(command, env)
            if round_number > 0:
                cases[name].append((wall, cpu))
        db = os.path.join(work, f"run-{round_number}.db")
        for leftover in (db, db + "-wal", db + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        wall, cpu, spawned = timed([binary, "run", spec, "--db", db, "--no-report"], env)
        with sqlite3.connect(db) as connection:
            first, done = connection.execute("SELECT MIN(started_at), COUNT(*) FROM trials").fetchone()
        if done != 32:
            raise RuntimeError(f"run stored {done} trials, not 32")
        if round_number > 0:
            cases[run_case].append((wall, cpu))
            first_group.append((parse_store_time(first) - spawned).total_seconds())
        log(f"round {round_number}: run {wall:.2f} s, first group {(parse_store_time(first) - spawned).total_seconds():.2f} s after spawn")

    result = {
        "runs": args.runs,
        "cases": [{"case": name, "walls": [w for w, _ in runs], "cpus": [c for _, c in runs],
                   "median_wall": statistics.median(w for w, _ in runs), "median_cpu": statistics.median(c for _, c in runs)}
                  for name, runs in cases.items()],
        "run_case": run_case,
        "report_case": REPORT_CASE,
        "first_group_seconds": first_group,
        "first_group_median": statistics.median(first_group),
        "load": loads + [os.getloadavg()[0]],
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
