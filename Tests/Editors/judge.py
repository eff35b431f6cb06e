#!/usr/bin/env python3
"""Judges what an editor end-to-end test observed.
Usage: judge.py neovim|emacs-eglot|emacs-standalone|vim|lsp-mode OUT.json LOG"""
import json, sys

editor, path, log = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    r = json.load(open(path, encoding="utf-8"))
    if isinstance(r, list):  # Emacs writes an alist
        r = dict(r)
except Exception as e:  # noqa: BLE001 - no result at all is a failure to report
    print(f"FAIL {editor} produced no result: {e}\n{open(log, errors='replace').read()[-800:]}")
    sys.exit(1)


def has(text, *tokens):
    return isinstance(text, str) and all(t in text for t in tokens)


HOVER = ("hover on pricing.go:18 shows 230ms self and 960ms total", has(r.get("hover"), "230ms", "960ms"))
RELOAD = ("after the cpu profile is replaced, hover shows the new numbers (100ms, 650ms)",
          has(r.get("hover_after_reload"), "100ms", "650ms"))
after = r.get("after_hottest") or {}
HOTTEST = ("hottest command moves the cursor to pricing.go:18",
           str(after.get("file", "")).endswith("pricing.go") and after.get("mode") != "dired-mode" and after.get("line") == 18)
lens_lines = {l["line"] if isinstance(l, dict) else l for l in r.get("lenses", r.get("lens_lines", [])) or []}
LENSES = ("code lenses over Quote (line 7) and discount (line 15)", {6, 14} <= lens_lines)

if editor == "vim":
    on18 = lambda diags: [d for d in diags or [] if d.get("lnum") == 18 and d.get("linter") == "profilelens"]
    first_discount = lambda symbols: bool(symbols) and symbols[0].get("filename", "").endswith("/pricing/pricing.go") \
        and symbols[0].get("line") in (15, 18) and "discount" in symbols[0].get("match", "")
    checks = [
        ("ALE runs profilelens for go (g:ale_linters)", r.get("attached") is True),
        (":ProfileLensHover (gopls running too): " + HOVER[0], HOVER[1]),
        (":ALEHover with ProfileLens the buffer's only LSP linter: " + HOVER[0], has(r.get("ale_hover"), "230ms", "960ms")),
        (":ProfileLensSymbols goshop lists discount (pricing/pricing.go) first", first_discount(r.get("symbols"))),
        (":ALESymbolSearch goshop (ProfileLens alone) lists discount first", first_discount(r.get("ale_symbols"))),
        ("a profilelens diagnostic on line 18 shows its CPU cost",
         any(has(d.get("text"), "230ms") or has(d.get("text"), "960ms") for d in on18(r.get("diagnostics")))),
        (":ProfileLensHottest from main.go moves the cursor to pricing.go:18", HOTTEST[1]),
        (":ProfileLensHover " + RELOAD[0], RELOAD[1]),
        ("the diagnostic on line 18 shows the new numbers (live, no edit)",
         any(has(d.get("text"), "650ms") or has(d.get("text"), "100ms") for d in on18(r.get("diagnostics_after_reload")))),
    ]
elif editor == "lsp-mode":
    workspaces = r.get("workspaces") or []
    checks = [
        ("lsp-mode starts the profilelens client (add-on, beside the main server)",
         any(w.get("server") == "profilelens" for w in workspaces)),
        ("M-x profilelens-describe-line: " + HOVER[0], has(r.get("hover"), "230ms", "960ms")),
        ("lsp-mode draws lenses over Quote (line 7) and discount (line 15) (lsp-lens-enable)", LENSES[1]),
        ("clicking the lens over discount opens pricing.go:18",
         str((r.get("after_lens") or {}).get("file", "")).endswith("pricing.go") and (r.get("after_lens") or {}).get("line") == 18),
        ("M-x profilelens-hottest from main.go moves point to pricing.go:18", HOTTEST[1]),
        ("M-x profilelens-select-kind offers the loaded kinds; on alloc, main.go's lens leads with Alloc 31.24MB",
         set(r.get("kinds_offered") or []) >= {"cpu", "alloc", "mutex"} and has(r.get("select_kind_message"), "showing alloc")
         and any(str(l.get("title", "")).startswith("Alloc 31") for l in r.get("lenses_after_kind") or [])),
        ("then M-x profilelens-hottest ranks by alloc: inventory/inventory.go:35 (Render's WriteString)",
         str((r.get("after_hottest_alloc") or {}).get("file", "")).endswith("inventory/inventory.go")
         and (r.get("after_hottest_alloc") or {}).get("line") == 35),
        ("after the cpu profile is replaced, describe-line shows the new numbers (100ms, 650ms)", RELOAD[1]),
    ]
else:
    checks = [
        ("attached to the buffer", r.get("attached") is True),
        HOVER,
        LENSES,
        ("inlay hint at the end of line 18", 17 in set(r.get("hint_lines", []))),
        HOTTEST,
        RELOAD,
    ]
if r.get("error"):
    print(f"error inside {editor}: {r['error']}")
for key in ("errors", "timeouts"):
    if r.get(key):
        print(f"{key} inside {editor}: {r[key]}")
# What the editor observed, for a failure: its own fields first, the tail of its message log last.
observed = json.dumps({k: v for k, v in r.items() if k not in ("messages", "io_log")}, ensure_ascii=False)[:1500] \
    + ("\nmessages: ..." + str(r["messages"])[-600:] if r.get("messages") else "") \
    + ("\nlast messages with the server: ..." + str(r["io_log"])[-6000:] if r.get("io_log") else "")
for name, ok in checks:
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f" -- {observed}"))
passed = sum(bool(ok) for _, ok in checks)
print(f"{passed}/{len(checks)} {editor} checks pass")
sys.exit(0 if passed == len(checks) else 1)
