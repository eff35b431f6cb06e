#!/usr/bin/env bash
# Regenerates the *.pprof-*.txt goldens in this folder from `go tool pprof` (stdout only; pprof's
# stderr notes about symbolization are dropped). Run from anywhere; needs the Go toolchain whose
# pprof the parity check uses (Go 1.19: github.com/google/pprof v0.0.0-20220729232143-a41b82acbcb1).
# TZ=UTC because pprof prints the profile's time in the local time zone.
set -eu
cd "$(dirname "$0")"
export TZ=UTC
top() { go tool pprof -top -nodefraction=0 -edgefraction=0 "$@" 2>/dev/null; }

# Every fixture pprof reads, as compare_top.py runs it.
for f in *.pb *.txt *.prof; do
  case "$f" in dangling-leaf.pb|*.pprof-*.txt) continue ;; esac
  top -nodecount=15 "$f" > "${f%.*}.pprof-top.txt"
done

# Negative values, ties, units and inlining with three rows: the cut, the unit and the (inline) marker change.
for f in delta-negative ties mixed-units-time mixed-units-bytes inline; do
  top -nodecount=3 "$f.pb" > "$f.pprof-top-n3.txt"
done

# Other sample types of the same profiles.
top -nodecount=15 -sample_index=cpu zero-valued-type.dotnet.pb > zero-valued-type.dotnet.pprof-top-cpu.txt
top -nodecount=15 -sample_index=alloc_objects delta-negative.pb > delta-negative.pprof-top-alloc_objects.txt
for t in events lag weight; do
  top -nodecount=15 -sample_index=$t custom-units.pb > "custom-units.pprof-top-$t.txt"
done

# The address form of unsymbolized rows (only at -addresses granularity, never in plain -top).
top -nodecount=15 -addresses stripped.pb > stripped.pprof-top-addresses.txt

# What pprof does with two programs given together: it merges them into one total.
top -nodecount=15 two-programs.go.pb two-programs.python.pb > two-programs.merged-go-python.pprof-top.txt
top -nodecount=15 two-programs.go.pb two-programs.go-run2.pb > two-programs.merged-go-go-run2.pprof-top.txt

# -list of the vdso and delta fixtures, with their sources from src/.
go tool pprof -list . -source_path=src/clockapp vdso-leaf.pb 2>/dev/null > vdso-leaf.pprof-list.txt
go tool pprof -list . -source_path=src/deltaapp delta-negative.pb 2>/dev/null > delta-negative.pprof-list.txt

# The per-line and per-function numbers of every protobuf fixture, from the acceptance checks' oracle
# (the format of corpus/expected/*.json; needs python protobuf). dangling-leaf.pb is included: pprof
# refuses it, the oracle drops the dangling id and lets the next location lead.
# ORACLE overrides where it is; by default, the checks folder beside the project checkout.
oracle=${ORACLE:-$(dirname "$(git rev-parse --show-toplevel)")/shared/checks/pprof_oracle.py}
if [ -f "$oracle" ]; then
  for f in *.pb; do python3 "$oracle" "$f" > "${f%.pb}.expected.json"; done
else
  echo "no $oracle: *.expected.json not regenerated" >&2
fi
