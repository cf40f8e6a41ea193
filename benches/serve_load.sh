#!/usr/bin/env bash
# `hearth serve` under load: a bounded wrk run (200 connections, 10 s, two threads)
# against 127.0.0.1 on the example site, then 100 rapid edits while wrk runs again;
# the server must answer every request and serve the last edit.
#
#   benches/serve_load.sh        (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
cargo build --release --quiet
site=$(mktemp -d)
cp -r example-site/. "$site"
rm -rf "$site/public" "$site/.hearth-cache"
log=$(mktemp)
./target/release/hearth serve "$site" --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$site" "$log"' EXIT
for _ in $(seq 50); do grep -q "http://" "$log" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/hub/' "$log" | head -1)
echo "== wrk, 200 connections for 10 s: $url"
wrk -t2 -c200 -d10s --latency "$url" | tee /tmp/wrk1.txt
echo "== wrk again on a member page while 100 edits land"
(wrk -t2 -c200 -d10s "${url}members/ada/" > /tmp/wrk2.txt) &
wrk_pid=$!
page="$site/content/about.md"
orig=$(cat "$page")
for i in $(seq 1 100); do
  printf '%s\n\nRapid edit %s.\n' "$orig" "$i" > "$page"
  sleep 0.02
done
wait $wrk_pid
cat /tmp/wrk2.txt
sleep 0.5
if curl -sf "${url}about/" | grep -q "Rapid edit 100."; then
  echo "== the server is alive and serves the last edit"
else
  echo "== FAILED: the last edit is not served"; exit 1
fi
grep -c "changed:" "$log" | xargs echo "rebuilds:"
