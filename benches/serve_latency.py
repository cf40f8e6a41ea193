#!/usr/bin/env python3
"""Edit -> reload-event latency of `hearth serve` on generated hubs.

For each size, generates the corpus with ../shared/bench/gen_site.py (on tmpfs),
starts `hearth serve --port 0`, subscribes to the reload channel, then edits one
page N times and reports the median and worst time from the write to the `reload`
event (which the server sends after the new files are in place). The kinds of edit:
a body edit (lists unchanged), a title edit (every list that shows the page is
re-rendered); both reload in two halves, the edited page's tab first and then the
tabs of the lists and feeds that show it, and both times are reported (a binary
older than that sends one reload, and this script then waits in vain); a new page written and then deleted (pages appeared or disappeared:
sources read again, rendered markdown kept), and site.yaml rewritten unchanged (a
full rebuild, for comparison).

    benches/serve_latency.py [--sizes 1000 10000] [--edits 15]
    HEARTH=/path/to/other/hearth benches/serve_latency.py   # another binary, not built
    SITE_YAML_EXTRA='search: {enabled: false}' benches/serve_latency.py   # appended to site.yaml
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import queue

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_site.py")
BIN = os.environ.get("HEARTH", os.path.join(REPO, "target", "release", "hearth"))


def listen(port, events):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__livereload HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    buf = b""
    while True:
        data = s.recv(65536)
        if not data:
            return
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.startswith(b"event: "):
                events.put((time.perf_counter(), line[7:].strip().decode()))


def measure(size, edits):
    site = f"/dev/shm/hearth-serve-{size}"
    subprocess.run([sys.executable, GEN, "--pages", str(size), "--flavor", "plain", "--out", site],
                   check=True, stdout=subprocess.DEVNULL)
    if os.environ.get("SITE_YAML_EXTRA"):
        with open(os.path.join(site, "site.yaml"), "a") as f:
            f.write(os.environ["SITE_YAML_EXTRA"].replace("\\n", "\n") + "\n")
    proc = subprocess.Popen([BIN, "serve", site, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise SystemExit(f"serve did not start: {line!r}")
        port = int(m.group(1))
        startup = re.search(r"built in (\d+) ms", line)
        events = queue.Queue()
        threading.Thread(target=listen, args=(port, events), daemon=True).start()
        time.sleep(0.5)
        news = sorted(os.listdir(os.path.join(site, "content", "news")))
        page = os.path.join(site, "content", "news", [n for n in news if n != "_index.md"][0])
        original = open(page, encoding="utf-8").read()
        fresh = os.path.join(site, "content", "news", "2026-12-01-fresh.md")
        config = os.path.join(site, "site.yaml")
        config_text = open(config, encoding="utf-8").read()
        results = {}
        for kind in KINDS:
            times, second = [], []
            for i in range(edits):
                target, text = page, None
                if kind == "body":
                    text = original + f"\nEdit number {i}.\n"
                elif kind == "title":
                    text = re.sub(r'^title: .*$', f'title: "Retitled {i}"', original, count=1, flags=re.M)
                elif kind == "add":
                    target, text = fresh, f"---\ntitle: Fresh {i}\ntags: [fresh]\n---\nNew page.\n"
                elif kind == "full":
                    target, text = config, config_text
                elif kind == "remove" and i > 0:
                    with open(fresh, "w", encoding="utf-8") as f:
                        f.write("---\ntitle: Fresh again\n---\nNew page.\n")
                    events.get(timeout=10)
                    time.sleep(0.25)
                while not events.empty():
                    events.get()
                t0 = time.perf_counter()
                if kind == "remove":
                    os.remove(fresh)
                else:
                    with open(target, "w", encoding="utf-8") as f:
                        f.write(text)
                while True:
                    t, name = events.get(timeout=10)
                    if name == "reload":
                        times.append((t - t0) * 1000)
                        break
                if kind in ("body", "title"):
                    # A page edit reloads in two halves: the page's tab, then the
                    # tabs of the lists (and feeds) that show it.
                    while True:
                        t, name = events.get(timeout=10)
                        if name == "reload":
                            second.append((t - t0) * 1000)
                            break
                time.sleep(0.25)
                if kind == "add" and i + 1 < edits:
                    os.remove(fresh)
                    events.get(timeout=10)
                    time.sleep(0.25)
            results[kind] = times
            if second:
                results[kind + " lists"] = second
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
        return (int(startup.group(1)) if startup else None), results
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(site, ignore_errors=True)


KINDS = ("body", "title", "add", "remove", "full")
COLUMNS = ("body", "body lists", "title", "title lists", "add", "remove", "full")
LABELS = ("body edit: page", "body edit: feeds", "title edit: page", "title edit: lists",
          "page added", "page removed", "site.yaml (full)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--edits", type=int, default=15)
    args = ap.parse_args()
    if "HEARTH" not in os.environ:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    print("| pages | first build | " + " | ".join(f"{l} → reload (median / max)" for l in LABELS) + " |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    for size in args.sizes:
        startup, r = measure(size, args.edits)
        cells = [f"{statistics.median(r[k]):.0f} ms / {max(r[k]):.0f} ms" if k in r else "—"
                 for k in COLUMNS]
        print(f"| {size:,} | {startup} ms | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
