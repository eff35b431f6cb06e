#!/usr/bin/env bash
# End-to-end: editors/vim (ALE) in a real Vim 9 with Debian's vim-ale, in a tmux pane, against the
# release binary on the goshop fixture: :ALEHover, :ALESymbolSearch, diagnostics at hot lines,
# :ProfileLensHottest, and new numbers after the cpu profile is replaced. gopls runs beside it
# when it is installed, as the README's g:ale_linters has it.
# Usage: Tests/Editors/run-vim.sh [BIN]   (default .build/release/profilelens)
# Without vim, vim-ale or tmux it skips, except under CI (CI set), where that is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../.." && pwd)
bin=$(readlink -f "${1:-$repo/.build/release/profilelens}")
missing=()
command -v vim >/dev/null || missing+=(vim)
command -v tmux >/dev/null || missing+=(tmux)
ale=${ALE_DIR:-/usr/share/vim-ale}; [ -f "$ale/plugin/ale.vim" ] || missing+=(vim-ale)
if [ ${#missing[@]} -gt 0 ]; then
  if [ -n "${CI:-}" ]; then echo "FAIL vim test: ${missing[*]} not installed"; exit 1; fi
  echo "SKIP vim test: ${missing[*]} not installed (apt-get install ${missing[*]})"; exit 0
fi
[ -x "$bin" ] || { echo "FAIL vim test: no binary at $bin"; exit 1; }
tmp=$(mktemp -d); sock=$tmp/tmux.sock; session=pl_vim_$$
cleanup() { tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cp -r "$repo/Tests/Fixtures/corpus/goshop/src" "$tmp/ws"; mkdir "$tmp/p" "$tmp/home"
cp "$repo"/Tests/Fixtures/corpus/goshop/profiles/{cpu,allocs,mutex,block}.pb.gz "$tmp/p/"
cp "$repo/Tests/Fixtures/corpus/goshop/profiles/trimpath/cpu.pb.gz" "$tmp/next-cpu.pb.gz"
# editors/vim/README.md "Install", with the binary and the profiles of this test.
cat > "$tmp/vimrc" <<'VIM'
set nocompatible encoding=utf-8
filetype plugin indent on
syntax on
if $ALE_DIR isnot# '' | let &runtimepath .= ',' . $ALE_DIR | else | packadd! ale | endif
let g:ale_linters = {'go': ['gopls', 'profilelens']}
let g:ale_profilelens_executable = $PL_BIN
let g:ale_profilelens_options = {
\   'profiles': [$PL_PROFILES],
\   'pathMappings': [{'from': '/home/ci/work/goshop', 'to': ''}],
\}
let g:ale_hover_to_preview = 1
execute 'source ' . fnameescape($PL_REPO . '/editors/vim/plugin/profilelens.vim')
VIM
export PL_BIN=$bin PL_REPO=$repo PL_WS=$tmp/ws PL_PROFILES=$tmp/p PL_NEXT=$tmp/next-cpu.pb.gz PL_OUT=$tmp/out.json
[ -n "${ALE_DIR:-}" ] && export ALE_DIR
tmux -S "$sock" -f /dev/null new-session -d -s "$session" -x 160 -y 50 -c "$tmp/ws" \
  "HOME='$tmp/home' GOPROXY=off vim -u '$tmp/vimrc' -i NONE pricing/pricing.go -S '$here/vim_test.vim'"
end=$((SECONDS + 110)); while [ $SECONDS -lt $end ] && tmux -S "$sock" has-session -t "$session" 2>/dev/null; do sleep 0.2; done
touch "$tmp/vim.log"
[ -n "${PL_KEEP:-}" ] && cp "$tmp/out.json" "$PL_KEEP"   # what Vim observed, for debugging
python3 "$here/judge.py" vim "$tmp/out.json" "$tmp/vim.log"
