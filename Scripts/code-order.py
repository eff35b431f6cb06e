#!/usr/bin/env python3
"""Writes Sources/profilelens/code-order.txt: the functions `profilelens top` runs, in the order it
first runs them, for the linker to lay out together (see Package.swift).

Usage: Scripts/code-order.py [PROFILE...]   (default: the bundled example's CPU and heap profiles
and the fixtures' large Go CPU profile), after `swift build -c release`.

Why: the kernel maps a binary's code 64 kB at a time around each page it faults in, so a command
that runs a few hundred functions scattered over 15 MB of code maps megabytes of it. Laid out
together they take a few hundred kB. The list is measured, not written: valgrind's callgrind
records every instruction the release binary runs for `--version` and for `top` on each profile,
and each becomes the function (every name of it) that holds it.
A function renamed since the list was made is simply not ordered (the linker ignores names it
does not find), so the list goes stale slowly; run this again after large changes.
"""
import bisect, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build/release/profilelens")
OUT = os.path.join(ROOT, "Sources/profilelens/code-order.txt")
DEFAULT_PROFILES = ["Tests/Fixtures/corpus/upstream/go.large.cpu.pb.gz", "Tests/Fixtures/corpus/goshop/profiles/cpu.pb.gz",
                    "Tests/Fixtures/corpus/goshop/profiles/heap.pb.gz"]


def executed_addresses(callgrind_file, object_suffix):
    """The addresses of the instructions run in the object named `object_suffix`, in the order
    the file first names them (callgrind's `--dump-instr=yes` positions: absolute, or relative
    to the previous one)."""
    objects, current, address, order, seen = {}, None, 0, [], set()
    for line in open(callgrind_file, errors="replace"):
        if not line.strip():
            continue
        first = line[0]
        if first.isdigit() or first in "+-*":
            token = line.split()[0]
            if token.startswith("0x"):
                address = int(token, 16)
            elif first == "+":
                address += int(token[1:])
            elif first == "-":
                address -= int(token[1:])
            if current and current.endswith(object_suffix) and address not in seen:
                order.append(address)
                seen.add(address)
            continue
        m = re.match(r"^(c?)ob=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if m:
            called, number, name = m.groups()
            if name:
                objects[number] = name
            if not called:
                current = objects.get(number)
    return order


def function_symbols(binary):
    """Every function symbol of the binary as (start, names): aliases (merged functions, thunks)
    share a start, and the section of the code carries one of their names."""
    out = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    names = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            names.setdefault(int(parts[0], 16), []).append(parts[2])
    starts = sorted(names)
    return starts, names


def main():
    profiles = sys.argv[1:] or [p for p in DEFAULT_PROFILES if os.path.exists(os.path.join(ROOT, p))]
    if not shutil.which("valgrind"):
        sys.exit("valgrind is needed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        # valgrind reads the symbol table; a copy without DWARF loads in seconds, not minutes.
        binary = os.path.join(tmp, "profilelens.nodebug")
        subprocess.run(["strip", "--strip-debug", "-o", binary, BINARY], check=True)
        starts, names = function_symbols(binary)
        runs = [["--version"]] + [["top", p, "-n", "10"] for p in profiles]
        order, seen = [], set()
        for i, args in enumerate(runs):
            out = os.path.join(tmp, f"callgrind.{i}")
            subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=yes", f"--callgrind-out-file={out}", binary, *args],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            for address in executed_addresses(out, "profilelens.nodebug"):
                k = bisect.bisect_right(starts, address) - 1
                if k < 0 or starts[k] in seen:
                    continue
                seen.add(starts[k])
                order.extend(names[starts[k]])
    with open(OUT, "w") as f:
        f.write("".join(f".text.{name}\n" for name in order))
    print(f"{len(seen)} functions ({len(order)} names) from {len(runs)} runs written to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
