#!/usr/bin/python3
"""Records the machine and package versions the benchmarks ran with, and the load at this moment.

    /usr/bin/python3 bench/python/machine.py --out machine.json"""
import argparse
import datetime
import json
import os
import re
import subprocess


def command(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def cpu_model():
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return None


def cpu_flags():
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def memory_gib():
    with open("/proc/meminfo", encoding="utf-8") as f:
        kib = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    return round(kib / 1024 / 1024, 1)


def debian_versions(packages):
    versions = {}
    for package in packages:
        versions[package] = command("dpkg-query", "-W", "-f=${Version}", package)
    return versions


def central_versions(names):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "Directory.Packages.props"), encoding="utf-8") as f:
        text = f.read()
    properties = dict(re.findall(r"<(\w+Version)>([^<]+)</\1>", text))
    versions = {}
    for name in names:
        match = re.search(rf'<PackageVersion Include="{re.escape(name)}" Version="([^"]+)"', text)
        if match:
            versions[name] = re.sub(r"\$\((\w+)\)", lambda m: properties.get(m.group(1), m.group(0)), match.group(1))
    return versions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    info = {
        "time_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gib": memory_gib(),
        "load": list(os.getloadavg()),
        "kernel": command("uname", "-r"),
        "debian": command("cat", "/etc/debian_version"),
        "dotnet": command("dotnet", "--version"),
        "commit": command("git", "rev-parse", "--short", "HEAD"),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "cpu_flags": sorted(cpu_flags() & {"avx", "avx2", "fma", "avx512f"}),
        "debian_packages": debian_versions(["python3", "python3-torch", "python3-optuna", "python3-numpy",
                                            "python3-psycopg2", "python3-sqlalchemy", "postgresql", "libsqlite3-0"]),
        "nuget": central_versions(["TorchSharp", "libtorch-cpu-linux-x64", "BenchmarkDotNet", "Microsoft.Orleans.Server",
                                   "Npgsql.EntityFrameworkCore.PostgreSQL", "Microsoft.EntityFrameworkCore.Sqlite"]),
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
