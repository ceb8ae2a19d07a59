#!/usr/bin/python3
"""The adaptive-search end-to-end benchmark (bench/search-e2e.sh): GradDescent's TPE sweep through `graddescent run`
(sweep grain, fused workers) against Optuna 3.1's own TPESampler through an Optuna RDB storage, both on the same store
(SQLite files, or one PostgreSQL server), on the same problem and budget: linear regression (50 iterations,
init_intercept -180) over optimizer in {gd, momentum, rmsprop, adam} and a log-uniform learning rate in [1e-6, 1].
Also GradDescent with ASHA early stopping at two rung schedules (iterations computed), TPE with two generations in
flight (parallel_batches 2) and random search (the floor). Writes one JSON line per run, then the markdown table.

    /usr/bin/python3 bench/python/search_e2e.py --graddescent PATH --work DIR --seeds 10 --trials 100 --out results.jsonl
        [--store postgresql --pg-port PORT --pg-user USER]"""
import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
EXACT_MSE = None


# The GradDescent runs per seed: label -> (algorithm, extra search lines, early_stopping mapping or None).
ASHA_5_3 = "{algorithm: asha, metric_step: 5, min_iterations: 5, reduction_factor: 3}"
ASHA_3_4 = "{algorithm: asha, metric_step: 1, min_iterations: 3, reduction_factor: 4}"
RUNS = {
    "tpe": ("tpe", "", None),
    "tpe-asha": ("tpe", "", ASHA_5_3),
    "tpe-asha-4": ("tpe", "", ASHA_3_4),
    "tpe-pb2": ("tpe", "  parallel_batches: 2\n", None),
    "random": ("random", "", None),
}
# A gap below this is the better plateau (adam or rmsprop moving the intercept: gap 3.88-3.90; gd's plateau: 4.01).
BETTER_PLATEAU = 3.95


def spec(name, algorithm, seed, trials, batch, extra, early_stopping):
    text = f"""name: {name}
description: Adaptive-search benchmark, linear regression, 50 iterations.
experiment: linear-regression
parameters: {{iterations: 50, init_intercept: -180}}
search:
  algorithm: {algorithm}
  trials: {trials}
  batch: {batch}
  seed: {seed}
{extra}  space:
    optimizer: {{choice: [gd, momentum, rmsprop, adam]}}
    learning_rate: {{log_uniform: [1.0e-6, 1.0]}}
"""
    if early_stopping:
        text += f"early_stopping: {early_stopping}\n"
    return text


def createdb(args, name):
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(args.pg_port), "-U", args.pg_user, "-d", "postgres",
                    "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)


def read_trials(args, database):
    """(trial_index, status, primary_metric, loss steps stored) per trial, and the exact mse, from either store."""
    if args.store == "sqlite":
        with sqlite3.connect(database) as db:
            rows = db.execute("SELECT t.trial_index, t.status, t.primary_metric, s.step_values FROM trials t "
                              "LEFT JOIN trial_steps s ON s.sweep_id = t.sweep_id AND s.trial_index = t.trial_index AND s.metric = 'loss' "
                              "ORDER BY t.trial_index").fetchall()
            exact = db.execute("SELECT json_extract(metrics, '$.exact_mse') FROM trials WHERE status = 'completed' LIMIT 1").fetchone()[0]
        return [(i, status, value, len(json.loads(steps)) if steps else 0) for i, status, value, steps in rows], exact
    import psycopg2
    with psycopg2.connect(host="127.0.0.1", port=args.pg_port, user=args.pg_user, dbname=database) as db, db.cursor() as cursor:
        cursor.execute("SELECT t.trial_index, t.status, t.primary_metric, coalesce(cardinality(s.step_values), 0) FROM trials t "
                       "LEFT JOIN trial_steps s ON s.sweep_id = t.sweep_id AND s.trial_index = t.trial_index AND s.metric = 'loss' "
                       "ORDER BY t.trial_index")
        rows = cursor.fetchall()
        cursor.execute("SELECT (metrics ->> 'exact_mse')::double precision FROM trials WHERE status = 'completed' LIMIT 1")
        exact = cursor.fetchone()[0]
    return rows, exact


def graddescent(args, label, seed, batch):
    algorithm, extra, early_stopping = RUNS[label]
    name = f"{label}-{seed}"
    path = os.path.join(args.work, f"{name}.yaml")
    if args.store == "sqlite":
        database = os.path.join(args.work, f"{name}.db")
        for stale in (database, database + "-wal", database + "-shm"):
            if os.path.exists(stale):
                os.remove(stale)
        connection = database
    else:
        database = f"gd_search_{uuid.uuid4().hex[:10]}"
        createdb(args, database)
        connection = f"Host=127.0.0.1;Port={args.pg_port};Username={args.pg_user};Database={database}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(spec(name, algorithm, seed, args.trials, batch, extra, early_stopping))
    started = time.perf_counter()
    run = subprocess.run([args.graddescent, "run", path, "--db", connection, "--json", "--no-report"],
                         capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"graddescent run {path} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    finished = json.loads([line for line in run.stdout.splitlines() if '"event":"finished"' in line][-1])
    rows, exact = read_trials(args, database)
    best, history, iterations = float("inf"), [], 0
    for _, status, value, steps in rows:
        if status == "completed" and value is not None:
            best = min(best, value)
        history.append(best)
        # A pruned trial ran the steps it stored; every other one ran all 50 (a diverged row is not stopped).
        iterations += steps if status == "pruned" else 50
    return {"tool": "graddescent", "algorithm": label, "store": args.store, "seed": seed, "trials": len(rows), "batch": batch,
            "seconds": finished["seconds"], "wall_seconds": round(wall, 3), "trials_per_second": finished["trials_per_second"],
            "best": best, "history": history, "iterations": iterations, "exact_mse": exact,
            "pruned": sum(1 for r in rows if r[1] == "pruned")}


def optuna(args, seed):
    if args.store == "sqlite":
        database = os.path.join(args.work, f"optuna-{seed}.db")
        if os.path.exists(database):
            os.remove(database)
        storage = f"sqlite:///{database}"
    else:
        storage = f"postgresql+psycopg2://{args.pg_user}@127.0.0.1:{args.pg_port}/{args.optuna_database}"
    started = time.perf_counter()
    run = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "search_e2e_optuna.py"), "--storage", storage,
                          "--seed", str(seed), "--trials", str(args.trials)], capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"optuna seed {seed} failed:\n{run.stderr[-3000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(wall, 3)
    result["batch"] = 1
    result["store"] = args.store
    return result


def quartiles(values):
    values = sorted(values)
    if len(values) == 1:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], statistics.median(values), q[2]


def report(results, trials, seeds, store):
    exact = next(r["exact_mse"] for r in results if r.get("exact_mse") is not None)
    rows = [("GradDescent TPE (batches of 10)", "graddescent", "tpe"),
            ("GradDescent TPE, 2 generations in flight (`parallel_batches: 2`)", "graddescent", "tpe-pb2"),
            ("GradDescent TPE + ASHA (η 3, rungs 5, 15, 45)", "graddescent", "tpe-asha"),
            ("GradDescent TPE + ASHA (η 4, rungs 3, 12, 48)", "graddescent", "tpe-asha-4"),
            ("GradDescent random", "graddescent", "random"), ("Optuna 3.1 TPESampler (one at a time)", "optuna", "tpe")]
    checkpoints = [c for c in (10, 25, 50, 100, 200) if c <= trials]
    store_name = "SQLite (one file per run)" if store == "sqlite" else "PostgreSQL (one private server, fsync off)"
    baseline = [r["iterations"] for r in results if r["tool"] == "graddescent" and r["algorithm"] == "tpe"]
    lines = [f"Linear regression (50 iterations) over optimizer ∈ {{gd, momentum, rmsprop, adam}} × learning rate log-uniform in "
             f"[1e-6, 1], {trials} trials per run, seeds 0–{seeds - 1}, both tools on {store_name}. Gap: best mse found minus the exact "
             f"least-squares mse ({exact:.6g}), median [quartiles] over seeds; lower is better. 'Better plateau': seeds whose best gap "
             f"is under {BETTER_PLATEAU} (adam or rmsprop moving the intercept) rather than gd's 4.01. Trials/s: in-run (GradDescent's "
             "`finished` line; Optuna's time inside `study.optimize`), median over seeds. Iterations: gradient steps computed over "
             "the whole run (a pruned trial counts the steps it ran), median over seeds, and as a share of TPE without early stopping.", "",
             "| search | " + " | ".join(f"gap after {c} trials" for c in checkpoints)
             + " | better plateau | trials/s (median) | iterations computed (median) | pruned (median) |",
             "|---|" + "---:|" * (len(checkpoints) + 4)]
    for title, tool, algorithm in rows:
        runs = [r for r in results if r["tool"] == tool and r["algorithm"] == algorithm]
        if not runs:
            continue
        cells = []
        for c in checkpoints:
            q1, med, q3 = quartiles([r["history"][c - 1] - exact for r in runs])
            cells.append(f"{med:.3g} [{q1:.3g}, {q3:.3g}]")
        better = sum(1 for r in runs if r["history"][-1] - exact < BETTER_PLATEAU)
        tps = statistics.median(r["trials_per_second"] for r in runs)
        iterations = statistics.median(r["iterations"] for r in runs)
        share = f" ({iterations / statistics.median(baseline):.0%})" if baseline else ""
        pruned = statistics.median(r.get("pruned", 0) for r in runs)
        lines.append(f"| {title} | " + " | ".join(cells) + f" | {better} of {len(runs)} | {tps:.1f} | {iterations:,.0f}{share} | {pruned:.0f} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graddescent", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--out", required=True, help="results.jsonl (appended)")
    parser.add_argument("--markdown", required=True, help="the table is written here")
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", default=",".join([*RUNS, "optuna"]), help="comma-separated: " + ", ".join([*RUNS, "optuna"]))
    parser.add_argument("--pg-port", type=int)
    parser.add_argument("--pg-user")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.store == "postgresql":
        if not args.pg_port or not args.pg_user:
            parser.error("--store postgresql needs --pg-port and --pg-user")
        args.optuna_database = f"optuna_search_{uuid.uuid4().hex[:10]}"
        createdb(args, args.optuna_database)
    results = []
    for seed in range(args.seeds):
        for label in args.runs.split(","):
            result = optuna(args, seed) if label == "optuna" else graddescent(args, label, seed, 10)
            print(f"search-e2e: seed {seed} {result['tool']} {result['algorithm']}: best {result['best']:.6g}, "
                  f"{result['trials_per_second']} trials/s", file=sys.stderr)
            results.append(result)
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(result) + "\n")
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(report(results, args.trials, args.seeds, args.store))


if __name__ == "__main__":
    main()
