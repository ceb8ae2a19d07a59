#!/usr/bin/python3
"""Optuna's side of the adaptive-search end-to-end benchmark: Optuna's own TPESampler (defaults, one trial at a
time) tuning the linear regression of bench/search-e2e.sh (optimizer, learning rate; 50 iterations; the objective in
NumPy with GradDescent's update rules, optuna_sweep.losses), on an RDB storage. Only the final mse is stored (no
trial.report per step, which would slow Optuna down; GradDescent stores every step).

    /usr/bin/python3 bench/python/search_e2e_optuna.py --storage URL --seed S --trials N

Prints one JSON line: trials, seconds inside study.optimize, trials/s, the best mse and the best-so-far per trial."""
import argparse
import json
import time
import uuid

import numpy as np
import optuna

from optuna_sweep import losses, quiet_problem

OPTIMIZERS = ["gd", "momentum", "rmsprop", "adam"]
DIVERGED = 1e30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage", required=True, help="Optuna RDB URL (sqlite:///... or postgresql+psycopg2://...)")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--trials", type=int, required=True)
    args = parser.parse_args()
    h, w, start = quiet_problem()

    def objective(trial):
        optimizer = trial.suggest_categorical("optimizer", OPTIMIZERS)
        lr = trial.suggest_float("learning_rate", 1e-6, 1.0, log=True)
        with np.errstate(all="ignore"):
            final = list(losses(optimizer, lr, h, w, start))[-1]
        # A diverged run (inf/nan) is worse than any other, as GradDescent ranks it; Optuna refuses NaN and its TPE
        # learns nothing from a failed trial, so it gets a huge finite value instead.
        return final if np.isfinite(final) else DIVERGED

    study = optuna.create_study(storage=args.storage, study_name=f"search-e2e-{uuid.uuid4().hex[:12]}",
                                sampler=optuna.samplers.TPESampler(seed=args.seed), direction="minimize")
    started = time.perf_counter()
    study.optimize(objective, n_trials=args.trials, gc_after_trial=False)
    seconds = time.perf_counter() - started
    trials = sorted(study.get_trials(deepcopy=False), key=lambda t: t.number)
    best, history = float("inf"), []
    for t in trials:
        if t.state == optuna.trial.TrialState.COMPLETE and t.value < DIVERGED:
            best = min(best, t.value)
        history.append(best)
    print(json.dumps({"tool": "optuna", "algorithm": "tpe", "optuna": optuna.__version__, "seed": args.seed,
                      "trials": len(trials), "seconds": round(seconds, 3), "trials_per_second": round(len(trials) / seconds, 2),
                      "best": best, "history": history, "iterations": 50 * len(trials)}))


if __name__ == "__main__":
    main()
