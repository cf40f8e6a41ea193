#!/usr/bin/env bash
# Refactoring check: this build of hearth and another (an earlier commit's binary)
# must write byte-identical output for the example site and a generated corpus.
#
#   benches/same_output.sh OTHER_HEARTH [PAGES]      default: 1000 pages
#
# Exit 0 and "identical" when every file matches; otherwise the differing files.
set -euo pipefail
cd "$(dirname "$0")/.."
other=$(realpath "$1")
pages=${2:-1000}
work=$(mktemp -d /dev/shm/hearth-same.XXXXXX)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
this=$PWD/target/release/hearth
export SOURCE_DATE_EPOCH=1795305600
python3 ../shared/bench/gen_site.py --pages "$pages" --flavor plain --out "$work/corpus" >/dev/null
cp -r example-site "$work/example"
rm -rf "$work/example/public" "$work/example/.hearth-cache"
status=0
for site in example corpus; do
  for bin in this other; do
    rm -rf "$work/$site/.hearth-cache"
    "${!bin}" build "$work/$site" -o "$work/out-$site-$bin" --drafts >/dev/null 2>&1
  done
  if diff -r "$work/out-$site-this" "$work/out-$site-other" >"$work/diff" 2>&1; then
    echo "$site: identical ($(find "$work/out-$site-this" -type f | wc -l) files)"
  else
    echo "$site: DIFFERENT"; head -20 "$work/diff"; status=1
  fi
done
exit $status
