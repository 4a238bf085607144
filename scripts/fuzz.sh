#!/usr/bin/env bash
# make fuzz: builds the libFuzzer harness (Fuzz/, a package of its own) and runs each target for
# FUZZ_SECONDS, FUZZ_JOBS targets at a time. Prints per target the executions run and whether
# anything was found; exits 1 when a crash, timeout or out-of-memory input was found, naming the
# reproducer. See docs/PERFORMANCE.md, "Fuzzing".
#
#   scripts/fuzz.sh                      every target, FUZZ_SECONDS (600) each
#   FUZZ_TARGET=lcov,sarif FUZZ_SECONDS=60 scripts/fuzz.sh
#   scripts/fuzz.sh list                 the targets
#   scripts/fuzz.sh build                only build
#   scripts/fuzz.sh repro TARGET FILE    run one input (a crash-… file) through a target
#   scripts/fuzz.sh minimize TARGET FILE shrink a crashing input (-minimize_crash=1)
#
# Settings (environment): FUZZ_TARGET (all), FUZZ_SECONDS (600), FUZZ_JOBS (1), FUZZ_MAX_LEN
# (65536 bytes; 8192 for CODEOWNERS), FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (10 s per input), FUZZ_NICE (10),
# FUZZ_BUILD (1; 0 runs the binary already built), FUZZ_ARGS (more libFuzzer flags).
# Corpora, logs and findings live in Fuzz/.build/fuzz/<target>/, never committed.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
root=$PWD
SWIFT=${SWIFT:-swift}
seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-1}
max_len=${FUZZ_MAX_LEN:-}
rss_mb=${FUZZ_RSS_MB:-2048}
timeout=${FUZZ_TIMEOUT:-10}
niceness=${FUZZ_NICE:-10}
work=$root/Fuzz/.build/fuzz
bin=$root/Fuzz/.build/release/gatehouse-fuzz
fixtures=Tests/Fixtures

# The targets, in the order they run; each line: name, dictionary (Fuzz/Dictionaries/), -max_len
# (- for FUZZ_MAX_LEN), seeds. CODEOWNERS inputs are capped at 8 KiB (a few hundred rules): each
# input compiles every rule, and at 64 KiB a run managed 50 inputs a second.
targets() {
  cat <<'EOF'
lcov              lcov          -     coverage/*.info coverage/*.lcov replay/click/site-packages.lcov
cobertura         coverage-xml  -     coverage/cobertura-*.xml coverage/branches/*.xml replay/rich/coverage.xml
jacoco            coverage-xml  -     coverage/jacoco-*.xml
clover            coverage-xml  -     coverage/clover-*.xml
gocover           gocover       -     coverage/go-*.out
llvmcov           json          -     coverage/llvmcov-*.json
coveragepy        json          -     coverage/coveragepy-*.json
coverage          coverage-xml  -     coverage/*.info coverage/*.lcov coverage/*.xml coverage/*.out coverage/*.json
sarif             json          -     lint/*.sarif
checkstyle        checkstyle    -     lint/checkstyle.xml
eslint            json          -     lint/eslint.json
rdjson            json          -     lint/*.rdjson lint/*.rdjsonl
swiftlint         json          -     lint/swiftlint.json
lint              json          -     lint/*
codeowners-github codeowners    8192  /rules/CODEOWNERS corpus/*.CODEOWNERS
codeowners-gitlab codeowners    8192  /rules/CODEOWNERS corpus/*.CODEOWNERS
config            yaml          -     /rules/gatehouse.yml /docs/CONFIG.md:yaml
teams             yaml          -     /rules/teams.yml /docs/REVIEWERS.md:yaml
checklist         checklist     -     /rules/checklists/*.md checklists/*.md
checklist-verify  checklist     -     golden/checklist-*.md /rules/checklists/*.md checklists/*.md
prepush           prepush       -     :prepush
EOF
}

build() {
  # Fuzz/ resolves the main package's dependencies on its own; reuse the checkouts the main
  # package already has rather than the network.
  if [ ! -d Fuzz/.build/checkouts ] && [ -d .build/checkouts ]; then
    mkdir -p Fuzz/.build
    cp -a .build/checkouts .build/repositories Fuzz/.build/
    [ -f .build/workspace-state.json ] && cp .build/workspace-state.json Fuzz/.build/
  fi
  [ -f Fuzz/Package.resolved ] || { [ -f Package.resolved ] && cp Package.resolved Fuzz/; }
  echo "fuzz: building Fuzz/ (release, -sanitize=fuzzer,address)" >&2
  # `--sanitize` lets SwiftPM link libFuzzer's main; the -Xswiftc flag is what instruments the
  # Swift code: SwiftPM passes the two sanitizers as two -sanitize flags and the last one wins,
  # which leaves Swift without coverage counters (only C targets get them).
  (cd Fuzz && nice -n "$niceness" "$SWIFT" build -c release --product gatehouse-fuzz \
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
}

# Seed corpus of one target, from the fixtures: a path starting with / is from the repository
# root, others from Tests/Fixtures; FILE:yaml takes the ```yaml blocks of a Markdown file;
# :prepush writes what git sends a pre-push hook.
seed() {
  local name=$1 dir=$2
  shift 2
  rm -rf "$dir"
  mkdir -p "$dir"
  local spec file n
  for spec in "$@"; do
    case $spec in
      :prepush)
        local a=da39a3ee5e6b4b0d3255bfef95601890afd80709 b=3f786850e387550fdab836ed7e6dc881de23001b z=0000000000000000000000000000000000000000
        printf 'refs/heads/main %s refs/heads/main %s\n' $a $b >"$dir/push"
        printf 'refs/heads/new %s refs/heads/new %s\n' $a $z >"$dir/new-branch"
        printf '(delete) %s refs/heads/gone %s\n' $z $b >"$dir/delete"
        printf 'refs/tags/v1 %s refs/tags/v1 %s\r\nrefs/heads/a %s refs/heads/b %s\n' $a $z $b $a >"$dir/two-crlf"
        printf 'HEAD %s refs/heads/main %s\n' \
          e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 \
          0000000000000000000000000000000000000000000000000000000000000000 >"$dir/sha256"
        ;;
      *:yaml)
        file=$root/${spec%:yaml}
        awk -v out="$dir/${name}-doc" '/^```ya?ml/ {n++; on=1; next} /^```/ {on=0; next} on {print > (out "-" n ".yml")}' "$file"
        ;;
      /*)
        for file in $root$spec; do [ -f "$file" ] && cp "$file" "$dir/"; done
        ;;
      *)
        for file in $fixtures/$spec; do [ -f "$file" ] && cp "$file" "$dir/"; done
        ;;
    esac
  done
  n=$(find "$dir" -type f | wc -l)
  [ "$n" -gt 0 ] || echo "fuzz: no seeds for $name" >&2
}

# Runs one target for $seconds; writes $work/<target>/result: execs, seconds, findings.
run_target() {
  local name=$1 dict=$2 len=$3
  shift 3
  [ "$len" != - ] && [ -z "$max_len" ] || len=${max_len:-65536}
  local dir=$work/$name
  mkdir -p "$dir/corpus" "$dir/findings"
  seed "$name" "$dir/seeds" "$@"
  local before after
  before=$(ls "$dir/findings" | sort)
  local start=$SECONDS rc=0 input
  # Where the report targets write each input (they read paths): memory when there is /dev/shm.
  if [ -d /dev/shm ]; then input=/dev/shm/gatehouse-fuzz-$name-$$.input; else input=$dir/input; fi
  # SWIFT_BACKTRACE off: Swift's crash backtracer trips ASan; libFuzzer's own handler reports
  # the crash and writes the input. Leak detection is off: FoundationXML leaks a string per XML
  # parse error (_CFErrorCreateFromXMLInterface), which would stop every XML target at once.
  # shellcheck disable=SC2086
  GATEHOUSE_FUZZ_TARGET=$name GATEHOUSE_FUZZ_INPUT=$input SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
    nice -n "$niceness" "$bin" "$dir/corpus" "$dir/seeds" \
    -max_total_time="$seconds" -max_len="$len" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" \
    -timeout="$timeout" -dict="$root/Fuzz/Dictionaries/$dict.dict" -artifact_prefix="$dir/findings/" \
    -print_final_stats=1 -detect_leaks=0 ${FUZZ_ARGS:-} >"$dir/fuzz.log" 2>&1 || rc=$?
  rm -f "$input"
  local elapsed=$((SECONDS - start))
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$dir/fuzz.log" | tail -n 1)
  after=$(ls "$dir/findings" | sort)
  local found
  found=$(comm -13 <(echo "$before") <(echo "$after") | grep -v '^slow-unit-' | sed "s|^|$dir/findings/|" | tr '\n' ' ' || true)
  if [ -z "$found" ] && [ "$rc" -ne 0 ]; then found="(exit $rc, no input written: see $dir/fuzz.log)"; fi
  printf '%s\t%s\t%s\t%s\n' "${execs:-0}" "$elapsed" "$rc" "$found" >"$dir/result"
}

summary() {
  local failed=0 name execs elapsed rc found rate
  printf '\n%-18s %12s %8s %9s  %s\n' target executions seconds exec/s result
  for name in "${selected[@]}"; do
    IFS=$'\t' read -r execs elapsed rc found <"$work/$name/result"
    rate=$((execs / (elapsed > 0 ? elapsed : 1)))
    if [ -z "$found" ]; then
      printf '%-18s %12s %8s %9s  %s\n' "$name" "$execs" "$elapsed" "$rate" "nothing found"
    else
      failed=1
      printf '%-18s %12s %8s %9s  %s\n' "$name" "$execs" "$elapsed" "$rate" "FOUND: $found"
    fi
  done
  if [ $failed -ne 0 ]; then
    echo
    echo "fuzz: findings above. Replay one: scripts/fuzz.sh repro TARGET FILE; shrink it: scripts/fuzz.sh minimize TARGET FILE;"
    echo "      then keep it under Tests/Fixtures/fuzz/TARGET/ (FuzzRegressionTests runs every file there). Logs: $work/TARGET/fuzz.log"
  fi
  return $failed
}

case ${1:-run} in
  list)
    targets | awk '{print $1}'
    exit 0
    ;;
  build)
    build
    exit 0
    ;;
  repro | minimize)
    [ $# -eq 3 ] || { echo "usage: scripts/fuzz.sh $1 TARGET FILE" >&2; exit 2; }
    [ "${FUZZ_BUILD:-1}" = 0 ] || build
    case $3 in /*) input=$3 ;; *) input=$caller/$3 ;; esac
    scratch=${TMPDIR:-/tmp}/gatehouse-fuzz-$2-$$.input
    [ -d /dev/shm ] && scratch=/dev/shm/gatehouse-fuzz-$2-$$.input
    if [ "$1" = repro ]; then
      rc=0
      env GATEHOUSE_FUZZ_TARGET="$2" GATEHOUSE_FUZZ_INPUT="$scratch" SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
        "$bin" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" -timeout="$timeout" -detect_leaks=0 "$input" || rc=$?
      rm -f "$scratch"
      exit $rc
    fi
    out=$(dirname "$input")/minimized-$(basename "$input")
    env GATEHOUSE_FUZZ_TARGET="$2" GATEHOUSE_FUZZ_INPUT="$scratch" SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
      nice -n "$niceness" "$bin" -minimize_crash=1 -max_total_time="${FUZZ_SECONDS:-120}" -rss_limit_mb="$rss_mb" \
      -malloc_limit_mb="$rss_mb" -timeout="$timeout" -detect_leaks=0 -exact_artifact_path="$out" "$input" || true
    rm -f "$scratch"
    echo "fuzz: minimized input: $out ($(wc -c <"$out") bytes)"
    exit 0
    ;;
  run) ;;
  *)
    echo "usage: scripts/fuzz.sh [run|list|build|repro TARGET FILE|minimize TARGET FILE]" >&2
    exit 2
    ;;
esac

want=${FUZZ_TARGET:-all}
selected=()
while read -r name _; do
  if [ "$want" = all ] || [[ ",${want// /,}," == *",$name,"* ]]; then selected+=("$name"); fi
done < <(targets)
if [ ${#selected[@]} -eq 0 ]; then
  echo "fuzz: no target named '$want'; the targets are: $(targets | awk '{print $1}' | tr '\n' ' ')" >&2
  exit 2
fi

[ "${FUZZ_BUILD:-1}" = 0 ] || build
[ -x "$bin" ] || { echo "fuzz: $bin is not built (FUZZ_BUILD=0?)" >&2; exit 2; }
echo "fuzz: ${#selected[@]} target(s), ${seconds}s each, $jobs at a time; max_len ${max_len:-65536}, rss ${rss_mb} MB, timeout ${timeout}s" >&2

running=0
for name in "${selected[@]}"; do
  spec=$(targets | awk -v n="$name" '$1 == n {$1 = ""; print}')
  # Seed patterns are globbed in seed(), not here.
  set -f
  # shellcheck disable=SC2086
  set -- $spec
  set +f
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  echo "fuzz: $name" >&2
  run_target "$name" "$@" &
  running=$((running + 1))
done
wait || true
summary
