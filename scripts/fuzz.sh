#!/usr/bin/env bash
# make fuzz: libFuzzer (with AddressSanitizer) on the parsers that read what strangers send: the
# attendee CSV import, the iCalendar writer's escaping and folding, SMTP replies, JSON request bodies.
#
#   scripts/fuzz.sh [TARGET…]   build Fuzz/ (in .build/fuzz, apart from the normal build) and run each
#                               target for FUZZ_SECONDS (default 60), starting from Fuzz/Corpus/TARGET
#   scripts/fuzz.sh merge       fold what the last runs found (.build/fuzz/corpus) into Fuzz/Corpus,
#                               keeping only inputs that add coverage
#
# Targets: FuzzCSV FuzzICalendar FuzzSMTPReply FuzzJSONRequests (all by default). A crash, a failed
# property, a leak or an input slower than FUZZ_TIMEOUT seconds (default 10) stops the run: the
# input is saved as .build/fuzz/crashes/TARGET/crash-… (or timeout-…, leak-…), the script says how to
# replay it, and exits non-zero. Settings: FUZZ_SECONDS, FUZZ_TIMEOUT, FUZZ_JOBS (parallel workers per
# target, default 1), FUZZ_ARGS (more libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."
ALL=(FuzzCSV FuzzICalendar FuzzSMTPReply FuzzJSONRequests)
OUT=.build/fuzz
SECONDS_EACH="${FUZZ_SECONDS:-60}"
BIN_DIR="$OUT/x86_64-unknown-linux-gnu/debug"

build() {
  # -sanitize=fuzzer links libFuzzer; lld, because gold trips over the sanitizers' debug info.
  # A failed build stops here (the binaries of an earlier build would fuzz old code).
  (set +e; cd Fuzz && nice -n 10 swift build -c debug --build-path ../$OUT \
     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld 2>&1 \
     | grep -vE "Cannot export local symbol|^\[[0-9]+/[0-9]+\]"; exit "${PIPESTATUS[0]}") \
    || { echo "fuzz: the build failed" >&2; exit 1; }
  for target in "${ALL[@]}"; do
    [ -x "$BIN_DIR/$target" ] || { echo "fuzz: $target did not build" >&2; exit 1; }
  done
}

if [ "${1:-}" = merge ]; then
  build
  for target in "${ALL[@]}"; do
    [ -d "$OUT/corpus/$target" ] || continue
    before=$(ls Fuzz/Corpus/$target | wc -l)
    "$BIN_DIR/$target" -merge=1 "Fuzz/Corpus/$target" "$OUT/corpus/$target" >/dev/null 2>&1
    echo "$target: corpus $before → $(ls Fuzz/Corpus/$target | wc -l) inputs"
  done
  exit 0
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")
build
failed=0
for target in "${targets[@]}"; do
  corpus="$OUT/corpus/$target"; crashes="$OUT/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  jobs="${FUZZ_JOBS:-1}"
  parallel=()
  [ "$jobs" -gt 1 ] && parallel=(-fork="$jobs")
  echo "== $target: ${SECONDS_EACH} s from Fuzz/Corpus/$target ($(ls Fuzz/Corpus/$target | wc -l) inputs)"
  # New inputs go to the first folder (.build), the committed corpus is only read.
  set +e
  # The Swift runtime's own backtracer would fight AddressSanitizer over a crash: libFuzzer reports it.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 "$BIN_DIR/$target" "$corpus" "Fuzz/Corpus/$target" \
    -max_total_time="$SECONDS_EACH" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "${parallel[@]}" ${FUZZ_ARGS:-} >"$OUT/$target.log" 2>&1
  status=$?
  set -e
  grep -E "^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::new_units_added|^stat::peak_rss_mb" "$OUT/$target.log" \
    | sed 's/^stat::/   /' | tr '\n' ' '; echo
  echo "   corpus: $(ls "$corpus" | wc -l) new inputs in $corpus, $(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$OUT/$target.log" | tail -1)"
  if [ $status -ne 0 ]; then
    failed=1
    grep -E "ERROR: libFuzzer|ERROR: AddressSanitizer|Fatal error|Precondition failed|==ERROR|SUMMARY" "$OUT/$target.log" | head -5 | sed 's/^/   /'
    artifact=$(grep -oE "Test unit written to [^ ]+" "$OUT/$target.log" | tail -1 | sed 's/Test unit written to //')
    echo "   FAILED: input saved as $artifact; replay: $BIN_DIR/$target $artifact (full log: $OUT/$target.log)"
  fi
done
exit $failed
