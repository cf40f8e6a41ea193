#!/usr/bin/env bash
# Card rendering cost: builds a generated 1,000-page hub with cards off, with cards
# on and a cold cache, and with cards on and a warm cache, side by side (hyperfine,
# alternating), on tmpfs. Prints milliseconds per card, cold and cached.
#
#   benches/cards.sh [PAGES]      (needs python3 and hyperfine; run from the repo)
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-1000}
gen=../shared/bench/gen_site.py
work=/dev/shm/hearth-bench-cards
rm -rf "$work" && mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/hearth

python3 "$gen" --pages "$pages" --flavor plain --out "$work/on" >/dev/null
printf 'search:\n  enabled: false\n' >> "$work/on/site.yaml"   # benches/search.sh measures it
cp -r "$work/on" "$work/off"
printf 'cards:\n  enabled: false\n' >> "$work/off/site.yaml"
export SOURCE_DATE_EPOCH=1795305600

cards=$("$bin" build "$work/on" -o "$work/out-on" 2>&1 | sed -n 's/.*, \([0-9]*\) cards (.*/\1/p')
echo "cards per build: $cards"

# One --prepare per command: a single one would apply to all three.
hyperfine --warmup 1 --runs "${RUNS:-7}" --export-json "$work/cards.json" \
  --prepare true --prepare "rm -rf $work/on/.hearth-cache" --prepare "$bin build $work/on -o $work/out-on" \
  -n "cards off" "$bin build $work/off -o $work/out-off" \
  -n "cards cold" "$bin build $work/on -o $work/out-on" \
  -n "cards warm" "$bin build $work/on -o $work/out-on"

python3 - "$work/cards.json" "$cards" <<'PY'
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
cards = int(sys.argv[2])
off = runs["cards off"]["median"] * 1000
for name in ("cards cold", "cards warm"):
    med = runs[name]["median"] * 1000
    print(f"{name}: median {med:.0f} ms, {(med - off) / cards:.3f} ms per card over the cards-off build ({off:.0f} ms)")
PY
