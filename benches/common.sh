# Shared by the build benchmarks: a release build of this hearth, a fixed "now",
# hyperfine present, and `peak`, the median peak RSS of three runs. Sourced, not run.
cargo build --release --quiet
bin=$PWD/target/release/hearth
gen=../shared/bench/gen_site.py
export SOURCE_DATE_EPOCH=1795305600
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 1; }

peak() { # command... → median peak RSS in MiB over 3 runs
  for _ in 1 2 3; do /usr/bin/time -f %M "$@" >/dev/null 2>/tmp/hearth-rss.$$ || true; tail -1 /tmp/hearth-rss.$$; done \
    | sort -n | sed -n 2p | awk '{printf "%.0f", $1/1024}'
}
