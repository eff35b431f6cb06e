#!/usr/bin/env bash
# End-to-end: editors/emacs/profilelens.el as an lsp-mode add-on client, in a real Emacs 28 with
# Debian's elpa-lsp-mode 8.0, go-mode and gopls as the main server, in a tmux pane, against the
# release binary on the goshop fixture: the client starts, describe-line shows line 18's cost,
# lsp-mode draws the lenses, a lens click and M-x profilelens-hottest open pricing.go:18,
# select-kind offers the loaded kinds and switches the lenses, and the numbers change after the
# cpu profile is replaced. The init.el is the one editors/emacs/README.md gives.
# Usage: Tests/Editors/run-lsp-mode.sh [BIN]   (default .build/release/profilelens)
# Without emacs, lsp-mode, go-mode, gopls or tmux it skips, except under CI (CI set): a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
bin=$(readlink -f "${1:-$repo/.build/release/profilelens}")
missing=()
command -v emacs >/dev/null || missing+=(emacs-nox)
command -v tmux >/dev/null || missing+=(tmux)
command -v gopls >/dev/null || missing+=(gopls)
command -v git >/dev/null || missing+=(git)
ls -d /usr/share/emacs/site-lisp/elpa-src/lsp-mode-* >/dev/null 2>&1 || missing+=(elpa-lsp-mode)
ls -d /usr/share/emacs/site-lisp/elpa-src/go-mode-* >/dev/null 2>&1 || missing+=(elpa-go-mode)
if [ ${#missing[@]} -gt 0 ]; then
  if [ -n "${CI:-}" ]; then echo "FAIL lsp-mode test: ${missing[*]} not installed"; exit 1; fi
  echo "SKIP lsp-mode test: ${missing[*]} not installed (apt-get install ${missing[*]})"; exit 0
fi
[ -x "$bin" ] || { echo "FAIL lsp-mode test: no binary at $bin"; exit 1; }
tmp=$(mktemp -d); sock=$tmp/tmux.sock; session=pl_lsp_mode_$$
cleanup() { tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cp -r "$repo/Tests/Fixtures/corpus/goshop/src" "$tmp/ws"; mkdir -p "$tmp/ws/profiles" "$tmp/home/.emacs.d"
cp "$repo"/Tests/Fixtures/corpus/goshop/profiles/{cpu,allocs,mutex,block}.pb.gz "$tmp/ws/profiles/"
cp "$repo/Tests/Fixtures/corpus/goshop/profiles/trimpath/cpu.pb.gz" "$tmp/next-cpu.pb.gz"
# a checkout, as a real project is: lsp-auto-guess-root finds the root through it
git -C "$tmp/ws" init -q
# no background native compilation of lsp-mode into this throwaway HOME (it would outlive Emacs)
echo '(setq native-comp-deferred-compilation nil native-comp-jit-compilation nil)' > "$tmp/home/.emacs.d/early-init.el"
# editors/emacs/README.md, "With lsp-mode", with this test's binary
cat > "$tmp/home/.emacs.d/init.el" <<'EL'
(add-to-list 'load-path (expand-file-name "editors/emacs" (getenv "PL_REPO")))
(require 'profilelens)
(setq profilelens-program (list (getenv "PL_BIN") "serve")
      profilelens-path-mappings '(("/home/ci/work/goshop" . ""))
      profilelens-profiles '("profiles/"))
(require 'lsp-mode)
(setq lsp-lens-enable t
      lsp-auto-guess-root t)
(add-hook 'go-mode-hook #'lsp-deferred)
(global-set-key (kbd "C-c p") profilelens-command-map)
EL
export PL_BIN=$bin PL_REPO=$repo PL_WS=$tmp/ws PL_OUT=$tmp/out.json PL_CPU=$tmp/ws/profiles/cpu.pb.gz PL_NEXT=$tmp/next-cpu.pb.gz
tmux -S "$sock" -f /dev/null new-session -d -s "$session" -x 160 -y 50 -c "$tmp/ws" \
  "HOME='$tmp/home' GOPROXY=off emacs -nw pricing/pricing.go -l '$here/lsp_mode_test.el'"
end=$((SECONDS + 180)); while [ $SECONDS -lt $end ] && tmux -S "$sock" has-session -t "$session" 2>/dev/null; do sleep 0.2; done
touch "$tmp/emacs.log"
[ -n "${PL_KEEP:-}" ] && cp "$tmp/out.json" "$PL_KEEP"   # what Emacs observed, for debugging
python3 "$here/judge.py" lsp-mode "$tmp/out.json" "$tmp/emacs.log"
