#!/usr/bin/env bash
# What search costs: the same corpus (../shared/bench/gen_site.py, cards off) built
# with search on and off, alternating in one hyperfine run, output on tmpfs; peak
# RSS from /usr/bin/time; then the bytes one query downloads, measured in Chromium
# against the built site on a plain static server (benches/search_query.mjs).
#
#   benches/search.sh [SIZES...]          default: 1000 10000
#
# "cold" deletes .hearth-cache before every run; "warm" keeps it (the index comes
# from the cache when no record changed).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)
runs=${RUNS:-5}
work=/dev/shm/hearth-bench-search
# shellcheck source=benches/common.sh
source benches/common.sh
port=${PORT:-8931}

echo "| pages | records | off cold | on cold | cold cost | off warm | on warm | warm cost | peak RSS off / on (cold) | index files, size | one query downloads |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  rm -rf "$work" && mkdir -p "$work"
  python3 "$gen" --pages "$n" --flavor plain --out "$work/on" >/dev/null
  printf 'cards:\n  enabled: false\n' >> "$work/on/site.yaml"
  cp -r "$work/on" "$work/off"
  printf 'search:\n  enabled: false\n' >> "$work/off/site.yaml"
  on="$bin build $work/on -o $work/out-on"
  off="$bin build $work/off -o $work/out-off"
  $bin build "$work/on" -o "$work/out-on" >"$work/on.log" 2>&1
  $bin build "$work/off" -o "$work/out-off" >/dev/null 2>&1
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/times.json" \
    --prepare "rm -rf $work/off/.hearth-cache" -n "off cold" "$off" \
    --prepare "rm -rf $work/on/.hearth-cache" -n "on cold" "$on" \
    --prepare true -n "off warm" "$off" \
    --prepare true -n "on warm" "$on" >/dev/null
  rm -rf "$work/off/.hearth-cache" "$work/on/.hearth-cache"
  rss_off=$(peak $bin build "$work/off" -o "$work/out-off")
  rm -rf "$work/on/.hearth-cache"
  rss_on=$(peak sh -c "rm -rf $work/on/.hearth-cache; $on")
  records=$(grep -o 'search over [0-9,]* records' "$work/on.log" | grep -o '[0-9,]*' || echo "?")
  files=$(find "$work/out-on/pagefind" -type f | wc -l)
  size=$(du -sm "$work/out-on/pagefind" | cut -f1)
  # Published under /hub/ as a static host would, then one query in a browser.
  mkdir -p "$work/pub" && rm -rf "$work/pub/hub"
  $bin build "$work/on" -o "$work/pub/hub" --base-url "http://127.0.0.1:$port/hub/" >/dev/null 2>&1
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/pub" >/dev/null 2>&1 &
  server=$!
  sleep 1
  query=$(node benches/search_query.mjs .ci/tools /usr/bin/chromium "http://127.0.0.1:$port/hub/" "${QUERY:-community workshop}" || echo "?")
  kill $server
  python3 - "$work/times.json" "$n" "$records" "$rss_off" "$rss_on" "$files" "$size" "$query" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n, records, rss_off, rss_on, files, size, query = sys.argv[2:9]
med = lambda k: r[k]["median"]
fmt = lambda s: f"{s*1000:.0f} ms" if s < 10 else f"{s:.1f} s"
cost = lambda a, b: f"+{(med(b) / med(a) - 1) * 100:.0f}%"
print(f"| {int(n):,} | {records} | {fmt(med('off cold'))} | {fmt(med('on cold'))} | {cost('off cold', 'on cold')} "
      f"| {fmt(med('off warm'))} | {fmt(med('on warm'))} | {cost('off warm', 'on warm')} "
      f"| {rss_off} / {rss_on} MiB | {files} files, {size} MB | {query} |", flush=True)
PY
done
rm -rf "$work"
