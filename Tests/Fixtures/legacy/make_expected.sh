#!/usr/bin/env bash
# Writes expected/NAME.txt: what google/pprof's parser (the one `go tool pprof` 1.19 vendors) makes
# of each legacy input of inputs/ and of the legacy-* fixtures of ../parity. Needs the Go toolchain;
# pprof's profile package is copied from it into a temporary module with pprofdump/main.go.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(go env GOROOT)/src/cmd/vendor/github.com/google/pprof/profile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/profile"
cp "$src"/*.go "$tmp/profile/"
rm -f "$tmp"/profile/*_test.go
cp "$here/pprofdump/main.go" "$tmp/"
printf 'module pprofdump\n\ngo 1.19\n' > "$tmp/go.mod"
(cd "$tmp" && GOFLAGS=-mod=mod go build -o pprofdump .)
mkdir -p "$here/expected"
rm -f "$here"/expected/*.txt
for f in "$here"/inputs/* "$here"/../parity/legacy-*; do
  case "$f" in *.pprof-*) continue ;; esac
  name=$(basename "$f")
  "$tmp/pprofdump" "$f" > "$here/expected/${name%.*}.txt"
done
