#!/usr/bin/python3
"""Optuna's side of bench/search.sh: Optuna 3.1's TPESampler (defaults) and RandomSampler on the same
closed-form objectives and search spaces as tests/Sweeps.Tests/Search/SyntheticObjectives.cs, in-memory
storage, so only the samplers are compared. Batch 1 is plain study.optimize; batch B > 1 asks B trials,
then tells their values (constant_liar=True for TPE), as a fused batch of B trials runs.

    /usr/bin/python3 bench/python/search_optuna.py PROBLEM ALGORITHM TRIALS BATCH SEEDS

Prints one JSON line per seed: the objective of every trial in trial order and the seconds the loop took."""
import json
import logging
import math
import sys
import time
import warnings

import optuna


def quadratic(trial):
    x = trial.suggest_float("init_slope", -5, 5)
    y = trial.suggest_float("init_intercept", -5, 5)
    return (x - 1) ** 2 + (y + 2) ** 2


def branin(trial):
    x1 = trial.suggest_float("init_slope", -5, 10)
    x2 = trial.suggest_float("init_intercept", 0, 15)
    b = 5.1 / (4 * math.pi * math.pi)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def conditional(trial):
    optimizer = trial.suggest_categorical("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
    learning_rate = trial.suggest_float("learning_rate", 1e-5, 1.0, log=True)
    momentum = trial.suggest_float("momentum", 0.0, 0.99) if optimizer == "momentum" else None
    iterations = trial.suggest_int("iterations", 10, 200)
    offset, best_log = {"sgd": (1.0, -1.0), "momentum": (0.0, -2.0), "rmsprop": (0.5, -3.0)}.get(optimizer, (0.3, -2.5))
    value = offset + (math.log10(learning_rate) - best_log) ** 2 + ((iterations - 120) / 100.0) ** 2
    return value + 10 * (momentum - 0.9) ** 2 if momentum is not None else value


_LINREG = []


def linreg(trial):
    """The adaptive-search end-to-end problem (search_e2e.py) in NumPy; a diverged run (inf/nan) is NaN, which
    Optuna records as a failed trial, so it gets a huge finite value instead, as search_e2e_optuna.py does."""
    import numpy as np
    from optuna_sweep import losses, quiet_problem
    if not _LINREG:
        _LINREG.append(quiet_problem())
    h, w, start = _LINREG[0]
    optimizer = trial.suggest_categorical("optimizer", ["gd", "momentum", "rmsprop", "adam"])
    learning_rate = trial.suggest_float("learning_rate", 1e-6, 1.0, log=True)
    with np.errstate(all="ignore"):
        final = list(losses(optimizer, learning_rate, h, w, start))[-1]
    return final if np.isfinite(final) else 1e30


PROBLEMS = {"quadratic": quadratic, "branin": branin, "conditional": conditional, "linreg": linreg}


def run(problem, algorithm, trials, batch, seed):
    if algorithm == "tpe":
        sampler = optuna.samplers.TPESampler(seed=seed, constant_liar=batch > 1)
    else:
        sampler = optuna.samplers.RandomSampler(seed=seed)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    objective = PROBLEMS[problem]
    start = time.perf_counter()
    if batch == 1:
        study.optimize(objective, n_trials=trials)
    else:
        done = 0
        while done < trials:
            asked = [study.ask() for _ in range(min(batch, trials - done))]
            values = [objective(trial) for trial in asked]
            for trial, value in zip(asked, values):
                study.tell(trial, value)
            done += len(asked)
    seconds = time.perf_counter() - start
    values = [t.value for t in sorted(study.trials, key=lambda t: t.number)]
    return {"tool": "optuna", "problem": problem, "algorithm": algorithm, "batch": batch, "seed": seed,
            "seconds": seconds, "values": values}


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    problem, algorithm, trials, batch, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    logging.getLogger("optuna").setLevel(logging.WARNING)
    warnings.simplefilter("ignore")  # constant_liar is marked experimental in 3.1
    for seed in (int(s) for s in seeds.split(",")):
        print(json.dumps(run(problem, algorithm, trials, batch, seed)), flush=True)


if __name__ == "__main__":
    main()
