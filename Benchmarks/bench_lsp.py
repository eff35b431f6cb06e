#!/usr/bin/env python3
"""LSP latency benchmark: drives the release `profilelens serve` over stdio, as an editor does.

Usage: Benchmarks/bench_lsp.py [--shared ../shared]
With the 400,000-sample profile loaded (generated with shared/bench/make_big_profile.py, files of
about 6,000 lines): time to first answer, hover p50/p99 over 1,000 random lines, codeLens and
inlayHint p50/p99 for a whole 6,000-line file (cold and cached), reload time after the profile
file is replaced, and hover p99 while that reload runs.
"""
import argparse, os, random, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    a = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "profilelens"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "profilelens")
    cache = os.path.join(tempfile.gettempdir(), "profilelens-bench")
    os.makedirs(cache, exist_ok=True)
    big, ws = os.path.join(cache, "big.pb.gz"), os.path.join(cache, "ws")
    if not os.path.exists(big) or not os.path.isdir(ws):
        subprocess.run([sys.executable, os.path.join(a.shared, "bench", "make_big_profile.py"), big, "--samples", "400000",
                        "--files", "400", "--workspace", ws], check=True, stdout=subprocess.DEVNULL)
    live = os.path.join(cache, "live")
    shutil.rmtree(live, ignore_errors=True)
    os.makedirs(live)
    shutil.copy(big, os.path.join(live, "cpu.pb.gz"))
    c = Client([binary, "serve", "--profile", live, "--map", f"/build/src={ws}"], ws)
    t0 = time.perf_counter()
    caps = {"workspace": {"codeLens": {"refreshSupport": True}, "inlayHint": {"refreshSupport": True}},
            "textDocument": {"hover": {"contentFormat": ["markdown"]}}}
    # Threshold 0: every line with a cost gets a hint, the worst case for inlayHint.
    c.request("initialize", {"rootUri": "file://" + ws, "capabilities": caps, "initializationOptions": {"hintThreshold": 0}})
    c.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    doc = os.path.join(ws, "github.com/acme/monolith/pkg0/mod0/file0.go")
    text = open(doc).read()
    c.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": "file://" + doc, "languageId": "go", "version": 1, "text": text}}})
    uri = {"uri": "file://" + doc}
    lines = text.count("\n")
    rnd = random.Random(3)
    while True:
        r, _ = c.request("textDocument/hover", {"textDocument": uri, "position": {"line": rnd.randrange(lines), "character": 0}})
        if r:
            break
        time.sleep(0.05)
    first = time.perf_counter() - t0
    hovers = [c.request("textDocument/hover", {"textDocument": uri, "position": {"line": rnd.randrange(lines), "character": 0}})[1] for _ in range(1000)]
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}}
    lenses = [c.request("textDocument/codeLens", {"textDocument": uri})[1] for _ in range(50)]
    hints = [c.request("textDocument/inlayHint", {"textDocument": uri, "range": whole})[1] for _ in range(50)]
    n_lenses = len(c.request("textDocument/codeLens", {"textDocument": uri})[0])
    n_hints = len(c.request("textDocument/inlayHint", {"textDocument": uri, "range": whole})[0])
    before = len(c.server_requests)
    shutil.copy(big, os.path.join(live, ".tmp"))
    os.replace(os.path.join(live, ".tmp"), os.path.join(live, "cpu.pb.gz"))
    t1 = time.perf_counter()
    during = []
    while "workspace/codeLens/refresh" not in c.server_requests[before:] and time.perf_counter() - t1 < 60:
        during.append(c.request("textDocument/hover", {"textDocument": uri, "position": {"line": rnd.randrange(lines), "character": 0}})[1])
    reload_s = time.perf_counter() - t1
    lenses_after = c.request("textDocument/codeLens", {"textDocument": uri})[1]
    c.request("shutdown", None)
    c.send({"jsonrpc": "2.0", "method": "exit"})
    print(f"file: {lines} lines, {n_lenses} code lenses, {n_hints} inlay hints (threshold 0)")
    print(f"first answer after start: {first:.2f} s")
    print(f"hover: p50 {pct(hovers, 0.5):.2f} ms, p99 {pct(hovers, 0.99):.2f} ms (1,000 random lines)")
    print(f"codeLens: first {lenses[0]:.2f} ms, p50 {pct(lenses, 0.5):.2f} ms, p99 {pct(lenses, 0.99):.2f} ms")
    print(f"inlayHint (whole file): first {hints[0]:.2f} ms, p50 {pct(hints, 0.5):.2f} ms, p99 {pct(hints, 0.99):.2f} ms")
    print(f"reload after replacing the profile: {reload_s:.2f} s to the refresh request; "
          f"{len(during)} hovers meanwhile, p99 {pct(during, 0.99):.2f} ms, max {max(during):.2f} ms; codeLens after it {lenses_after:.2f} ms")


if __name__ == "__main__":
    main()
