#!/usr/bin/python3
"""PyTorch eager per-trial timings for docs/benchmarks.md.

    /usr/bin/python3 bench/python/per_trial.py --runs 5 --out results.json [--cases linreg,spread,adversarial]

Each case runs once as a warm-up, then --runs times; a run times `count` trials (one at a time, or
as one batch) and the per-trial time is the run's time divided by its trials."""
import argparse
import json
import statistics
import sys
import time

import torch

import workloads


def measure(name, runs, trials_per_run, body):
    body()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        samples.append((time.perf_counter() - start) / trials_per_run * 1e9)
    result = {"case": name, "runs": runs, "trials_per_run": trials_per_run,
              "per_trial_ns": samples, "median_ns": statistics.median(samples)}
    print(json.dumps({"event": "measured", "case": name, "median_us": result["median_ns"] / 1e3}), file=sys.stderr, flush=True)
    return result


def linreg_cases(runs, scale):
    data = workloads.LinearRegressionData()
    count = max(1, 100 // scale)

    def one_at_a_time():
        for i in range(count):
            workloads.linear_regression(data, [1e-5 * (1 + i / count)], 50)

    def batch(size):
        rates = [1e-5 * (1 + i / size) for i in range(size)]
        return lambda: workloads.linear_regression(data, rates, 50)

    yield measure("linreg/eager-1", runs, count, one_at_a_time)
    yield measure("linreg/eager-batch-1000", runs, 1000, batch(1000))


def spread_cases(runs, _scale):
    """Tangential-force with the article's settings and energy with its defaults (one start), 20 vectors
    in 3-D, 1,000 iterations (bench/Micro/SpreadBenchTrials.cs): one trial at a time, and 100 trials as
    one [100, 20, 3] program (not scaled down by --scale: one call takes seconds)."""
    batch = 100

    def one_at_a_time():
        workloads.vector_spread([0], [0.001])

    def batched(method, size):
        low, settings = (0.001, {}) if method == "tangential-force" else \
            (0.01, {"lr_decay": 0.8, "clip_norm": 10.0})
        rates = [low * (1 + i / size) for i in range(size)]
        return lambda: workloads.vector_spread(list(range(size)), rates, method=method, **settings)

    yield measure("spread/eager-1", runs, 1, one_at_a_time)
    yield measure("spread/eager-batch-100", runs, batch, batched("tangential-force", batch))
    yield measure("energy/eager-batch-100", runs, batch, batched("energy", batch))


def adversarial_cases(runs, _scale):
    torch.manual_seed(20190101)
    network = workloads.VictimNetwork()
    for batch in (1, 32):
        levels = torch.randint(0, 256, (batch, 3, 128, 128)).float()
        yield measure(f"adversarial/eager-batch-{batch}", runs, batch, lambda levels=levels: workloads.sign_attack(network, levels))
    # PyTorch's faster CPU layout for convolutions (NHWC memory), as GradDescent's victim uses it
    nhwc = workloads.VictimNetwork()
    nhwc.load_state_dict(network.state_dict())
    nhwc = nhwc.to(memory_format=torch.channels_last)
    levels = torch.randint(0, 256, (32, 3, 128, 128)).float().contiguous(memory_format=torch.channels_last)
    yield measure("adversarial/eager-batch-32-channels-last", runs, 32, lambda: workloads.sign_attack(nhwc, levels))


def adversarial_openblas_cases(runs, _scale):
    """The channels-last batch of 32 again, for a run whose BLAS is OpenBLAS (bench/run.sh sets LD_LIBRARY_PATH)."""
    if "openblas" not in blas_library():
        raise SystemExit(f"adversarial-openblas: this process uses {blas_library()}, not OpenBLAS")
    torch.manual_seed(20190101)
    network = workloads.VictimNetwork().to(memory_format=torch.channels_last)
    levels = torch.randint(0, 256, (32, 3, 128, 128)).float().contiguous(memory_format=torch.channels_last)
    yield measure("adversarial/eager-batch-32-channels-last-openblas", runs, 32, lambda: workloads.sign_attack(network, levels))


def blas_library():
    """The BLAS shared library mapped into this process (PyTorch's dense layers run on it)."""
    with open("/proc/self/maps", encoding="utf-8") as f:
        paths = {line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1]}
    return ", ".join(sorted(paths)) or "none"


def spread_e2e_cases(runs, scale):
    """The end-to-end peer: the 100 trials of e2e.py's vector-spread sweep as one [100, 20, 3] program."""
    size = max(1, 100 // scale)
    rates = [0.001 * 2 ** (i / 9) for i in range(10)] * (size // 10 or 1)
    yield measure("spread/e2e-batch-100", runs, len(rates),
                  lambda: workloads.vector_spread(list(range(len(rates))), rates[:len(rates)]))


CASES = {"linreg": linreg_cases, "spread": spread_cases, "adversarial": adversarial_cases,
         "adversarial-openblas": adversarial_openblas_cases, "spread-e2e": spread_e2e_cases}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs per case after one warm-up")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    parser.add_argument("--scale", type=int, default=1, help="divide trials per run by this (quick checks)")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave OMP_NUM_THREADS's)")
    parser.add_argument("--out", required=True, help="JSON file to write")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    unknown = [c for c in args.cases.split(",") if c not in CASES]
    if unknown:
        parser.error(f"--cases: unknown case(s) {', '.join(unknown)} (known: {', '.join(CASES)})")
    results = []
    for case in args.cases.split(","):
        results.extend(CASES[case](args.runs, args.scale))
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library(),
                   "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
