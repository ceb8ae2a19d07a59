#!/usr/bin/python3
"""The adaptive-search end-to-end benchmark (bench/search-e2e.sh): GradDescent's TPE sweep through `graddescent run`
(sweep grain, fused workers, SQLite) against Optuna 3.1's own TPESampler through an Optuna SQLite storage, on the same
problem and budget: linear regression (50 iterations, init_intercept -180) over optimizer in {gd, momentum, rmsprop,
adam} and a log-uniform learning rate in [1e-6, 1]. Also GradDescent with ASHA early stopping (iterations computed)
and random search (the floor). Writes one JSON line per run, then the markdown table.

    /usr/bin/python3 bench/python/search_e2e.py --graddescent PATH --work DIR --seeds 5 --trials 100 --out results.jsonl"""
import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXACT_MSE = None


def spec(name, algorithm, seed, trials, batch, asha):
    text = f"""name: {name}
description: Adaptive-search benchmark, linear regression, 50 iterations.
experiment: linear-regression
parameters: {{iterations: 50, init_intercept: -180}}
search:
  algorithm: {algorithm}
  trials: {trials}
  batch: {batch}
  seed: {seed}
  space:
    optimizer: {{choice: [gd, momentum, rmsprop, adam]}}
    learning_rate: {{log_uniform: [1.0e-6, 1.0]}}
"""
    if asha:
        text += "early_stopping: {algorithm: asha, metric_step: 5, min_iterations: 5, reduction_factor: 3}\n"
    return text


def graddescent(args, label, algorithm, seed, batch, asha):
    name = f"{label}-{seed}"
    path = os.path.join(args.work, f"{name}.yaml")
    database = os.path.join(args.work, f"{name}.db")
    for stale in (database, database + "-wal", database + "-shm"):
        if os.path.exists(stale):
            os.remove(stale)
    with open(path, "w", encoding="utf-8") as f:
        f.write(spec(name, algorithm, seed, args.trials, batch, asha))
    started = time.perf_counter()
    run = subprocess.run([args.graddescent, "run", path, "--db", database, "--json", "--no-report"],
                         capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"graddescent run {path} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    finished = json.loads([line for line in run.stdout.splitlines() if '"event":"finished"' in line][-1])
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT t.trial_index, t.status, t.primary_metric, s.step_values FROM trials t "
                          "LEFT JOIN trial_steps s ON s.sweep_id = t.sweep_id AND s.trial_index = t.trial_index AND s.metric = 'loss' "
                          "ORDER BY t.trial_index").fetchall()
        exact = db.execute("SELECT json_extract(metrics, '$.exact_mse') FROM trials WHERE status = 'completed' LIMIT 1").fetchone()[0]
    best, history, iterations = float("inf"), [], 0
    for _, status, value, steps in rows:
        if status == "completed" and value is not None:
            best = min(best, value)
        history.append(best)
        iterations += len(json.loads(steps)) if status == "pruned" and steps else 50
    return {"tool": "graddescent", "algorithm": label, "seed": seed, "trials": len(rows), "batch": batch,
            "seconds": finished["seconds"], "wall_seconds": round(wall, 3), "trials_per_second": finished["trials_per_second"],
            "best": best, "history": history, "iterations": iterations, "exact_mse": exact,
            "pruned": sum(1 for r in rows if r[1] == "pruned")}


def optuna(args, seed):
    database = os.path.join(args.work, f"optuna-{seed}.db")
    if os.path.exists(database):
        os.remove(database)
    started = time.perf_counter()
    run = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "search_e2e_optuna.py"), "--storage", f"sqlite:///{database}",
                          "--seed", str(seed), "--trials", str(args.trials)], capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"optuna seed {seed} failed:\n{run.stderr[-3000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(wall, 3)
    result["batch"] = 1
    return result


def quartiles(values):
    values = sorted(values)
    if len(values) == 1:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], statistics.median(values), q[2]


def report(results, trials, seeds):
    exact = next(r["exact_mse"] for r in results if r.get("exact_mse") is not None)
    rows = [("GradDescent TPE (batches of 10)", "graddescent", "tpe"), ("GradDescent TPE + ASHA (batches of 10)", "graddescent", "tpe-asha"),
            ("GradDescent random", "graddescent", "random"), ("Optuna 3.1 TPESampler (one at a time)", "optuna", "tpe")]
    checkpoints = [c for c in (10, 25, 50, 100, 200) if c <= trials]
    lines = [f"Linear regression (50 iterations) over optimizer ∈ {{gd, momentum, rmsprop, adam}} × learning rate log-uniform in "
             f"[1e-6, 1], {trials} trials per run, seeds 0–{seeds - 1}, both tools on SQLite. Gap: best mse found minus the exact "
             f"least-squares mse ({exact:.6g}), median [quartiles] over seeds; lower is better. Trials/s: in-run (GradDescent's "
             "`finished` line; Optuna's time inside `study.optimize`), median over seeds. Iterations: gradient steps computed over "
             "the whole run (a pruned trial counts the steps it ran).", "",
             "| search | " + " | ".join(f"gap after {c} trials" for c in checkpoints) + " | trials/s (median) | iterations computed (median) | pruned (median) |",
             "|---|" + "---:|" * (len(checkpoints) + 3)]
    for title, tool, algorithm in rows:
        runs = [r for r in results if r["tool"] == tool and r["algorithm"] == algorithm]
        if not runs:
            continue
        cells = []
        for c in checkpoints:
            q1, med, q3 = quartiles([r["history"][c - 1] - exact for r in runs])
            cells.append(f"{med:.3g} [{q1:.3g}, {q3:.3g}]")
        tps = statistics.median(r["trials_per_second"] for r in runs)
        iterations = statistics.median(r["iterations"] for r in runs)
        pruned = statistics.median(r.get("pruned", 0) for r in runs)
        lines.append(f"| {title} | " + " | ".join(cells) + f" | {tps:.1f} | {iterations:,.0f} | {pruned:.0f} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graddescent", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--out", required=True, help="results.jsonl (appended)")
    parser.add_argument("--markdown", required=True, help="the table is written here")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    results = []
    for seed in range(args.seeds):
        for run in (lambda: graddescent(args, "tpe", "tpe", seed, 10, False), lambda: graddescent(args, "tpe-asha", "tpe", seed, 10, True),
                    lambda: graddescent(args, "random", "random", seed, 10, False), lambda: optuna(args, seed)):
            result = run()
            print(f"search-e2e: seed {seed} {result['tool']} {result['algorithm']}: best {result['best']:.6g}, "
                  f"{result['trials_per_second']} trials/s", file=sys.stderr)
            results.append(result)
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(result) + "\n")
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(report(results, args.trials, args.seeds))


if __name__ == "__main__":
    main()
