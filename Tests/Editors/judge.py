#!/usr/bin/env python3
"""Judges what an editor end-to-end test observed. Usage: judge.py neovim|emacs OUT.json LOG"""
import json, sys

editor, path, log = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    r = json.load(open(path))
    if isinstance(r, list):  # Emacs writes an alist
        r = dict(r)
except Exception as e:  # noqa: BLE001 - no result at all is a failure to report
    print(f"FAIL {editor} produced no result: {e}\n{open(log, errors='replace').read()[-800:]}")
    sys.exit(1)

lens_lines = {l["line"] if isinstance(l, dict) else l for l in r.get("lenses", r.get("lens_lines", []))}
after = r.get("after_hottest") or {}
checks = [
    ("attached to the buffer", r.get("attached") is True),
    ("hover on pricing.go:18 shows 230ms self and 960ms total", all(t in r.get("hover", "") for t in ["230ms", "960ms"])),
    ("code lenses over Quote (line 7) and discount (line 15)", {6, 14} <= lens_lines),
    ("inlay hint at the end of line 18", 17 in set(r.get("hint_lines", []))),
    ("hottest command moves the cursor to pricing.go:18", str(after.get("file", "")).endswith("pricing.go") and after.get("line") == 18),
    ("after the cpu profile is replaced, hover shows the new numbers (100ms, 650ms)",
     all(t in r.get("hover_after_reload", "") for t in ["100ms", "650ms"])),
]
if r.get("error"):
    print(f"error inside {editor}: {r['error']}")
for name, ok in checks:
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f" -- {json.dumps(r)[:400]}"))
passed = sum(ok for _, ok in checks)
print(f"{passed}/{len(checks)} {editor} checks pass")
sys.exit(0 if passed == len(checks) else 1)
