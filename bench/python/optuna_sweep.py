#!/usr/bin/python3
"""Optuna's side of the end-to-end benchmark: the linear-regression grid GradDescent runs
(optimizers × learning rates × seeds, 50 iterations, gd-family update rules as docs/optimizers.md,
the objective in NumPy), every step's loss stored with trial.report, on an RDB storage.

    /usr/bin/python3 bench/python/optuna_sweep.py --storage URL --learning-rates 100 --seeds 10 [--timeout S]

Prints one JSON line: trials done, seconds inside study.optimize, trials/s."""
import argparse
import json
import logging
import time
import uuid

import numpy as np
import optuna

import workloads

OPTIMIZERS = ["gd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad", "adadelta", "adamax", "nadam"]
ITERATIONS = 50


def losses(optimizer, lr, h, w, start):
    """Yields the loss at the start of each of the 50 iterations, then the final mean squared error."""
    p = np.array(start, dtype=np.float32)
    b1, b2, eps = np.float32(0.9), np.float32(0.999), np.float32(1e-7)
    m = np.zeros(2, np.float32)
    v = np.zeros(2, np.float32) + (np.float32(0.1) if optimizer == "adagrad" else 0)
    u_product = np.float32(1)
    lr = np.float32(lr)
    for t in range(1, ITERATIONS + 1):
        r = p[0] * h + p[1] - w
        yield float(np.mean(r * r))
        g = np.array([2 * np.mean(r * h), 2 * np.mean(r)], dtype=np.float32)
        if optimizer == "gd":
            p -= lr * g
        elif optimizer in ("momentum", "nesterov"):
            m = np.float32(0.9) * m - lr * g
            p += np.float32(0.9) * m - lr * g if optimizer == "nesterov" else m
        elif optimizer == "rmsprop":
            v = np.float32(0.9) * v + np.float32(0.1) * g * g
            p -= lr * g / (np.sqrt(v) + eps)
        elif optimizer in ("adam", "adamw"):
            if optimizer == "adamw":
                p -= p * np.float32(0.004) * lr
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            p -= alpha * m / (np.sqrt(v) + eps)
        elif optimizer == "adagrad":
            v = v + g * g
            p -= lr * g / (np.sqrt(v) + eps)
        elif optimizer == "adadelta":
            rho = np.float32(0.95)
            v = rho * v + (1 - rho) * g * g
            d = -np.sqrt(m + eps) / np.sqrt(v + eps) * g
            m = rho * m + (1 - rho) * d * d
            p += lr * d
        elif optimizer == "adamax":
            m = b1 * m + (1 - b1) * g
            v = np.maximum(b2 * v, np.abs(g))
            p -= lr / (1 - b1 ** t) * m / (v + eps)
        elif optimizer == "nadam":
            u_t = b1 * (1 - 0.5 * 0.96 ** (0.004 * t))
            u_next = b1 * (1 - 0.5 * 0.96 ** (0.004 * (t + 1)))
            u_product = u_product * u_t
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            m_bar = (1 - u_t) * g / (1 - u_product) + u_next * m / (1 - u_product * u_next)
            p -= lr * m_bar / (np.sqrt(v / (1 - b2 ** t)) + eps)
        else:
            raise ValueError(f"optimizer '{optimizer}' is not one of {', '.join(OPTIMIZERS)}")
    r = p[0] * h + p[1] - w
    yield float(np.mean(r * r))


def quiet_problem():
    """Silences Optuna's and SQLAlchemy's logging; returns the benchmark's data (heights, weights as float32) and the
    start point (the exact slope, intercept -180), as GradDescent's linear regression with init_intercept -180."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    heights, weights = workloads.synthetic_height_weight()
    h, w = np.array(heights, np.float32), np.array(weights, np.float32)
    return h, w, (workloads.least_squares(heights, weights)[0], -180.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage", required=True, help="Optuna RDB URL (postgresql+psycopg2://... or sqlite:///...)")
    parser.add_argument("--learning-rates", type=int, required=True, help="log-spaced learning rates in [1e-6, 1e-4]")
    parser.add_argument("--seeds", type=int, required=True, help="repeats per (optimizer, learning rate)")
    parser.add_argument("--timeout", type=float, default=None, help="stop after this many seconds (trials done so far count)")
    args = parser.parse_args()
    h, w, start = quiet_problem()
    rates = [float(x) for x in np.geomspace(1e-6, 1e-4, args.learning_rates)]
    space = {"optimizer": OPTIMIZERS, "learning_rate": rates, "seed": list(range(args.seeds))}
    total = len(OPTIMIZERS) * len(rates) * args.seeds

    def objective(trial):
        optimizer = trial.suggest_categorical("optimizer", OPTIMIZERS)
        lr = trial.suggest_float("learning_rate", 1e-6, 1e-4, log=True)
        trial.suggest_int("seed", 0, args.seeds - 1)
        values = list(losses(optimizer, lr, h, w, start))
        for step, loss in enumerate(values[:-1]):
            trial.report(loss, step)
        return values[-1]

    study = optuna.create_study(storage=args.storage, study_name=f"bench-{uuid.uuid4().hex[:12]}",
                                sampler=optuna.samplers.GridSampler(space, seed=0), direction="minimize")
    started = time.perf_counter()
    study.optimize(objective, n_trials=total, timeout=args.timeout, gc_after_trial=False)
    seconds = time.perf_counter() - started
    done = len(study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,)))
    print(json.dumps({"event": "finished", "tool": "optuna", "optuna": optuna.__version__, "total": total,
                      "completed": done, "seconds": round(seconds, 3), "trials_per_second": round(done / seconds, 2),
                      "stopped_early": done < total}))


if __name__ == "__main__":
    main()
