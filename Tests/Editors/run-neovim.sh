#!/usr/bin/env bash
# End-to-end: editors/neovim in a real Neovim (Debian's 0.7 in CI) against the release binary,
# on the goshop fixture in a temporary workspace.
# Usage: Tests/Editors/run-neovim.sh [BIN]   (default .build/release/profilelens)
set -u
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
bin=$(readlink -f "${1:-$repo/.build/release/profilelens}")
command -v nvim >/dev/null || { echo "nvim is not installed"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$repo/Tests/Fixtures/corpus/goshop/src" "$tmp/ws"; mkdir "$tmp/p"
cp "$repo"/Tests/Fixtures/corpus/goshop/profiles/{cpu,allocs,mutex,block}.pb.gz "$tmp/p/"
cp "$repo/Tests/Fixtures/corpus/goshop/profiles/trimpath/cpu.pb.gz" "$tmp/next-cpu.pb.gz"
PL_BIN=$bin PL_PROFILES=$tmp/p PL_WS=$tmp/ws PL_OUT=$tmp/out.json PL_NEXT=$tmp/next-cpu.pb.gz PL_REPO=$repo \
  timeout 120 nvim --headless -u NONE -c "luafile $here/neovim_test.lua" >"$tmp/nvim.log" 2>&1
python3 "$here/judge.py" neovim "$tmp/out.json" "$tmp/nvim.log"
