#!/usr/bin/env python3
"""Writes the realistic legacy-format fixtures of this folder (the small ones are make_fixtures.py's).

Each imitates what the tool that wrote the format really wrote (gperftools' heap and CPU profilers,
Google's Java agent, threadz), with a real-looking /proc/self/maps, so that pprof's mapping heuristics
and frame clean-ups all have something to do. Python 3 standard library only; deterministic. The
goldens (`NAME.pprof-top.txt`) come from `go tool pprof` 1.19 as make_goldens.sh makes them.

    python3 Tests/Fixtures/parity/make_legacy_fixtures.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


# A modern non-PIE x86-64 binary (its text segment maps at 0x401000 with offset 0x1000, so pprof
# moves it back to 0x400000), glibc 2.31 in four pieces (text at offset 0x25000: addresses in the
# read-only piece before it make pprof widen the text mapping), tcmalloc, libstdc++, and the
# kernel's special mappings. Only executable lines become mappings.
HEAP_MAPS = """\
00400000-00401000 r--p 00000000 fd:01 1835061                            /usr/local/bin/storaged
00401000-004c5000 r-xp 00001000 fd:01 1835061                            /usr/local/bin/storaged
004c5000-006c4000 r--p 000c5000 fd:01 1835061                            /usr/local/bin/storaged
006c4000-006c6000 r--p 002c3000 fd:01 1835061                            /usr/local/bin/storaged
006c6000-006d0000 rw-p 002c5000 fd:01 1835061                            /usr/local/bin/storaged
01f3a000-02b5c000 rw-p 00000000 00:00 0                                  [heap]
7f3a1c00c000-7f3a1c031000 r--p 00000000 fd:01 2623081                    /usr/lib/x86_64-linux-gnu/libc-2.31.so
7f3a1c031000-7f3a1c1a9000 r-xp 00025000 fd:01 2623081                    /usr/lib/x86_64-linux-gnu/libc-2.31.so
7f3a1c1a9000-7f3a1c1f3000 r--p 0019d000 fd:01 2623081                    /usr/lib/x86_64-linux-gnu/libc-2.31.so
7f3a1c1f7000-7f3a1c1fa000 rw-p 001ea000 fd:01 2623081                    /usr/lib/x86_64-linux-gnu/libc-2.31.so
7f3a1c400000-7f3a1c57d000 r-xp 00000000 fd:01 2623512                    /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.28
7f3a1c6a0000-7f3a1c6c8000 r-xp 00000000 fd:01 2625230                    /usr/lib/x86_64-linux-gnu/libtcmalloc.so.4.5.3
7ffd2a1f0000-7ffd2a211000 rw-p 00000000 00:00 0                          [stack]
7ffd2a3c4000-7ffd2a3c8000 r--p 00000000 00:00 0                          [vvar]
7ffd2a3c8000-7ffd2a3ca000 r-xp 00000000 00:00 0                          [vdso]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
"""


def heap_maps():
    """gperftools' heap profile, sampled (heap_v2, one sample per 512 KiB on average): values are
    unsampled. Leaves in tcmalloc and libstdc++ (operator new), a return address in libc's
    read-only piece, one in the [vdso], one outside every mapping (<unknown>), an empty sample."""
    tcmalloc = 0x7F3A1C6B1A44   # tc_malloc (leaf: every heap address is moved back by one)
    new = 0x7F3A1C4A2E10        # operator new in libstdc++
    libc_ro = 0x7F3A1C02E0B3    # in libc's r--p piece before its text
    rows = [
        # inuse count, bytes, alloc count, bytes, stack (leaf first)
        (2, 1048576, 10, 5242880, [tcmalloc, new, 0x4A1F3C, 0x4A2210, 0x40A1E9]),
        (3, 393216, 20, 4194304, [tcmalloc, 0x4A2210, 0x40A1E9]),
        (1, 131072, 10, 1048576, [tcmalloc, libc_ro, 0x4B0C21, 0x40A1E9]),
        (64, 4096, 640, 40960, [tcmalloc, new, 0x7FFD2A3C8A10, 0x4B0D00, 0x40A1E9]),
        (5, 2560, 5, 2560, [0x1234567, 0x4B0D00, 0x40A1E9]),
        (0, 0, 4, 1024, [tcmalloc, 0x4C0001]),
    ]
    total = [sum(r[i] for r in rows) for i in range(4)]
    out = ["heap profile: %6d: %8d [%6d: %8d] @ heap_v2/524288" % tuple(total)]
    for r in rows:
        out.append("%6d: %8d [%6d: %8d] @%s" % (r[0], r[1], r[2], r[3], "".join(" 0x%016x" % a for a in r[4])))
    # A stray line in the map section is skipped, as pprof skips it.
    write("legacy-heap-maps.txt", "\n".join(out) + "\n\nMAPPED_LIBRARIES:\n" + HEAP_MAPS
          + "this line is not a mapping\n")


CPU32_MAPS = """\
08048000-080d4000 r-xp 00000000 08:01 393228     /usr/sbin/legacyd
080d4000-080d6000 rw-p 0008b000 08:01 393228     /usr/sbin/legacyd
09a51000-09a72000 rw-p 00000000 00:00 0          [heap]
b7d2a000-b7ed3000 r-xp 00000000 08:01 1046581    /lib/i386-linux-gnu/libc-2.19.so
b7ed3000-b7ed5000 r--p 001a9000 08:01 1046581    /lib/i386-linux-gnu/libc-2.19.so
b7f01000-b7f1a000 r-xp 00000000 08:01 1046597    /lib/i386-linux-gnu/libpthread-2.19.so
b7fd5000-b7fd6000 r-xp 00000000 00:00 0          [vdso]
bfa3c000-bfa5d000 rw-p 00000000 00:00 0          [stack]
"""


def cpu_be32():
    """gperftools' CPU profile as a 32-bit big-endian machine (PowerPC, MIPS) writes it: 100 Hz.
    Every stack but one was unwound through the signal trampoline in the [vdso] (the second frame:
    pprof strips it when all but one sample in 32 have it), and most repeat their leaf (the PC
    from the signal context, then again from unwinding: pprof drops the copy)."""
    sigreturn = 0xB7FD5411
    main = 0x0804A1C5
    stacks = []
    leaves = [(0x08051230, 0x0804B3F0, 9), (0x08051A44, 0x0804B3F0, 5), (0xB7E0F2C1, 0x08051A90, 7),
              (0xB7F0C3E0, 0x0804C010, 3), (0x08060004, 0x0804C010, 2)]
    for i in range(33):
        leaf, caller, weight = leaves[i % len(leaves)]
        if i % 4 == 3:
            stack = [leaf, sigreturn, caller, main]            # no duplicate leaf
        else:
            stack = [leaf, sigreturn, leaf, caller, main]      # leaf twice
        stacks.append((weight + i % 3, stack))
    stacks.append((4, [0x08051230, 0x0804B3F0, main]))       # the one sample without the trampoline
    words = [0, 3, 0, 10000, 0]
    for count, stack in stacks:
        words += [count, len(stack)] + stack
    words += [0, 1, 0]
    write("legacy-cpu-be32.prof", struct.pack(">%dI" % len(words), *words) + CPU32_MAPS.encode())


def java_cpu():
    """The Java agent's binary CPU profile (64-bit little-endian, header word 3 = 1), followed by
    its symbols: `file:line`, a native library path, a JIT stub, and bare VM states; one id
    without a symbol (<unknown>). Java addresses are ids, not adjusted."""
    stacks = [
        (12, [1, 2, 3]),
        (7, [4, 2, 3]),
        (5, [5, 6, 3]),
        (3, [7]),
        (2, [8, 2, 3]),
        (1, [9, 3]),
    ]
    words = [0, 3, 1, 20000, 0]
    for count, stack in stacks:
        words += [count, len(stack)] + stack
    words += [0, 1, 0]
    symbols = """\
0x0000000000000001 com.example.Codec.encode (Codec.java:88)
0x0000000000000002 com.example.Server.handle (Server.java:120)
0x0000000000000003 java.lang.Thread.run (Thread.java:829)
0x0000000000000004 com.example.Codec.decode (Codec.java:140)
0x0000000000000005 Java_java_util_zip_Deflater_deflateBytes (/usr/lib/jvm/java-11/lib/libzip.so)
0x0000000000000006 java.util.zip.Deflater.deflate (Deflater.java:-1)
0x0000000000000007 GC
0x0000000000000008 <generated stub/JIT>
0x0000000000000042 com.example.Unused.never (Unused.java:1)
"""
    write("legacy-java-cpu.prof", struct.pack("<%dQ" % len(words), *words) + symbols.encode())


THREADZ_MAPS = """\
55d4c6a00000-55d4c6a2e000 r--p 00000000 fd:01 2097215                    /srv/cache/bin/cached
55d4c6a2e000-55d4c6b90000 r-xp 0002e000 fd:01 2097215                    /srv/cache/bin/cached
55d4c6b90000-55d4c6bf0000 r--p 00190000 fd:01 2097215                    /srv/cache/bin/cached
7f51e3a25000-7f51e3b9d000 r-xp 00025000 fd:01 2623081                    /usr/lib/x86_64-linux-gnu/libc-2.31.so
7f51e3c80000-7f51e3c91000 r-xp 00006000 fd:01 2623090                    /usr/lib/x86_64-linux-gnu/libpthread-2.31.so
"""


def threadz_maps():
    """A threadz dump of a PIE server: threads parked in libpthread, two marked "same as previous
    thread" (they count for the thread before them), addresses over several lines, and a thread
    whose stack could not be read, which ends the threads."""
    out = ["--- threadz 1 ---", "", "# 6 threads"]
    def thread(tid, name, pid, lines):
        out.append("--- Thread %x (name: %s/%d) stack: ---" % (tid, name, pid))
        out.extend("  " + l for l in lines)
    wait = "PC: 0x00007f51e3c8a376 0x00007f51e3c85e2b 0x000055d4c6a91b10"
    thread(0x7F51E2FFF700, "cached", 3110, ["PC: 0x00007f51e3b0c3bf 0x000055d4c6a44f2e", "    0x000055d4c6a31c00 0x00007f51e3a4b0b3"])
    thread(0x7F51E27FE700, "worker-1", 3111, [wait, "    0x00007f51e3c7e609"])
    thread(0x7F51E1FFD700, "worker-2", 3112, ["same as previous thread"])
    thread(0x7F51E17FC700, "worker-3", 3113, ["same as previous thread"])
    thread(0x7F51E0FFB700, "flusher", 3114, ["PC: 0x000055d4c6b2a001 0x000055d4c6b2a001 0x000055d4c6a77c41 0x00007f51e3c7e609"])
    out.append("---- no stack trace for thread 3115 (name: reaper/3115) ---")
    out.append("--- Memory map: ---")
    write("legacy-threadz-maps.txt", "\n".join(out) + "\n" + THREADZ_MAPS)


def java_heap_prune():
    """A Java heap profile whose allocations end in native allocator frames (`malloc`,
    `operator new`): pprof drops them (drop_frames of heap profiles), so their cost moves to the
    Java caller: without drop_frames pruning, top differs."""
    write("legacy-java-heap-native.txt", """\
--- heapz 1 ---
format = java
resolution = bytes
 4194304 4 @ 0x0000000000000001 0x0000000000000002 0x0000000000000003
 1048576 8 @ 0x0000000000000004 0x0000000000000005 0x0000000000000003
 524288 1 @ 0x0000000000000006 0x0000000000000003
0x0000000000000001 malloc (/usr/lib/x86_64-linux-gnu/libc-2.31.so)
0x0000000000000002 com.example.Native.allocate (Native.java:-1)
0x0000000000000003 com.example.Main.main (Main.java:9)
0x0000000000000004 operator new (/usr/lib/x86_64-linux-gnu/libstdc++.so.6)
0x0000000000000005 com.example.Native.buffer (Native.java:-1)
0x0000000000000006 com.example.Cache.grow (Cache.java:44)
""")


if __name__ == "__main__":
    heap_maps()
    cpu_be32()
    java_cpu()
    threadz_maps()
    java_heap_prune()
