#!/usr/bin/env python3
"""Writes the legacy-format corner cases of this folder: one small input per rule of google/pprof's
legacy parsers (and per way to break them). expected/NAME.txt is what pprof's own parser makes of
each (make_expected.sh); LegacyParseParityTests compares ProfileLens's reading with it.

Python 3 standard library only; deterministic:  python3 Tests/Fixtures/legacy/make_variants.py
"""
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inputs")

MAPS = """\
00400000-00480000 r-xp 00000000 08:01 131090 /opt/app/bin/app
7f0c4a600000-7f0c4a795000 r-xp 00000000 08:01 262170 /opt/app/lib/libstore.so
"""

TEXT = {
    # ---- Go count profiles (goroutine, threadcreate) ----
    # Counts are read with base 0: a leading 0 is octal.
    "count-octal.txt": "goroutine profile: total 9\n010 @ 0x401234\n1 @ 0x401999 0x4018ab\n",
    # Comments before the header; samples end at a --- line; the memory map comes after it.
    "count-sections.txt": "# written by a test\n\nthreadcreate profile: total 3\n# labels: {}\n2 @ 0x401234 0x4018ab\n"
                          "1 @ 0x7f0c4a601000 0x401567\n--- extra section\nwhatever\n--- Memory map: ---\n" + MAPS,
    # A sample line that does not start at column 0 is malformed (pprof's countRE is anchored).
    "count-indented.txt": "goroutine profile: total 1\n  1 @ 0x401234\n",
    # An address that does not fit in 64 bits.
    "count-hex-overflow.txt": "goroutine profile: total 1\n1 @ 0x1ffffffffffffffff\n",
    # A count that does not fit.
    "count-huge.txt": "goroutine profile: total 1\n99999999999999999999 @ 0x401234\n",
    # A count that is no octal number.
    "count-bad-octal.txt": "goroutine profile: total 1\n08 @ 0x401234\n",
    # CRLF line ends.
    "count-crlf.txt": "goroutine profile: total 2\r\n2 @ 0x401234 0x401567\r\n",

    # ---- heap ----
    # gperftools fragmentation and growth (without z) headers.
    "heap-fragmentation.txt": "heap profile:    1:       10 [     1:       10] @ fragmentationz\n"
                              "     1:       10 [     1:       10] @ 0x00401234\n",
    "heap-growth-plain.txt": "heap profile: 1: 4096 [ 1: 4096] @ growth\n1: 4096 [ 1: 4096] @ 0x00401234 0x00401567\n"
                             "--- Memory map: ---\n" + MAPS,
    # heapz_v2 without a rate: nothing is unsampled.
    "heap-v2-no-rate.txt": "heap profile: 1: 10 [ 2: 20] @ heapz_v2\n1: 10 [ 2: 20] @ 0x10 0x20\n",
    # heap_v2 with a rate: unsampled; equal alloc and inuse: two sample types only.
    "heap-v2-inuse-only.txt": "heap profile: 3: 3072 [ 3: 3072] @ heap_v2/524288\n3: 3072 [ 3: 3072] @ 0x401234\n",
    # A header after other text on its line (pprof's header pattern is not anchored).
    "heap-header-prefix.txt": "junk heap profile: 1: 1024 [2: 2048] @ heap/1048576\n1: 1024 [2: 2048] @ 0x401234\n",
    # Negative in-use values (a difference of two profiles).
    "heap-negative.txt": "heap profile: 0: 0 [ 0: 0] @ heapprofile\n-1: -512 [ 0: 0] @ 0x401234\n2: 1024 [ 2: 1024] @ 0x401999\n",
    # A count of 0 with bytes: malformed.
    "heap-count-zero.txt": "heap profile: 0: 5 [ 0: 5] @ heapprofile\n0: 5 [ 0: 5] @ 0x401234\n",
    # Bytes 0 with a count: unsampled to 0 objects.
    "heap-size-zero.txt": "heap profile: 2: 0 [ 2: 0] @ heap/1048576\n2: 0 [ 4: 64] @ 0x401234\n",
    # A hex number with capitals ends the address list: no addresses.
    "heap-bad-hex.txt": "heap profile: 1: 10 [ 1: 10] @ heapprofile\n1: 10 [ 1: 10] @ 0xZZ 0x401234\n",
    "heap-hex-overflow.txt": "heap profile: 1: 10 [ 1: 10] @ heapprofile\n1: 10 [ 1: 10] @ 0x10000000000000000\n",
    "heap-huge-count.txt": "heap profile: 1: 10 [ 1: 10] @ heapprofile\n99999999999999999999: 10 [ 1: 10] @ 0x401234\n",
    # A rate that does not fit: not a heap profile.
    "heap-huge-rate.txt": "heap profile: 1: 10 [ 1: 10] @ heap/99999999999999999999\n1: 10 [ 1: 10] @ 0x401234\n",
    # An unknown kind after heap: not a heap profile.
    "heap-unknown-kind.txt": "heap profile: 1: 10 [ 1: 10] @ heapfoo/2\n1: 10 [ 1: 10] @ 0x401234\n",
    # A line that is no sample.
    "heap-garbage-sample.txt": "heap profile: 1: 10 [ 1: 10] @ heapprofile\nthis is not a sample\n",
    # Unicode white space around a sample line, CRLF, and comment lines.
    "heap-unicode-space.txt": "heap profile: 1: 10 [ 1: 10] @ heapprofile\r\n\u00a01: 10 [ 1: 10] @ 0x401234\u3000\r\n# c\r\n",
    # A truncated header.
    "heap-truncated-header.txt": "heap profile: 1: 10 [ 1:",
    # Memory maps: glog prefixes, $variables, the brief form with (@offset) and build id, an executable
    # /anon_hugepage piece before the binary, deleted files, split adjacent pieces, garbage lines.
    "heap-maps-forms.txt": "heap profile: 4: 40 [ 4: 40] @ heapprofile\n"
                           "1: 10 [ 1: 10] @ 0x00600010 0x00400010\n"
                           "1: 10 [ 1: 10] @ 0x00500010 0x00400010\n"
                           "1: 10 [ 1: 10] @ 0x7f0000000010 0x7f0000200010\n"
                           "1: 10 [ 1: 10] @ 0x7f0000300010 0x00c00010\n"
                           "MAPPED_LIBRARIES:\n"
                           "I0102 03:04:05.678901  1234 profiler.cc:42] 00200000-00400000 r-xp 00000000 00:00 0 /anon_hugepage (deleted)\n"
                           "00400000-00500000 r-xp 00000000 08:01 11 /usr/bin/app (deleted)\n"
                           "00500000-00600000 r-xp 00100000 08:01 11 /usr/bin/app\n"
                           "garbage ] line\n"
                           "libdir=/opt/lib\n"
                           "0x7f0000000000-0x7f0000100000 $libdir/libfoo.so (@2000) 9f1e3a7b\n"
                           "7f0000200000 7f0000280000 $libdir/libbar.so\n"
                           "7f0000300000-7f0000380000 r--p 00000000 08:01 12 /opt/lib/libdata.so\n"
                           "00c00000-00d00000 r-xp 00000000 08:01 13 /usr/lib/libz.so.1.2.11\n"
                           "zzzz-yyyy not hex\n",
    # The main binary found after the libraries; a mapping at 0x400000+offset moved back.
    "heap-main-later.txt": "heap profile: 2: 20 [ 2: 20] @ heapprofile\n"
                           "1: 10 [ 1: 10] @ 0x00401010 0x7f0000000010\n"
                           "1: 10 [ 1: 10] @ 0x00402010\n"
                           "\nMAPPED_LIBRARIES:\n"
                           "7f0000000000-7f0000100000 r-xp 00000000 08:01 12 /lib/libc.so.6\n"
                           "[vdso]\n"
                           "00401000-00480000 r-xp 00001000 08:01 11 /usr/bin/app\n",

    # ---- contention ----
    # Base-0 attributes with _ separators and a 0x period; discarded samples; a memory map.
    "contention-attributes.txt": "--- contention:\ncycles/second = 2_000_000_000\nsampling period = 0x10\n"
                                 "discarded samples = 3\n# comment\n4000000 10 @ 0x401234 0x401567\n"
                                 "--- Memory map: ---\n" + MAPS,
    # An attribute pprof does not know: not a contention profile (and no other format either).
    "contention-unknown-key.txt": "--- contention:\ncolor = blue\n1 1 @ 0x401234\n",
    # A sample line that is none: not a contention profile.
    "contention-garbage.txt": "--- mutex:\ncycles/second=1000000000\n12 x\n",
    # Delay and count without a space between: the regular expression splits the digits.
    "contention-digits.txt": "--- mutex:\n12345 @ 0x401234\n12 @ 0x401999\n",
    # No cycles/second: delays stay in cycles; a negative sampling period disables unsampling.
    "contention-no-hz.txt": "--- contentionz 1 ---\nsampling period = -5\n100 2 @ 0x401234\n",
    "contention-huge.txt": "--- mutex:\n99999999999999999999 1 @ 0x401234\n",
    "contention-bad-hex.txt": "--- mutex:\n10 1 @ 0x1ffffffffffffffff\n",
    "contention-truncated-header.txt": "--- mutex",

    # ---- threadz ----
    # No memory map at the end: pprof does not recognize it.
    "threadz-no-map.txt": "--- threadz 1 ---\n--- Thread 7f (name: a/1) stack: ---\n  PC: 0x401234\n",
    # Starting at the first thread, without the threadz header.
    "thread-first.txt": "--- Thread 7f0c4a9f6700 (name: main/1) stack: ---\n  PC: 0x00401234 0x00401567\n"
                        "--- Thread 7f0c4a1f5700 (name: w/2) stack: ---\n  PC: 0x7f0c4a601000 0x7f0c4a601001\n"
                        "--- Memory map: ---\n" + MAPS,
    # A thread with no addresses counts for the one before; one before any sample is lost.
    "threadz-empty-threads.txt": "--- threadz 1 ---\n--- Thread 1 (name: a/1) stack: ---\n--- Thread 2 (name: b/2) stack: ---\n"
                                 "  PC: 0x401234\n--- Thread 3 (name: c/3) stack: ---\n--- Memory map: ---\n",
    "threadz-bad-hex.txt": "--- threadz 1 ---\n--- Thread 1 (name: a/1) stack: ---\n  PC: 0xfffffffffffffffff\n--- Memory map: ---\n",

    # ---- Java ----
    # Base-0 values (a leading 0 is octal); a contention profile without a sampling period.
    "java-contention-octal.txt": "--- contentionz 1 ---\nformat = java\nresolution = microseconds\n"
                                 " 010 2 @ 0x0000000000000001\n 7 01 @ 0x0000000000000002\n"
                                 "0x0000000000000001 a.B.c (B.java:3)\n0x0000000000000002 a.B.d\n",
    # Samples without a resolution line: no sample types.
    "java-no-resolution.txt": "--- heapz 1 ---\nformat = java\n 100 1 @ 0x0000000000000001\n0x0000000000000001 a.B.c (B.java:3)\n",
    # A format that is not java.
    "java-format-text.txt": "--- heapz 1 ---\nformat = text\nresolution = bytes\n 100 1 @ 0x1\n",
    # A heap sample with a count of 0.
    "java-heap-zero.txt": "--- heapz 1 ---\nformat = java\nresolution = bytes\n 100 0 @ 0x1\n",
    # Symbols: repeated ids (the last wins), an unknown id, a function in two files (the first file
    # wins), negative and missing line numbers, a native path, a bare VM state.
    "java-symbols.txt": "--- heapz 1 ---\nformat = java\nresolution = bytes\n"
                        " 2048 2 @ 0x1 0x2 0x3\n 4096 1 @ 0x4 0x2 0x3\n 1024 4 @ 0x5 0x6\n"
                        "0x1 first.name (A.java:1)\n0x1 a.A.alloc (A.java:10)\n0x2 a.A.run (A.java:-4)\n"
                        "0x3 a.Main.main (Main.java)\n0x4 a.A.alloc (Other.java:77)\n0x5 VM Thread\n"
                        "0x6 JVM_Sleep (/usr/lib/jvm/lib/server/libjvm.so)\n0x99 never.Used (X.java:1)\n",
    # The header is the whole file: nothing but attributes.
    "java-attributes-only.txt": "--- contentionz 1 ---\nformat = java\nresolution = microseconds\nsampling period = 10\nms since reset = 7",
}


def words(fmt, ws):
    return struct.pack(fmt % len(ws), *ws)


BINARY = {
    # 32-bit little-endian, without an end marker or memory map.
    "cpu-le32.prof": words("<%dI", [0, 3, 0, 5000, 0, 2, 2, 0x401234, 0x401568, 1, 1, 0x401999]),
    # 64-bit big-endian with the end marker and a map after it.
    "cpu-be64.prof": words(">%dQ", [0, 3, 0, 10000, 0, 3, 3, 0x401234, 0x401568, 0x4018AC, 0, 1, 0]) + MAPS.encode(),
    # A sample that claims more frames than the file holds.
    "cpu-truncated.prof": words("<%dQ", [0, 3, 0, 10000, 0, 3, 1000, 0x401234]),
    # A sample cut inside its header.
    "cpu-cut-header.prof": words("<%dQ", [0, 3, 0, 10000, 0, 3]),
    # A sampling period of 0: no CPU profile (and nothing else).
    "cpu-zero-period.prof": words("<%dQ", [0, 3, 0, 0, 0, 1, 1, 0x401234]),
    # A Java CPU profile, 32-bit big-endian, symbols after the end marker.
    "cpu-java-be32.prof": words(">%dI", [0, 3, 1, 10000, 0, 4, 2, 1, 2, 1, 1, 3, 0, 1, 0])
                          + b"0x1 a.B.c (B.java:5)\n0x2 a.B.main (B.java:1)\n0x3 <generated stub/JIT>\n",
}


def main():
    os.makedirs(HERE, exist_ok=True)
    for name, text in TEXT.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(text.encode())
    for name, data in BINARY.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
