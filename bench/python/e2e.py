#!/usr/bin/python3
"""End-to-end sweep throughput and memory for docs/benchmarks.md: the same linear-regression grid
(10 optimizers × N learning rates × 10 seeds, 50 iterations, every step stored) run by GradDescent
(local mode on SQLite and on PostgreSQL, cluster mode with a control silo and two workers on
PostgreSQL) and by Optuna (GridSampler, trial.report per step) on SQLite and on the same PostgreSQL.
Configurations run interleaved, one round after another, so each round's ratios compare runs made
seconds apart on this shared machine.

    /usr/bin/python3 bench/python/e2e.py --graddescent DIR/graddescent --work DIR --out e2e.json \
        --pg-port P --pg-user U [--sizes 1000,10000] [--rounds 1000:5,10000:3] [--optuna-timeout 60] [--memory 10000,100000]
        [--keys gd-cluster-postgresql,...]   (a subset of the configurations, e.g. the control plane alone)
"""
import argparse
import datetime
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid

OPTIMIZERS = ["gd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad", "adadelta", "adamax", "nadam"]
SEEDS = 10
HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ["gd-local-sqlite", "optuna-sqlite", "gd-local-postgresql", "gd-cluster-postgresql", "optuna-postgresql"]


def log(message):
    print(f"e2e: {message}", file=sys.stderr, flush=True)


def write_spec(folder, trials):
    rates = trials // (len(OPTIMIZERS) * SEEDS)
    path = os.path.join(folder, f"lr-grid-{trials}.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""# bench: {len(OPTIMIZERS)} optimizers x {rates} learning rates x {SEEDS} seeds = {trials} trials
name: bench-lr-grid-{trials}
description: Benchmark grid, linear regression, 50 iterations, every step stored.
experiment: linear-regression
parameters:
  iterations: 50
  init_intercept: -180
grid:
  optimizer: [{", ".join(OPTIMIZERS)}]
  learning_rate: {{log: [1.0e-6, 1.0e-4], count: {rates}}}
repeats: {SEEDS}
""")
    return path, rates


def finished_line(text):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{") and '"finished"' in line:
            return json.loads(line)
    raise RuntimeError("no finished line in output:\n" + text[-3000:])


def timed(command, env=None, timeout=3600):
    """Runs under /usr/bin/time -v; returns (stdout, wall seconds, peak RSS in MiB)."""
    stats = os.path.join(ARGS.work, "time.txt")
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", "-o", stats, *command], env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    with open(stats, encoding="utf-8") as f:
        rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read()).group(1))
    return done.stdout, wall, rss_kib / 1024


def pg_connection(database):
    return f"Host=127.0.0.1;Port={ARGS.pg_port};Username={ARGS.pg_user};Database={database}"


def createdb(name):
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(ARGS.pg_port), "-U", ARGS.pg_user, "-d", "postgres",
                    "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)


def graddescent_local(spec, trials, database):
    env = dict(os.environ)
    if database == "sqlite":
        db = os.path.join(ARGS.work, f"local-{uuid.uuid4().hex[:8]}.db")
    else:
        name = f"gd_local_{uuid.uuid4().hex[:8]}"
        createdb(name)
        db = pg_connection(name)
    out, wall, rss = timed([ARGS.graddescent, "run", spec, "--db", db, "--json"], env=env)
    final = finished_line(out)
    breakdown = compute_breakdown(db) if database == "sqlite" else None
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
    return {"tool": "graddescent", "mode": "local", "database": database, "trials": trials,
            "completed": final["completed"] + final["diverged"], "inner_seconds": final["seconds"],
            "inner_tps": final["trials_per_second"], "wall_seconds": wall, "wall_tps": trials / wall, "peak_rss_mib": rss,
            "breakdown": breakdown}


SPREAD_SPEC = """# bench: 10 learning rates x 10 seeds = 100 trials, tangential-force with the article's settings
name: bench-spread-100
description: Benchmark, vector spread, 20 vectors in 3-D, 1000 iterations, every step stored.
experiment: vector-spread
parameters:
  vectors: 20
  dims: 3
  method: tangential-force
  iterations: 1000
grid:
  learning_rate: {log: [1.0e-3, 2.0e-3], count: 10}
repeats: 10
"""


def spread_round(round_number):
    """One round of the vector-spread comparison: `graddescent run` of the 100-trial sweep on SQLite
    (slots = cores, one libtorch thread each), then PyTorch eager running the same 100 trials as one
    [100, 20, 3] program, once on one thread and once on as many threads as cores, back to back; the
    faster PyTorch run is the peer (on a loaded machine OpenMP's threads wait on each other)."""
    spec = os.path.join(ARGS.work, "spread-100.yaml")
    with open(spec, "w", encoding="utf-8") as f:
        f.write(SPREAD_SPEC)
    db = os.path.join(ARGS.work, f"spread-{uuid.uuid4().hex[:8]}.db")
    out, wall, rss = timed([ARGS.graddescent, "run", spec, "--db", db, "--json", "--no-report"])
    final = finished_line(out)
    breakdown = compute_breakdown(db)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    peers = {}
    for threads in sorted({1, os.cpu_count() or 1}):
        peer_out = os.path.join(ARGS.work, f"spread-peer-{threads}.json")
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "per_trial.py"), "--cases", "spread-e2e", "--runs", "1",
                        "--threads", str(threads), "--out", peer_out], check=True, capture_output=True)
        peer = load_json(peer_out)["results"][0]
        peers[threads] = peer["median_ns"] * peer["trials_per_run"] / 1e9
    threads = min(peers, key=peers.get)
    return {"round": round_number, "trials": 100, "completed": final["completed"] + final["diverged"],
            "inner_seconds": final["seconds"], "wall_seconds": wall, "peak_rss_mib": rss, "breakdown": breakdown,
            "torch_threads": threads, "torch_seconds": peers[threads], "torch_seconds_by_threads": peers,
            "load": os.getloadavg()[0]}


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def parse_store_time(text):
    """A timestamp as the SQLite store writes it (ISO 8601 with offset, up to 7 fraction digits), as an aware datetime."""
    text = text.replace(" ", "T")
    head, zone = text[:-6], text[-6:]
    if "." in head:
        whole, fraction = head.split(".")
        head = f"{whole}.{fraction[:6].ljust(6, '0')}"
    return datetime.datetime.fromisoformat(head + zone)


def compute_breakdown(db):
    """From a finished local run's store: the fused groups (trials sharing started_at/finished_at), the
    seconds spent inside them, and the span from the first group's start to the last group's end."""
    parse = parse_store_time
    with sqlite3.connect(db) as connection:
        groups = connection.execute(
            "SELECT started_at, finished_at, COUNT(*) FROM trials GROUP BY started_at, finished_at ORDER BY started_at").fetchall()
        detail, steps = connection.execute(
            "SELECT AVG(LENGTH(detail)), (SELECT AVG(LENGTH(step_values)) * 3 FROM trial_steps) FROM trials").fetchone()
        sweep_started, sweep_finished = connection.execute("SELECT MIN(started_at), MAX(finished_at) FROM sweeps").fetchone()
    if not groups:
        return None
    inside = sum((parse(f) - parse(s)).total_seconds() for s, f, _ in groups)
    span = (parse(groups[-1][1]) - parse(groups[0][0])).total_seconds()
    sweep = (parse(sweep_finished) - parse(sweep_started)).total_seconds() if sweep_started and sweep_finished else None
    return {"groups": len(groups), "compute_seconds": inside, "span_seconds": span, "sweep_seconds": sweep,
            "detail_bytes_per_trial": detail, "step_bytes_per_trial": steps}


def optuna_run(trials, rates, database):
    if database == "sqlite":
        path = os.path.join(ARGS.work, f"optuna-{uuid.uuid4().hex[:8]}.db")
        storage = f"sqlite:///{path}"
    else:
        storage = f"postgresql+psycopg2://{ARGS.pg_user}@127.0.0.1:{ARGS.pg_port}/optuna_bench"
    command = ["/usr/bin/python3", os.path.join(HERE, "optuna_sweep.py"), "--storage", storage,
               "--learning-rates", str(rates), "--seeds", str(SEEDS)]
    if ARGS.optuna_timeout:
        command += ["--timeout", str(ARGS.optuna_timeout)]
    out, wall, rss = timed(command)
    final = finished_line(out)
    if database == "sqlite" and os.path.exists(path):
        os.remove(path)
    return {"tool": "optuna", "mode": "in-process", "database": database, "trials": trials,
            "completed": final["completed"], "inner_seconds": final["seconds"], "inner_tps": final["trials_per_second"],
            "wall_seconds": wall, "wall_tps": final["completed"] / wall, "peak_rss_mib": rss,
            "stopped_early": final["stopped_early"], "optuna": final["optuna"]}


def memory_run(spec, trials):
    """Local run on SQLite with its RSS polled from /proc every 0.25 s; stopped with SIGINT after
    --memory-cap seconds. Returns the peak (VmHWM), the trials done and RSS samples against trials done."""
    db = os.path.join(ARGS.work, f"memory-{uuid.uuid4().hex[:8]}.db")
    process = subprocess.Popen([ARGS.graddescent, "run", spec, "--db", db, "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    state = {"done": 0, "finished": None}

    def read_progress():
        for line in process.stdout:
            if line.startswith("{"):
                event = json.loads(line)
                state["done"] = event.get("done", event.get("completed", state["done"]))
                if event.get("event") == "finished":
                    state["finished"] = event

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    started = time.monotonic()
    samples, peak_kib, stopped = [], 0, False
    while process.poll() is None:
        try:
            with open(f"/proc/{process.pid}/status", encoding="utf-8") as f:
                status = f.read()
            rss_kib = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            peak_kib = max(peak_kib, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
            samples.append((round(time.monotonic() - started, 2), state["done"], round(rss_kib / 1024, 1)))
        except (OSError, AttributeError):
            pass
        if not stopped and time.monotonic() - started > ARGS.memory_cap:
            process.send_signal(signal.SIGINT)
            stopped = True
        time.sleep(0.25)
    reader.join(timeout=10)
    seconds = time.monotonic() - started
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    finished = state["finished"]
    return {"trials": trials, "done": finished["completed"] + finished["diverged"] if finished else state["done"],
            "stopped_early": stopped, "seconds": seconds, "peak_rss_mib": peak_kib / 1024,
            "inner_tps": finished["trials_per_second"] if finished else None, "load": os.getloadavg()[0],
            "samples": samples[::max(1, len(samples) // 200)]}


class Cluster:
    """A control silo and two workers on PostgreSQL, on free ports, with their own cluster id."""

    def __init__(self):
        createdb("gd_cluster")
        self.env = dict(os.environ)
        self.env.update({
            "GradDescent__Database__ConnectionString": pg_connection("gd_cluster"),
            "GradDescent__Cluster__ClusterId": f"bench-{uuid.uuid4().hex[:8]}",
            "GradDescent__Cluster__SiloPort": str(ARGS.pg_port + 1),
            "GradDescent__Cluster__GatewayPort": str(ARGS.pg_port + 2),
            "GradDescent__Telemetry__Port": "0",  # silo and workers on one machine: no metrics endpoints
        })
        self.processes = []
        self.logs = []

    def _spawn(self, name, args):
        log_path = os.path.join(ARGS.work, f"{name}.log")
        handle = open(log_path, "w", encoding="utf-8")
        self.logs.append(handle)
        process = subprocess.Popen([ARGS.graddescent, *args], env=self.env, stdout=handle, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process, log_path

    def start(self):
        silo, silo_log = self._spawn("silo", ["silo"])
        deadline = time.monotonic() + 180
        while True:
            with open(silo_log, encoding="utf-8") as f:
                if "Dispatcher active" in f.read():
                    break
            if silo.poll() is not None or time.monotonic() > deadline:
                with open(silo_log, encoding="utf-8") as f:
                    raise RuntimeError("the control silo did not start:\n" + f.read()[-3000:])
            time.sleep(0.5)
        for worker in (1, 2):
            self._spawn(f"worker-{worker}", ["worker", "--slots", "1", "--worker-id", f"bench-worker-{worker}"])

    def cpu_seconds(self):
        """User + system CPU time the silo and workers have used so far (from /proc: what a loaded machine does not
        distort the way it distorts wall time)."""
        total = 0
        for process in self.processes:
            with open(f"/proc/{process.pid}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def submit(self, spec, trials):
        cpu_before = self.cpu_seconds()
        out, wall, _ = timed([ARGS.graddescent, "submit", spec, "--wait", "--json"], env=self.env)
        final = finished_line(out)
        return {"tool": "graddescent", "mode": "cluster (silo + 2 workers)", "database": "postgresql", "trials": trials,
                "completed": final["completed"] + final["diverged"], "inner_seconds": final["seconds"],
                "inner_tps": final["trials_per_second"], "wall_seconds": wall, "wall_tps": trials / wall,
                "cluster_cpu_seconds": self.cpu_seconds() - cpu_before}

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for handle in self.logs:
            handle.close()


def main():
    specs = {size: write_spec(ARGS.work, size) for size in set(ARGS.sizes) | set(ARGS.memory)}
    if ARGS.only_spread:
        ARGS.sizes, ARGS.memory = [], []
    else:
        createdb("optuna_bench")
    results = {"throughput": [], "memory": [], "spread": [], "optuna_timeout": ARGS.optuna_timeout, "rounds": ARGS.rounds}
    if ARGS.spread_rounds:
        log("vector spread: warm-up run (not measured)")
        spread_round(-1)
        for round_number in range(ARGS.spread_rounds):
            result = spread_round(round_number)
            results["spread"].append(result)
            log(f"vector spread, round {round_number + 1}: graddescent {result['inner_seconds']:.2f} s in run, "
                f"PyTorch batch {result['torch_seconds']:.2f} s")
    if ARGS.sizes:
        cluster = Cluster()
        try:
            log("starting the control silo and two workers")
            cluster.start()
            warm_size = min(ARGS.sizes + [1000])  # a warm-up run only warms; a small sweep does that
            if warm_size not in specs:
                specs[warm_size] = write_spec(ARGS.work, warm_size)
            warm_spec, _ = specs[warm_size]
            log("warm-up sweeps (not measured)")
            if any(key.startswith("gd-local") for key in ARGS.keys):
                graddescent_local(warm_spec, warm_size, "sqlite")
            cluster.submit(warm_spec, warm_size)
            for size in ARGS.sizes:
                spec, rates = specs[size]
                for round_number in range(ARGS.rounds.get(size, 3)):
                    runs = [
                        ("gd-local-sqlite", lambda: graddescent_local(spec, size, "sqlite")),
                        ("optuna-sqlite", lambda: optuna_run(size, rates, "sqlite")),
                        ("gd-local-postgresql", lambda: graddescent_local(spec, size, "postgresql")),
                        ("gd-cluster-postgresql", lambda: cluster.submit(spec, size)),
                        ("optuna-postgresql", lambda: optuna_run(size, rates, "postgresql")),
                    ]
                    for key, run in runs:
                        if key not in ARGS.keys:
                            continue
                        result = run()
                        result.update({"key": key, "round": round_number, "load": os.getloadavg()[0]})
                        results["throughput"].append(result)
                        cpu = f", silo + workers {result['cluster_cpu_seconds']:.1f} s CPU" if "cluster_cpu_seconds" in result else ""
                        log(f"{size} trials, round {round_number + 1}: {key}: {result['inner_tps']:.1f} trials/s "
                            f"(wall {result['wall_seconds']:.1f} s, {result['completed']} done{cpu}, load {result['load']:.0f})")
        finally:
            cluster.stop()
    for size in ARGS.memory:
        spec, _ = specs[size]
        result = memory_run(spec, size)
        results["memory"].append(result)
        log(f"memory, {size} trials: peak RSS {result['peak_rss_mib']:.0f} MiB, {result['done']} done in {result['seconds']:.0f} s")
    with open(ARGS.out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graddescent", required=True, help="the published graddescent binary")
    parser.add_argument("--work", required=True, help="scratch folder (databases, logs)")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--pg-port", type=int, required=True)
    parser.add_argument("--pg-user", required=True)
    parser.add_argument("--sizes", default="1000,10000", help="sweep sizes (multiples of 100)")
    parser.add_argument("--rounds", default="1000:5,10000:3", help="rounds per size, SIZE:N,...")
    parser.add_argument("--optuna-timeout", type=float, default=60.0, help="seconds before an Optuna run stops (0: none)")
    parser.add_argument("--memory", default="10000,100000", help="local-mode sizes whose peak RSS is measured")
    parser.add_argument("--memory-cap", type=float, default=180.0, help="seconds before a memory run is stopped (SIGINT)")
    parser.add_argument("--spread-rounds", type=int, default=3, help="rounds of the vector-spread end-to-end comparison (0: none)")
    parser.add_argument("--only-spread", action="store_true", help="run only the vector-spread comparison")
    parser.add_argument("--keys", default=",".join(KEYS), help="configurations to run, e.g. gd-cluster-postgresql")
    args = parser.parse_args()
    args.keys = [k for k in args.keys.split(",") if k]
    if unknown := set(args.keys) - set(KEYS):
        parser.error(f"--keys: unknown {', '.join(sorted(unknown))} (expected some of {', '.join(KEYS)})")
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.memory = [int(s) for s in args.memory.split(",") if s]
    args.rounds = {int(k): int(v) for k, v in (item.split(":") for item in args.rounds.split(",") if item)}
    for size in args.sizes + args.memory:
        if size % (len(OPTIMIZERS) * SEEDS) != 0:
            parser.error(f"--sizes/--memory: {size} is not a multiple of {len(OPTIMIZERS) * SEEDS}")
    return args


if __name__ == "__main__":
    ARGS = parse_args()
    main()
