#!/usr/bin/env python3
"""CLI benchmark: `profilelens top` against `go tool pprof -top`, in the same run.

Usage: Benchmarks/bench_cli.py [--runs N] [--shared ../shared]
Builds the release binary, generates a 400,000-sample profile with
shared/bench/make_big_profile.py (cached in $TMPDIR/profilelens-bench), and times both tools on it
and on the corpus's go.large.cpu.pb.gz, alternating runs. Prints per profile the best wall time
and peak RSS of each tool, the speed ratio, and ProfileLens's own load+index throughput
(from PROFILELENS_TIMINGS=1).
"""
import argparse, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed: {err[:300]}")
    return elapsed, usage.ru_maxrss / 1024.0, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    a = ap.parse_args()
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
    large = os.path.join(ROOT, "Tests", "Fixtures", "corpus", "upstream", "go.large.cpu.pb.gz")
    env = dict(os.environ, PROFILELENS_TIMINGS="1")
    for profile in (large, big):
        ours, theirs, rates = [], [], []
        for _ in range(a.runs):
            t, rss, err = timed([binary, "top", profile], env)
            ours.append((t, rss))
            m = re.search(r"load\+index=([0-9.]+)MB/s", err)
            if m:
                rates.append(float(m.group(1)))
            theirs.append(timed(["go", "tool", "pprof", "-top", profile])[:2])
        o_t, o_m = min(x[0] for x in ours), max(x[1] for x in ours)
        t_t, t_m = min(x[0] for x in theirs), max(x[1] for x in theirs)
        size = os.path.getsize(profile) / 1e6
        print(f"{os.path.basename(profile)} ({size:.1f} MB gzipped): profilelens {o_t * 1000:.0f} ms, {o_m:.0f} MB peak; "
              f"go tool pprof {t_t * 1000:.0f} ms, {t_m:.0f} MB peak; {t_t / o_t:.1f}x faster, "
              f"{t_m / o_m:.1f}x less memory; load+index {max(rates):.0f} MB/s uncompressed (best of {a.runs})")


if __name__ == "__main__":
    main()
