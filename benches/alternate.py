#!/usr/bin/env python3
"""Times commands side by side, alternating: each round runs every command once,
in turn, so drift on a noisy machine hits them all alike. Prints, per command, the
median and range of wall time, the median user+system CPU and the median peak RSS
(from /usr/bin/time), as a Markdown table.

    benches/alternate.py --runs 5 'NAME::PREPARE::COMMAND' ...

PREPARE runs before each timed run (untimed; may be empty), e.g.
    'hearth on, cold::rm -rf site/.hearth-cache::hearth build site -o out'
"""
import argparse
import statistics
import subprocess
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("specs", nargs="+")
    args = ap.parse_args()
    specs = [s.split("::", 2) for s in args.specs]
    results = {name: [] for name, _, _ in specs}
    for round_ in range(args.warmup + args.runs):
        for name, prepare, command in specs:
            if prepare.strip():
                subprocess.run(prepare, shell=True, check=True)
            t0 = time.perf_counter()
            p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "sh", "-c", command + " >/dev/null 2>/dev/null"],
                               capture_output=True, text=True)
            wall = time.perf_counter() - t0
            if p.returncode != 0:
                raise SystemExit(f"{name} failed: {p.stderr[-500:]}")
            user, system, rss = p.stderr.strip().splitlines()[-1].split()
            if round_ >= args.warmup:
                results[name].append((wall, float(user) + float(system), int(rss) / 1024))
    print("| command | wall, median | range | CPU (user+sys) | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    fmt = lambda s: f"{s * 1000:,.0f} ms" if s < 10 else f"{s:.1f} s"
    for name, _, _ in specs:
        r = results[name]
        walls = [x[0] for x in r]
        print(f"| {name} | {fmt(statistics.median(walls))} | {fmt(min(walls))}–{fmt(max(walls))} "
              f"| {fmt(statistics.median(x[1] for x in r))} | {statistics.median(x[2] for x in r):,.0f} MiB |",
              flush=True)


if __name__ == "__main__":
    main()
