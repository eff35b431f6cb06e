#!/usr/bin/env python3
"""ProfileLens against the physical floor and against `go tool pprof`, in one run.

Usage: Benchmarks/bench_floor.py [--runs N] [--pprof-runs N] [--no-pprof] [--no-build] [--shared ../shared]
                                 [--daemon-profile PATH]... [--daemon-option KEY=JSON]...

For each profile: the floor (starting the process, `profilelens --version`, plus inflating the
file with zlib in this process: no gzip reader can do less), `profilelens top -n 10` end to end,
and `go tool pprof -top` on the same file, alternating, best of N; peak RSS of each, and
ProfileLens's RSS above the bare process (`--version`) as a multiple of the uncompressed size.
The profiles:
  - go.large.cpu.pb.gz: a real Go CPU profile (20k samples), fixed costs weigh most;
  - heap.pb.gz: a real Go heap profile written by Benchmarks/heapgen (about 60,000 samples whose
    stacks share prefixes, 4x fewer distinct prefixes than frames), cached in $TMPDIR;
  - big.pb.gz: the 400,000-sample synthetic profile of shared/bench/make_big_profile.py, random
    walks with almost no shared prefixes: the worst case for the index walk.
Then the daemon: `profilelens serve` with the goshop corpus's six kinds, then with a baseline and
a 12-point series beside them (and whatever --daemon-profile / --daemon-option add),
its peak and current RSS once everything is loaded.
"""
import argparse, json, os, subprocess, sys, tempfile, time, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402


def run(cmd, cwd=None, separate_rss=True):
    """Wall seconds and peak RSS (MB) of a command; exits on failure.

    The peak RSS comes from /usr/bin/time: a child forked from this (large) Python process
    reports Python's pages as its own peak until it execs. With `separate_rss` the command runs
    once more for it, so that the timed run is the bare command."""
    def timed_run():
        p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            sys.exit(f"{' '.join(cmd[:3])} failed: {p.stderr[-300:]}")
        return int(p.stderr.strip().splitlines()[-1]) / 1024.0
    t0 = time.perf_counter()
    if not separate_rss:
        rss = timed_run()
        return time.perf_counter() - t0, rss
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} failed: {p.stderr.decode(errors='replace')[-300:]}")
    return elapsed, timed_run()


def inflate_seconds(data):
    t = time.perf_counter()
    raw = zlib.decompress(data, 47)
    return time.perf_counter() - t, len(raw)


def daemon_rss(binary, profiles, options, root):
    d = Client([binary, "serve"], root)
    init = dict(options)
    init["profiles"] = profiles
    d.request("initialize", {"rootUri": "file://" + root, "capabilities": {}, "initializationOptions": init}, timeout=120)
    d.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    # profilelens.reload answers once the profiles are loaded.
    status, _ = d.request("workspace/executeCommand", {"command": "profilelens.reload", "arguments": []}, timeout=120)
    hwm, rss = d.memory()
    d.stop()
    return hwm, rss, status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pprof-runs", type=int, default=2, help="runs of go tool pprof per profile (it is slow)")
    ap.add_argument("--no-pprof", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--daemon-profile", action="append", default=[], help="more profiles or folders for the daemon")
    ap.add_argument("--daemon-option", action="append", default=[], help="KEY=JSON initializationOptions for the daemon")
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "profilelens"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "profilelens")
    cache = os.path.join(tempfile.gettempdir(), "profilelens-bench")
    os.makedirs(cache, exist_ok=True)
    big = os.path.join(cache, "big.pb.gz")
    if not os.path.exists(big):
        subprocess.run([sys.executable, os.path.join(a.shared, "bench", "make_big_profile.py"), big,
                        "--samples", "400000", "--files", "400", "--workspace", os.path.join(cache, "ws")],
                       check=True, stdout=subprocess.DEVNULL)
    heap = os.path.join(cache, "heap.pb.gz")
    if not os.path.exists(heap):
        work = os.path.join(cache, "heapgen")
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(ROOT, "Benchmarks", "heapgen", "main.go")) as src, open(os.path.join(work, "main.go"), "w") as dst:
            dst.write(src.read())
        with open(os.path.join(work, "go.mod"), "w") as mod:
            mod.write("module heapgen\n\ngo 1.19\n")
        subprocess.run(["go", "run", ".", "-o", heap], cwd=work, check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, GOFLAGS="-mod=mod", GO111MODULE="on"))
    large = os.path.join(ROOT, "Tests", "Fixtures", "corpus", "upstream", "go.large.cpu.pb.gz")

    _, bare = run([binary, "--version"])
    bare = min(bare, *(run([binary, "--version"])[1] for _ in range(2)))
    print(f"bare process (profilelens --version): peak RSS {bare:.1f} MB; best of {a.runs} runs each, alternating")
    print("profile | raw | floor (start + inflate) | profilelens top | x floor | peak RSS | x raw above bare | go tool pprof -top | pprof peak RSS")
    for path in (large, heap, big):
        data = open(path, "rb").read()
        starts, inflates, ours, rss, theirs, their_rss = [], [], [], [], [], []
        for i in range(a.runs):
            s, raw_size = inflate_seconds(data)
            inflates.append(s)
            starts.append(run([binary, "--version"])[0])
            t, m = run([binary, "top", path, "-n", "10"])
            ours.append(t)
            rss.append(m)
            if not a.no_pprof and i < a.pprof_runs:
                t, m = run(["go", "tool", "pprof", "-top", path], separate_rss=False)
                theirs.append(t)
                their_rss.append(m)
        floor = min(starts) + min(inflates)
        best, peak, low = min(ours), max(rss), min(rss)
        pprof = f"{min(theirs) * 1000:.0f} ms ({min(theirs) / best:.0f}x slower)" if theirs else "-"
        pprof_rss = f"{max(their_rss):.0f} MB" if their_rss else "-"
        print(f"{os.path.basename(path)} | {raw_size / 1e6:.1f} MB | {min(starts) * 1000:.0f} + {min(inflates) * 1000:.0f} ms | "
              f"{best * 1000:.0f} ms | {best / floor:.2f}x | {low:.1f} to {peak:.1f} MB | "
              f"{(low - bare) * 1024 * 1024 / raw_size:.2f}x to {(peak - bare) * 1024 * 1024 / raw_size:.2f}x | "
              f"{pprof} | {pprof_rss}")

    root = os.path.join(a.shared, "corpus", "goshop", "src")
    goshop = sorted(os.path.join(a.shared, "corpus", "goshop", "profiles", f) for f in
                    os.listdir(os.path.join(a.shared, "corpus", "goshop", "profiles")) if f.endswith(".pb.gz"))
    options = {}
    for option in a.daemon_option:
        key, _, value = option.partition("=")
        options[key] = json.loads(value)
    print("daemon (profilelens serve, everything loaded):")
    hwm, current, _ = daemon_rss(binary, goshop, {}, root)
    print(f"  goshop, six kinds: peak RSS {hwm:.1f} MB, now {current:.1f} MB")
    # The goshop set with a baseline (the same program's CPU profile built elsewhere) and a
    # 12-point series (liveshop's heap snapshots), all loaded in one daemon.
    baseline = os.path.join(a.shared, "corpus", "goshop", "profiles", "trimpath", "cpu.pb.gz")
    series = os.path.join(a.shared, "corpus", "liveshop", "profiles", "heaps")
    hwm, current, _ = daemon_rss(binary, goshop + [series], {"baseline": [baseline]}, root)
    print(f"  goshop + a baseline + a 12-point series: peak RSS {hwm:.1f} MB, now {current:.1f} MB")
    if a.daemon_profile or options:
        hwm, current, _ = daemon_rss(binary, goshop + a.daemon_profile, options, root)
        print(f"  goshop + {' '.join(a.daemon_profile + a.daemon_option)}: peak RSS {hwm:.1f} MB, now {current:.1f} MB")


if __name__ == "__main__":
    main()
