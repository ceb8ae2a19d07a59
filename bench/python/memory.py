#!/usr/bin/python3
"""Peak memory of `graddescent run` in local mode on SQLite for docs/benchmarks.md (issue 14, target 7): the
benchmark linear-regression grid (e2e.py's spec) at each size, the whole process's VmHWM/VmRSS polled from /proc
every 0.25 s. The peak is split where the progress lines count every trial stored: the sweep itself (control plane,
worker, store) and the report written after it (the same command, as a user runs it).

    /usr/bin/python3 bench/python/memory.py --graddescent DIR/graddescent --work DIR --out memory.json \
        [--sizes 10000,100000,1000000] [--cap 900]
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from e2e import OPTIMIZERS, SEEDS, write_spec  # noqa: E402  (the same grid as the end-to-end runs)


def log(message):
    print(f"memory: {message}", file=sys.stderr, flush=True)


def status_kib(pid):
    """(VmRSS, VmHWM) in KiB, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            text = f.read()
        return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)), int(re.search(r"VmHWM:\s+(\d+)", text).group(1))
    except (OSError, AttributeError):
        return None


def memory_run(graddescent, work, spec, trials, cap, env, keep=False, report=True):
    """One run; stopped with SIGINT after `cap` seconds. Returns peaks (whole command, and up to the progress line
    that counts every trial stored, when the report starts),
    trials done, and RSS samples against trials done."""
    db = os.path.join(work, f"memory-{uuid.uuid4().hex[:8]}.db")
    out_folder = os.path.join(work, f"memory-report-{uuid.uuid4().hex[:8]}")
    started = time.monotonic()
    process = subprocess.Popen([graddescent, "run", spec, "--db", db, "--json", "--out", out_folder, *([] if report else ["--no-report"])],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    state = {"done": 0, "finished": None, "sweep_peak_kib": None, "finished_at": None}

    def read_progress():
        for line in process.stdout:
            if line.startswith("{"):
                event = json.loads(line)
                state["done"] = event.get("done", event.get("completed", state["done"]))
                if state["sweep_peak_kib"] is None and state["done"] >= trials:
                    # every trial stored: what follows is the report (written before the finished line)
                    state["finished_at"] = time.monotonic() - started
                    sizes = status_kib(process.pid)
                    state["sweep_peak_kib"] = sizes[1] if sizes else None
                if event.get("event") == "finished":
                    state["finished"] = event

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    samples, peak_kib, stopped = [], 0, False
    while process.poll() is None:
        sizes = status_kib(process.pid)
        if sizes:
            peak_kib = max(peak_kib, sizes[1])
            samples.append((round(time.monotonic() - started, 2), state["done"], round(sizes[0] / 1024, 1)))
        if not stopped and time.monotonic() - started > cap:
            process.send_signal(signal.SIGINT)
            stopped = True
        time.sleep(0.25)
    reader.join(timeout=10)
    seconds = time.monotonic() - started
    db_bytes = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))
    for suffix in ("", "-wal", "-shm") if not keep else ():
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    subprocess.run(["rm", "-rf", out_folder], check=False)
    finished = state["finished"]
    return {"trials": trials, "done": finished["completed"] + finished["diverged"] if finished else state["done"],
            "stopped_early": stopped, "seconds": seconds, "peak_rss_mib": peak_kib / 1024,
            "sweep_peak_rss_mib": state["sweep_peak_kib"] / 1024 if state["sweep_peak_kib"] else None,
            "swept_at_seconds": state["finished_at"], "exit_code": process.returncode, "database_mib": db_bytes / 2**20,
            "inner_tps": finished["trials_per_second"] if finished else None, "load": os.getloadavg()[0],
            "samples": samples[::max(1, len(samples) // 200)], "database": db if keep else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graddescent", required=True, help="the published graddescent binary")
    parser.add_argument("--work", required=True, help="scratch folder (databases, reports)")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="sweep sizes (multiples of 100)")
    parser.add_argument("--cap", type=float, default=900.0, help="seconds before a run is stopped (SIGINT)")
    parser.add_argument("--no-report", action="store_true", help="run with --no-report (the sweep alone)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files (their paths are in the JSON)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    for size in sizes:
        if size % (len(OPTIMIZERS) * SEEDS):
            parser.error(f"--sizes: {size} is not a multiple of {len(OPTIMIZERS) * SEEDS}")
    os.makedirs(args.work, exist_ok=True)
    results = []
    for size in sizes:
        spec, _ = write_spec(args.work, size)
        result = memory_run(args.graddescent, args.work, spec, size, args.cap, dict(os.environ), args.keep, not args.no_report)
        results.append(result)
        log(f"{size:,} trials: peak RSS {result['peak_rss_mib']:.0f} MiB (sweep {result['sweep_peak_rss_mib'] or 0:.0f} MiB), "
            f"{result['done']:,} done in {result['seconds']:.0f} s, exit {result['exit_code']}")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"memory": results, "cap_seconds": args.cap}, f, indent=1)


if __name__ == "__main__":
    main()
