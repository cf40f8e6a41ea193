#!/usr/bin/env bash
# hearth against Hugo on the same generated corpus (../shared/bench/gen_site.py):
# plain flavor for hearth, hugo flavor for Hugo, the same pages and markdown, code
# highlighting on in both, output on tmpfs. hyperfine alternates the commands in one
# run; peak RSS comes from /usr/bin/time over three more runs each.
#
#   benches/build.sh [SIZES...]          default: 1000 10000
#   HUGO_MAX=10000 benches/build.sh 1000 10000 100000
#
# hearth is measured twice, each run into an output folder that is not there yet
# (as in CI, and as Hugo is run here): "cold" also deletes .hearth-cache (a fresh
# checkout), "warm" keeps it (a CI rebuild with its cache restored). Peak RSS is
# the cold build's. The stripped size of the binary is printed at the end. Cards and
# search are off here: Hugo makes neither; benches/cards.sh and benches/search.sh
# measure them.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)
hugo_max=${HUGO_MAX:-10000}   # Hugo needs ~2 GB at 10,000 pages; 100,000 would not fit in memory here
runs=${RUNS:-5}
work=/dev/shm/hearth-bench-build
# shellcheck source=benches/common.sh
source benches/common.sh

echo "| pages | hearth cold | hearth warm | Hugo | cold/Hugo | warm/Hugo | CPU hearth cold / warm / Hugo | peak RSS hearth / Hugo |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  rm -rf "$work" && mkdir -p "$work"
  python3 "$gen" --pages "$n" --flavor plain --out "$work/plain" >/dev/null
  printf 'cards:\n  enabled: false\nsearch:\n  enabled: false\n' >> "$work/plain/site.yaml"
  hearth_cmd="$bin build $work/plain -o $work/out-hearth"
  cmds=(-n "hearth cold" "$hearth_cmd" -n "hearth warm" "$hearth_cmd")
  prep=(--prepare "rm -rf $work/plain/.hearth-cache $work/out-hearth" --prepare "rm -rf $work/out-hearth")
  if (( n <= hugo_max )); then
    python3 "$gen" --pages "$n" --flavor hugo --out "$work/hugo" >/dev/null
    hugo_cmd="hugo --quiet -s $work/hugo -d $work/out-hugo"
    cmds+=(-n "hugo" "$hugo_cmd")
    prep+=(--prepare "rm -rf $work/out-hugo")
  fi
  $bin build "$work/plain" -o "$work/out-hearth" >/dev/null 2>&1   # fills the warm cache
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/times.json" "${prep[@]}" "${cmds[@]}" >/dev/null
  rss_hearth=$(peak sh -c "rm -rf $work/plain/.hearth-cache $work/out-hearth; $hearth_cmd")
  rss_hugo="—"
  (( n <= hugo_max )) && rss_hugo=$(peak hugo --quiet -s "$work/hugo" -d "$work/out-hugo")
  python3 - "$work/times.json" "$n" "$rss_hearth" "$rss_hugo" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n, rss_h, rss_g = int(sys.argv[2]), sys.argv[3], sys.argv[4]
med = lambda k: r[k]["median"] if k in r else None
cpu = lambda k: r[k]["user"] + r[k]["system"] if k in r else None
fmt = lambda s: "—" if s is None else (f"{s*1000:.0f} ms" if s < 10 else f"{s:.1f} s")
ratio = lambda a, b: "—" if a is None or b is None else f"{a/b:.2f}×"
c, w, h = med("hearth cold"), med("hearth warm"), med("hugo")
cpus = " / ".join(fmt(cpu(k)) for k in ("hearth cold", "hearth warm", "hugo"))
rss = f"{rss_h} MiB / " + (f"{rss_g} MiB" if rss_g != "—" else "—")
print(f"| {n:,} | {fmt(c)} | {fmt(w)} | {fmt(h)} | {ratio(c, h)} | {ratio(w, h)} | {cpus} | {rss} |", flush=True)
PY
done
rm -rf "$work"
strip -o /tmp/hearth-stripped.$$ "$bin"
echo "stripped binary: $(stat -c %s /tmp/hearth-stripped.$$ | awk '{printf "%.2f MB", $1/1e6}')"
rm -f /tmp/hearth-stripped.$$
