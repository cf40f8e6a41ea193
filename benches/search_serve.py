#!/usr/bin/env python3
"""How soon `hearth serve`'s search index answers with an edit's new text.

Generates the corpus (../shared/bench/gen_site.py, on tmpfs), starts `hearth serve
--port 0`, waits for the first index, then N times appends a word no page has to one
post's body and polls /hub/pagefind/pagefind-entry.json every 2 ms until it names a new
index, which must then hold that word (its chunk is fetched and decoded, so what
is measured is a search that would find it). Prints the median and worst time from
the write.

    benches/search_serve.py [--size 10000] [--edits 9]
"""
import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_site.py")
BIN = os.environ.get("HEARTH", os.path.join(REPO, "target", "release", "hearth"))


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        return r.read()


def cbor(b, at=0):
    head = b[at]
    at += 1
    major, info = head >> 5, head & 31
    if info < 24:
        n = info
    else:
        size = 1 << (info - 24)
        n = int.from_bytes(b[at:at + size], "big")
        at += size
    if major in (0, 1):
        return (n if major == 0 else -1 - n), at
    if major == 3:
        return b[at:at + n].decode(), at + n
    out = []
    for _ in range(n):
        v, at = cbor(b, at)
        out.append(v)
    return out, at


def holds(port, base, word):
    entry = json.loads(get(port, base + "pagefind/pagefind-entry.json"))
    lang = next(iter(entry["languages"].values()))
    meta = gzip.decompress(get(port, base + f"pagefind/pagefind.{lang['hash']}.pf_meta"))[12:]
    meta, _ = cbor(meta)
    for start, end, name in meta[2]:
        if start <= word <= end or word.startswith(end):
            chunk = gzip.decompress(get(port, base + f"pagefind/index/{name}.pf_index"))[12:]
            words, _ = cbor(chunk)
            return any(w[0] == word for w in words[0])
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=9)
    args = ap.parse_args()
    site = f"/dev/shm/hearth-search-serve-{args.size}"
    subprocess.run([sys.executable, GEN, "--pages", str(args.size), "--flavor", "plain", "--out", site],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(site, "site.yaml"), "a") as f:
        f.write("cards:\n  enabled: false\n")
    proc = subprocess.Popen([BIN, "serve", site, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)(/[^ ]*)", line)
        if not m:
            raise SystemExit(f"serve did not start: {line!r}")
        port, base = int(m.group(1)), m.group(2)
        if not base.endswith("/"):
            base += "/"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                get(port, base + "pagefind/pagefind-entry.json")
                break
            except Exception:
                time.sleep(0.1)
        news = sorted(os.listdir(os.path.join(site, "content", "news")))
        page = os.path.join(site, "content", "news", [n for n in news if n != "_index.md"][0])
        original = open(page, encoding="utf-8").read()
        times = []
        for i in range(args.edits):
            word = f"zqx{i}zqx"  # no suffix a stemmer would take off
            before = get(port, base + "pagefind/pagefind-entry.json")
            t0 = time.perf_counter()
            with open(page, "w", encoding="utf-8") as f:
                f.write(original + f"\nA word no page had: {word}.\n")
            # The entry file names the index's page list: it changes when the new
            # index is served. Then the word must be in it.
            while True:
                try:
                    now = get(port, base + "pagefind/pagefind-entry.json")
                    if now != before:
                        break
                except Exception:
                    pass
                if time.perf_counter() - t0 > 20:
                    raise SystemExit(f"edit {i}: the index never changed")
                time.sleep(0.002)
            times.append((time.perf_counter() - t0) * 1000)
            if not holds(port, base, word):
                raise SystemExit(f"edit {i}: the new index does not hold {word}")
            time.sleep(0.5)
        print(f"{args.size:,} pages, body edit -> index holds the new word: "
              f"median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms over {len(times)} edits")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
