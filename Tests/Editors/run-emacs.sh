#!/usr/bin/env bash
# End-to-end: editors/emacs/profilelens.el in a real Emacs (Debian's emacs-nox and elpa-eglot),
# against the release binary on the goshop fixture, twice: with eglot hosting ProfileLens, and
# with profilelens-mode's own client (the way it runs beside another language server).
# Usage: Tests/Editors/run-emacs.sh [BIN]   (default .build/release/profilelens)
set -u
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
bin=$(readlink -f "${1:-$repo/.build/release/profilelens}")
command -v emacs >/dev/null || { echo "emacs is not installed"; exit 1; }
rc=0
for mode in eglot standalone; do
  echo "== emacs ($mode)"
  tmp=$(mktemp -d)
  cp -r "$repo/Tests/Fixtures/corpus/goshop/src" "$tmp/ws"; mkdir "$tmp/p"
  # A repository, as a real checkout is: eglot finds the project root (one server) through it.
  git -C "$tmp/ws" init -q
  cp "$repo"/Tests/Fixtures/corpus/goshop/profiles/{cpu,allocs,mutex,block}.pb.gz "$tmp/p/"
  cp "$repo/Tests/Fixtures/corpus/goshop/profiles/trimpath/cpu.pb.gz" "$tmp/next-cpu.pb.gz"
  PL_BIN=$bin PL_PROFILES=$tmp/p PL_WS=$tmp/ws PL_OUT=$tmp/out.json PL_NEXT=$tmp/next-cpu.pb.gz PL_REPO=$repo PL_MODE=$mode \
    timeout 120 emacs --batch -q -l "$here/emacs_test.el" >"$tmp/emacs.log" 2>&1
  python3 "$here/judge.py" "emacs-$mode" "$tmp/out.json" "$tmp/emacs.log" || rc=1
  rm -rf "$tmp"
done
exit $rc
