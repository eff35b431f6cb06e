#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer, replays the regression inputs, then fuzzes.
# Usage: Fuzz/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    (default: 60 s, FuzzProfile FuzzJSONRPC)
# Prints, per target: the regressions replayed, inputs tried, coverage, and crashes found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(FuzzProfile FuzzJSONRPC)
out=$PWD/fuzz-out
mkdir -p "$out"

for target in "${targets[@]}"; do
  echo "== $target: build"
  # --sanitize fuzzer makes SwiftPM link libFuzzer's main (and compile the target as a library);
  # -sanitize=fuzzer,address in one flag adds ASan, since the driver keeps only the last
  # -sanitize=. --product, because the flags would break the other executables; a scratch path
  # of its own, to keep the instrumented build away from .build.
  swift build -c release --product "$target" --scratch-path .build-fuzz \
    --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|Compiling|Build" | tail -3
  bin=$PWD/.build-fuzz/release/$target
  dir=$out/$target
  rm -rf "$dir/seeds"; mkdir -p "$dir/corpus" "$dir/seeds" "$dir/artifacts" "$dir/run"
  case $target in
    FuzzProfile) find Tests/Fixtures/corpus \( -name '*.pb' -o -name '*.pb.gz' \) -size -65k -exec cp {} "$dir/seeds/" \;
                 # The legacy formats (text and binary) and their corner cases.
                 find Tests/Fixtures/parity -name 'legacy-*' ! -name '*.pprof-*' -exec cp {} "$dir/seeds/" \;
                 cp Tests/Fixtures/legacy/inputs/* "$dir/seeds/" ;;
    FuzzJSONRPC) python3 Fuzz/make_jsonrpc_seeds.py "$dir/seeds" ;;
  esac

  regressions=("$PWD"/Fuzz/regressions/$target/*)
  if [ -e "${regressions[0]}" ]; then
    echo "== $target: replaying ${#regressions[@]} regression inputs"
    # Regressions run with discovery on (FuzzJSONRPC), from a folder of many files: the first
    # crash found was in the workspace walk, reading directory entries past their buffer.
    mkdir -p "$dir/run/many"; (cd "$dir/run/many" && for i in $(seq 1 3000); do : > "f$i-$(printf '%0*d' $((i % 40)) 0).txt"; done)
    (cd "$dir/run/many" && FUZZ_JSONRPC_DISCOVER=1 ASAN_OPTIONS=detect_leaks=0 "$bin" -runs=3 -close_fd_mask=2 "${regressions[@]}") >"$dir/regressions.log" 2>&1 \
      || { echo "FAIL: a regression input crashes again"; tail -40 "$dir/regressions.log"; exit 1; }
    echo "   all pass"
  fi

  echo "== $target: fuzzing for $seconds s"
  # From an empty folder: an `initialize` without a root makes the server look at the cwd.
  (cd "$dir/run" && ASAN_OPTIONS=detect_leaks=0 "$bin" "$dir/corpus" "$dir/seeds" \
      -max_len=65536 -rss_limit_mb=2048 -timeout=10 -max_total_time="$seconds" \
      -print_final_stats=1 -close_fd_mask=2 -artifact_prefix="$dir/artifacts/") >"$dir/fuzz.log" 2>&1 || true
  grep -E "^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb" "$dir/fuzz.log" | sed 's/^/   /'
  grep -oE "cov: [0-9]+ ft: [0-9]+" "$dir/fuzz.log" | tail -1 | sed 's/^/   final /'
  crashes=$(ls "$dir/artifacts" | grep -cE '^(crash|oom|timeout|leak)-' || true)
  if [ "$crashes" -gt 0 ]; then
    echo "FAIL: $target found $crashes crashing inputs in $dir/artifacts"
    grep -A 20 -E "ERROR: |SUMMARY" "$dir/fuzz.log" | head -40
    exit 1
  fi
  echo "   no crash"
done
