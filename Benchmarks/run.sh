#!/usr/bin/env bash
# make bench: Gatehouse against the tool it replaces, on the same input in the same run.
# Prints wall times (hyperfine), the ratio, and peak memory. Figures go in docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/gatehouse-bench}
mkdir -p "$work"

if ! command -v hyperfine >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
  else
    echo "bench: hyperfine is needed: sudo apt-get install hyperfine" >&2
    exit 1
  fi
fi

swift build -c release --product gatehouse >/dev/null
bin=$(swift build -c release --show-bin-path)/gatehouse

peak_mb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.1f", $1/1024}'; }

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "software: $(swift --version 2>/dev/null | head -n1), libgit2 $(pkg-config --modversion libgit2), $(git --version)"
}

bench_diff() {
  local repo="$work/diff-repo"
  [ -d "$repo/.git" ] || python3 Benchmarks/make-diff-repo.py "$repo"
  local expected actual
  expected=$(git -C "$repo" diff --shortstat -M HEAD~1...HEAD | sed 's/^ *//')
  actual=$("$bin" diff -C "$repo" --base HEAD~1 | tail -n 1)
  echo "== diff: $expected"
  if [ "$expected" != "$actual" ]; then
    echo "bench: gatehouse disagrees with git on the benchmark range: '$actual'" >&2
    exit 1
  fi
  hyperfine --style basic --warmup 2 --runs 10 --export-json "$work/diff.json" \
    -n gatehouse "$bin diff -C $repo --base HEAD~1 --format json" \
    -n git "git -C $repo diff --numstat -M HEAD~1...HEAD" >/dev/null
  python3 - "$work/diff.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
g, t = r["gatehouse"], r["git"]
print(f"gatehouse diff --format json   {g['mean']*1000:8.1f} ms ± {g['stddev']*1000:.1f}")
print(f"git diff --numstat -M          {t['mean']*1000:8.1f} ms ± {t['stddev']*1000:.1f}")
print(f"ratio gatehouse/git            {g['mean']/t['mean']:8.2f}   (target <= 1.5)")
PY
  echo "peak memory gatehouse: $(peak_mb "$bin" diff -C "$repo" --base HEAD~1 --format json) MB   (target < 300)"
  echo "peak memory git:       $(peak_mb git -C "$repo" diff --numstat -M HEAD~1...HEAD) MB"
}

machine
case "${1:-all}" in
  diff|all) bench_diff ;;
  *) echo "usage: Benchmarks/run.sh [diff|all]" >&2; exit 2 ;;
esac
