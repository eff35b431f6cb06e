#!/usr/bin/env python3
"""Writes the pprof parity fixtures of issue #9 into this folder (Tests/Fixtures/parity).

Python 3 standard library only: the protobuf wire format is written by hand below (profile.proto's
field numbers are listed next to the encoder). Every fixture is tiny and spelled out sample by sample,
so that the case it pins down can be read from this file. Run it from anywhere:

    python3 Tests/Fixtures/parity/make_fixtures.py

It is deterministic: running it twice writes the same bytes. README.md lists the fixtures, what each
one shows, and how the `*.pprof-*.txt` goldens beside them were made with `go tool pprof`.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# One timestamp for every fixture: Nov 14, 2023 at 10:13pm UTC.
TIME = 1_700_000_000_000_000_000
MS = 1_000_000  # nanoseconds in a millisecond


# ---- protobuf wire format ------------------------------------------------------------------------
# profile.proto (perftools.profiles), the fields written here:
#   Profile:  1 sample_type, 2 sample, 3 mapping, 4 location, 5 function, 6 string_table, 7 drop_frames,
#             8 keep_frames, 9 time_nanos, 10 duration_nanos, 11 period_type, 12 period, 13 comment,
#             14 default_sample_type
#   ValueType: 1 type, 2 unit (string table indices)
#   Sample:   1 location_id (packed), 2 value (packed), 3 label
#   Label:    1 key, 2 str, 3 num, 4 num_unit
#   Mapping:  1 id, 2 memory_start, 3 memory_limit, 4 file_offset, 5 filename, 6 build_id,
#             7 has_functions, 8 has_filenames, 9 has_line_numbers, 10 has_inline_frames
#   Location: 1 id, 2 mapping_id, 3 address, 4 line, 5 is_folded
#   Line:     1 function_id, 2 line
#   Function: 1 id, 2 name, 3 system_name, 4 filename, 5 start_line

def varint(n):
    """A base-128 varint; negative int64 values are written as their 64-bit two's complement."""
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_varint(number, value):
    """A varint field (wire type 0); zero is the default and is left out, as protobuf encoders do."""
    return varint(number << 3) + varint(value) if value else b""


def field_bool(number, value):
    return field_varint(number, 1 if value else 0)


def field_bytes(number, data):
    """A length-delimited field (wire type 2): a string, a message or a packed list."""
    return varint(number << 3 | 2) + varint(len(data)) + data


def field_packed(number, values):
    return field_bytes(number, b"".join(varint(v) for v in values)) if values else b""


# ---- a profile under construction --------------------------------------------------------------
class Profile:
    """A pprof profile built frame by frame.

    `frame(function, file, line)` is one symbolized stack frame; `location(...)` groups frames into one
    location (the first frame is the innermost, inlined into the next); `address(mapping, pc)` is a
    location without any line (an unsymbolized frame). A sample is a list of locations, leaf first, and
    one value per sample type.
    """

    def __init__(self, sample_types, period_type=None, period=0, default_type="", time_nanos=TIME,
                 duration_nanos=0, comments=(), drop_frames="", keep_frames=""):
        self.strings = [""]
        self.string_index = {"": 0}
        self.sample_types = sample_types
        self.period_type = period_type
        self.period = period
        self.default_type = default_type
        self.time_nanos = time_nanos
        self.duration_nanos = duration_nanos
        self.comments = list(comments)
        self.drop_frames = drop_frames
        self.keep_frames = keep_frames
        self.mappings = []   # encoded Mapping messages
        self.functions = {}  # (name, system_name, file, start_line) -> id
        self.function_messages = []
        self.locations = {}  # key -> id
        self.location_messages = []
        self.samples = []

    def s(self, text):
        """The string table index of `text`."""
        if text not in self.string_index:
            self.string_index[text] = len(self.strings)
            self.strings.append(text)
        return self.string_index[text]

    def mapping(self, file, start, limit, offset=0, build_id="", symbolized=True):
        """A mapping; `symbolized` sets has_functions/filenames/line_numbers (Go sets them on its binary)."""
        mid = len(self.mappings) + 1
        self.mappings.append(
            field_varint(1, mid) + field_varint(2, start) + field_varint(3, limit) + field_varint(4, offset)
            + field_varint(5, self.s(file)) + field_varint(6, self.s(build_id))
            + field_bool(7, symbolized) + field_bool(8, symbolized) + field_bool(9, symbolized))
        return mid

    def function(self, name, file, start_line=0, system_name=None):
        """A function; system_name defaults to the name, as Go's runtime/pprof writes it."""
        system_name = name if system_name is None else system_name
        key = (name, system_name, file, start_line)
        if key not in self.functions:
            fid = len(self.function_messages) + 1
            self.functions[key] = fid
            self.function_messages.append(
                field_varint(1, fid) + field_varint(2, self.s(name)) + field_varint(3, self.s(system_name))
                + field_varint(4, self.s(file)) + field_varint(5, start_line))
        return self.functions[key]

    def location(self, *frames, mapping=0, address=0):
        """A location holding `frames` ((function, file, line[, start_line[, system_name]]) tuples,
        innermost first); with no frames it is an unsymbolized address."""
        lines = []
        for frame in frames:
            name, file, line = frame[:3]
            start = frame[3] if len(frame) > 3 else 0
            system = frame[4] if len(frame) > 4 else None
            lines.append((self.function(name, file, start, system), line))
        key = (mapping, address, tuple(lines))
        if key not in self.locations:
            lid = len(self.location_messages) + 1
            self.locations[key] = lid
            message = field_varint(1, lid) + field_varint(2, mapping) + field_varint(3, address)
            for fid, line in lines:
                message += field_bytes(4, field_varint(1, fid) + field_varint(2, line))
            self.location_messages.append(message)
        return self.locations[key]

    def frame(self, name, file, line, mapping=0, address=0, start_line=0, system_name=None):
        """A location with one frame."""
        return self.location((name, file, line, start_line, system_name), mapping=mapping, address=address)

    def address(self, mapping, pc):
        """An unsymbolized location: an address in a mapping (mapping 0: none), no lines."""
        return self.location(mapping=mapping, address=pc)

    def sample(self, stack, *values, labels=()):
        assert len(values) == len(self.sample_types), (values, self.sample_types)
        self.samples.append((list(stack), list(values), list(labels)))

    def encode(self):
        out = b""
        for type_name, unit in self.sample_types:
            out += field_bytes(1, field_varint(1, self.s(type_name)) + field_varint(2, self.s(unit)))
        for stack, values, labels in self.samples:
            message = field_packed(1, stack) + field_packed(2, values)
            for key, text in labels:
                message += field_bytes(3, field_varint(1, self.s(key)) + field_varint(2, self.s(text)))
            out += field_bytes(2, message)
        for message in self.mappings:
            out += field_bytes(3, message)
        for message in self.location_messages:
            out += field_bytes(4, message)
        for message in self.function_messages:
            out += field_bytes(5, message)
        # Intern every remaining string before the table is written.
        drop, keep = self.s(self.drop_frames), self.s(self.keep_frames)
        period_type = None
        if self.period_type:
            period_type = field_varint(1, self.s(self.period_type[0])) + field_varint(2, self.s(self.period_type[1]))
        comments = [self.s(c) for c in self.comments]
        default = self.s(self.default_type)
        for text in self.strings:
            out += field_bytes(6, text.encode("utf-8"))
        out += field_varint(7, drop) + field_varint(8, keep)
        out += field_varint(9, self.time_nanos) + field_varint(10, self.duration_nanos)
        if period_type is not None:
            out += field_bytes(11, period_type)
        out += field_varint(12, self.period)
        out += field_packed(13, comments)
        out += field_varint(14, default)
        return out


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


CPU = [("samples", "count"), ("cpu", "nanoseconds")]


def cpu_profile(**kw):
    return Profile(CPU, period_type=("cpu", "nanoseconds"), period=10 * MS, **kw)


# ---- 1. an unsymbolized leaf keeps its flat ----------------------------------------------------
def vdso_leaf():
    """clock_now calls clock_gettime, which runs in the [vdso]: the [vdso] frame is the leaf and keeps
    the flat; a.c:10 (clock_now) gets flat 0, cum 70ms (7 samples). hash_block's leaf is a stripped
    library frame ([libfast.so]). compute's leaf is symbolized (a.c:15 gets the flat, as usual)."""
    p = cpu_profile(duration_nanos=1000 * MS)
    app = p.mapping("/usr/local/bin/clockapp", 0x400000, 0x402000)
    vdso = p.mapping("[vdso]", 0x7FFD5E9F0000, 0x7FFD5E9F2000, symbolized=False)
    lib = p.mapping("/opt/clockapp/lib/libfast.so", 0x7F3A1C200000, 0x7F3A1C210000,
                    build_id="1c2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b", symbolized=False)
    src = "/build/clockapp/a.c"
    clock_now = p.frame("clock_now", src, 10, mapping=app, address=0x401136, start_line=8)
    compute = p.frame("compute", src, 15, mapping=app, address=0x401180, start_line=14)
    hash_block = p.frame("hash_block", src, 30, mapping=app, address=0x401260, start_line=26)
    main20 = p.frame("main", src, 20, mapping=app, address=0x4011D5, start_line=19)
    main21 = p.frame("main", src, 21, mapping=app, address=0x4011E2, start_line=19)
    main22 = p.frame("main", src, 22, mapping=app, address=0x4011F0, start_line=19)
    p.sample([p.address(vdso, 0x7FFD5E9F0A15), clock_now, main20], 7, 70 * MS)
    p.sample([compute, main21], 5, 50 * MS)
    p.sample([p.address(lib, 0x7F3A1C201234), hash_block, main22], 2, 20 * MS)
    write("vdso-leaf.pb", p.encode())

    # The same program with a dangling location id (99 names no location) as the leaf. pprof refuses
    # such a profile ("sample has nil location"); ProfileLens drops the id and the next location leads:
    # a.c:10 gets flat 30ms, cum 30ms.
    p = cpu_profile(duration_nanos=1000 * MS)
    app = p.mapping("/usr/local/bin/clockapp", 0x400000, 0x402000)
    clock_now = p.frame("clock_now", src, 10, mapping=app, address=0x401136, start_line=8)
    main20 = p.frame("main", src, 20, mapping=app, address=0x4011D5, start_line=19)
    compute = p.frame("compute", src, 15, mapping=app, address=0x401180, start_line=14)
    main21 = p.frame("main", src, 21, mapping=app, address=0x4011E2, start_line=19)
    p.sample([99, clock_now, main20], 3, 30 * MS)
    p.sample([compute, main21], 5, 50 * MS)
    write("dangling-leaf.pb", p.encode())


# ---- 2. negative values ------------------------------------------------------------------------
def delta_negative():
    """A Go heap delta (what `-base` or Parca's alloc_space_delta gives): values of both signs.
    cache.go:12 ((*Ring).Put) is a leaf of +4kB and calls alloc (-4kB) on the same line: flat 4kB, cum 0.
    Churn's two lines cancel (+12kB, -12kB): the function has flat 0 and cum 0 and is not a -top row,
    but its lines have costs. Shrink (-2MB) outranks Grow (+1.5MB); Evict (-40kB) and Render (+40kB)
    tie on |flat| and sort by name."""
    p = Profile([("alloc_objects", "count"), ("alloc_space", "bytes")], period_type=("space", "bytes"),
                period=512 * 1024, default_type="alloc_space")
    app = p.mapping("/srv/bin/deltaapp", 0x400000, 0x500000)
    cache, main = "/build/deltaapp/cache/cache.go", "/build/deltaapp/main.go"
    pkg = "example.com/deltaapp/cache."
    pc = iter(range(0x401000, 0x500000, 0x40))

    def f(name, file, line, start):
        return p.frame(name, file, line, mapping=app, address=next(pc), start_line=start)

    def m(line):
        return f("main.main", main, line, 5)
    put = f(pkg + "(*Ring).Put", cache, 12, 11)
    p.sample([put, m(7)], 1, 4096)
    p.sample([f(pkg + "alloc", cache, 7, 6), put, m(8)], -1, -4096)
    p.sample([f(pkg + "Shrink", cache, 20, 19), m(9)], -512, -2 * 1024 * 1024)
    p.sample([f(pkg + "Grow", cache, 16, 15), m(10)], 384, 1536 * 1024)
    p.sample([f(pkg + "Churn", cache, 24, 23), m(11)], 3, 12 * 1024)
    p.sample([f(pkg + "Churn", cache, 25, 23), m(11)], -3, -12 * 1024)
    p.sample([f(pkg + "Evict", cache, 30, 29), m(12)], -40, -40 * 1024)
    p.sample([f(pkg + "Render", cache, 34, 33), m(13)], 40, 40 * 1024)
    write("delta-negative.pb", p.encode())


# ---- 3. no symbols -----------------------------------------------------------------------------
def stripped():
    """No functions and no lines at all. At function granularity pprof merges every location of a
    mapping into one row named [basename]; locations with no mapping are <unknown> (with or without an
    address). libc's build ID is made up so that pprof never symbolizes it with this machine's libc."""
    p = cpu_profile(duration_nanos=2000 * MS)
    app = p.mapping("/usr/bin/app", 0x400000, 0x480000, build_id="0123456789abcdef0123456789abcdef01234567",
                    symbolized=False)
    vdso = p.mapping("[vdso]", 0x7FFE1A3F4000, 0x7FFE1A3F6000, symbolized=False)
    libc = p.mapping("/lib/x86_64-linux-gnu/libc.so.6", 0x7F0C4A600000, 0x7F0C4A795000,
                     build_id="fedcba9876543210fedcba9876543210fedcba98", symbolized=False)
    a = {pc: p.address(app, pc) for pc in (0x401000, 0x401100, 0x401200, 0x401300, 0x401400)}
    c = {pc: p.address(libc, pc) for pc in (0x7F0C4A6A1000, 0x7F0C4A6A2000)}
    v = p.address(vdso, 0x7FFE1A3F4A10)
    nowhere = p.address(0, 0)           # no mapping, no address: <unknown>
    loose = p.address(0, 0x7F0000001000)  # an address outside every mapping (mapping_id 0): <unknown> too
    p.sample([a[0x401000], a[0x401100], a[0x401400]], 40, 400 * MS)
    p.sample([a[0x401200], a[0x401100], a[0x401400]], 25, 250 * MS)
    p.sample([c[0x7F0C4A6A1000], a[0x401300], a[0x401400]], 20, 200 * MS)
    p.sample([c[0x7F0C4A6A2000], c[0x7F0C4A6A1000], a[0x401300], a[0x401400]], 5, 50 * MS)
    p.sample([v, a[0x401200], a[0x401400]], 7, 70 * MS)
    p.sample([nowhere, a[0x401400]], 3, 30 * MS)
    p.sample([loose, nowhere], 2, 20 * MS)
    write("stripped.pb", p.encode())


def stripped_partial():
    """Mostly unsymbolized: a native runtime (/usr/local/bin/node, not symbolized) under a few
    symbolized JavaScript frames (locations without a mapping). Two functions have empty names: one
    with start_line 0 in node's mapping (pprof merges it into the [node] row), one with start_line 42
    (a separate row, also printed [node]); a nameless function with no mapping prints <unknown>."""
    p = cpu_profile(duration_nanos=1000 * MS)
    node = p.mapping("/usr/local/bin/node", 0x400000, 0x4000000, symbolized=False)
    pc = iter(range(0x1000000, 0x2000000, 0x100))

    def native():
        return p.address(node, next(pc))
    js = "/app/server.js"
    handle = p.frame("handleRequest", js, 12, start_line=10)
    parse = p.frame("parseBody", js, 30, start_line=28)
    nameless0 = p.frame("", "", 0, mapping=node, address=0x1800000)              # merges into [node]
    nameless42 = p.frame("", "", 0, mapping=node, address=0x1900000, start_line=42)  # its own [node] row
    nameless_free = p.frame("", "", 0)                                           # <unknown>
    base = [native(), native()]  # node's event loop, unsymbolized
    p.sample([native(), parse, handle] + base, 30, 300 * MS)
    p.sample([native(), native(), handle] + base, 20, 200 * MS)
    p.sample([parse, handle] + base, 6, 60 * MS)
    p.sample([nameless0] + base, 4, 40 * MS)
    p.sample([nameless42] + base, 4, 40 * MS)
    p.sample([nameless_free, handle] + base, 2, 20 * MS)
    write("stripped-partial.pb", p.encode())


# ---- 4. ties -------------------------------------------------------------------------------------
def ties():
    """Five functions with flat 30ms and different cum: pprof orders them by name (bytewise, so
    main.Mid before main.alpha), not by cum. main.run, main.setup and main.main have flat 0: name
    order again, although setup's cum is larger than run's. Two unsymbolized libz.so.1 mappings at
    different paths give two rows with the same printed name [libz.so.1] and equal values."""
    p = cpu_profile(duration_nanos=1000 * MS)
    app = p.mapping("/srv/bin/tieapp", 0x400000, 0x500000)
    zsys = p.mapping("/usr/lib/libz.so.1", 0x7F1000000000, 0x7F1000020000,
                     build_id="aaaa000000000000000000000000000000000001", symbolized=False)
    zvendor = p.mapping("/opt/vendor/lib/libz.so.1", 0x7F2000000000, 0x7F2000020000,
                        build_id="bbbb000000000000000000000000000000000002", symbolized=False)
    src = "/build/tieapp/main.go"
    pc = iter(range(0x401000, 0x500000, 0x40))

    def f(name, line):
        return p.frame(name, src, line, mapping=app, address=next(pc))
    main_run, main_setup = f("main.main", 5), f("main.main", 6)
    run, setup = f("main.run", 12), f("main.setup", 20)
    p.sample([f("main.alpha", 30), run, main_run], 3, 30 * MS)
    p.sample([f("main.Mid", 35), run, main_run], 3, 30 * MS)
    beta = f("main.beta", 40)
    p.sample([beta, setup, main_setup], 3, 30 * MS)
    p.sample([f("main.leafB", 50), beta, setup, main_setup], 6, 60 * MS)
    zeta = f("main.zeta", 45)
    p.sample([zeta, setup, main_setup], 3, 30 * MS)
    p.sample([f("main.leafZ", 55), zeta, setup, main_setup], 3, 30 * MS)
    p.sample([p.address(zsys, 0x7F1000001000), f("main.compress", 60), setup, main_setup], 2, 20 * MS)
    p.sample([p.address(zvendor, 0x7F2000001000), f("main.compress", 61), setup, main_setup], 2, 20 * MS)
    write("ties.pb", p.encode())


def same_name():
    """Two functions named util.Hash in different files (two vendored copies), and a function whose
    start line differs between two records: pprof's function rows are keyed by name only, so each
    pair is one row with the summed values."""
    p = cpu_profile()
    app = p.mapping("/srv/bin/hashapp", 0x400000, 0x500000)
    pc = iter(range(0x401000, 0x500000, 0x40))
    a = p.frame("util.Hash", "/build/hashapp/a/util/hash.go", 10, mapping=app, address=next(pc), start_line=8)
    b = p.frame("util.Hash", "/build/hashapp/b/util/hash.go", 14, mapping=app, address=next(pc), start_line=12)
    w1 = p.frame("main.work", "/build/hashapp/main.go", 20, mapping=app, address=next(pc), start_line=18)
    w2 = p.frame("main.work", "/build/hashapp/main.go", 21, mapping=app, address=next(pc), start_line=0)
    main = p.frame("main.main", "/build/hashapp/main.go", 5, mapping=app, address=next(pc), start_line=4)
    p.sample([a, w1, main], 4, 40 * MS)
    p.sample([b, w2, main], 3, 30 * MS)
    p.sample([w1, main], 2, 20 * MS)
    p.sample([w2, main], 2, 20 * MS)
    write("same-name.pb", p.encode())


def recursion():
    """Recursion: fib calls itself (three frames of fib in one stack) and even/odd call each other.
    cum counts a function once per sample, however often it recurs; flat goes to the leaf frame."""
    p = cpu_profile()
    app = p.mapping("/srv/bin/recur", 0x400000, 0x500000)
    src = "/build/recur/main.go"
    pc = iter(range(0x401000, 0x500000, 0x40))

    def f(name, line):
        return p.frame(name, src, line, mapping=app, address=next(pc))
    fib_leaf, fib_call = f("main.fib", 5), f("main.fib", 7)
    even, odd = f("main.even", 12), f("main.odd", 17)
    main = f("main.main", 22)
    p.sample([fib_leaf, fib_call, fib_call, main], 5, 50 * MS)
    p.sample([fib_call, fib_call, main], 1, 10 * MS)
    p.sample([even, odd, even, odd, main], 4, 40 * MS)
    write("recursion.pb", p.encode())


# ---- 5. units, the (inline) marker, unnamed and custom sample types ----------------------------
def mixed_units():
    """Time values from hours to nanoseconds in one report, and bytes from gigabytes to bytes. pprof
    prints the whole report in one unit (-unit=minimum): the unit of the smallest non-zero row value,
    scaled up when the total is more than 100 times larger. With -nodecount=3 the smallest row kept is
    larger, and so is the unit."""
    p = cpu_profile(duration_nanos=60_000 * MS)
    app = p.mapping("/srv/bin/fleet", 0x400000, 0x500000)
    src = "/build/fleet/main.go"
    pc = iter(range(0x401000, 0x500000, 0x40))

    def f(name, line):
        return p.frame(name, src, line, mapping=app, address=next(pc))
    main = f("main.main", 5)
    p.sample([f("main.longPoll", 10), main], 1155, 11_556_000 * MS)   # 3.21hrs
    p.sample([f("main.batch", 20), main], 150, 1_504_970 * MS)        # 1504.97s
    p.sample([f("main.rpc", 30), main], 25, 250 * MS)                  # 250ms
    p.sample([f("main.tick", 40), main], 1, 42_000)                    # 42us
    p.sample([f("main.spin", 50), main], 1, 900)                       # 900ns
    write("mixed-units-time.pb", p.encode())

    p = Profile([("alloc_objects", "count"), ("alloc_space", "bytes")], period_type=("space", "bytes"),
                period=512 * 1024, default_type="alloc_space")
    app = p.mapping("/srv/bin/loader", 0x400000, 0x500000)
    src = "/build/loader/main.go"
    pc = iter(range(0x401000, 0x500000, 0x40))

    def g(name, line):
        return p.frame(name, src, line, mapping=app, address=next(pc))
    main = g("main.main", 5)
    p.sample([g("main.loadIndex", 10), main], 3, 3 * 1024 ** 3)     # 3GB
    p.sample([g("main.decode", 20), main], 200, 200 * 1024 ** 2)    # 200MB
    p.sample([g("main.header", 30), main], 4, 64 * 1024)             # 64kB
    p.sample([g("main.tag", 40), main], 1, 100)                      # 100B
    write("mixed-units-bytes.pb", p.encode())


def inline():
    """Locations with several lines (inlined calls). A function whose every incoming edge is an
    inlined call prints " (inline)"; one called both inlined and not prints " (partial-inline)";
    a root (no caller) never has a marker; a function inlined into itself (fib) drops the self edge."""
    p = cpu_profile()
    app = p.mapping("/srv/bin/inlineapp", 0x400000, 0x500000)
    main_go, render_go, wave_go = "/build/inlineapp/main.go", "/build/inlineapp/render.go", "/build/inlineapp/wave.go"
    builder, sin = "/usr/local/go/src/strings/builder.go", "/usr/local/go/src/math/sin.go"
    helper_go = "/build/inlineapp/helper.go"
    pc = iter(range(0x401000, 0x500000, 0x40))

    def loc(*frames):
        return p.location(*frames, mapping=app, address=next(pc))
    main10 = loc(("main.main", main_go, 10))
    main11 = loc(("main.main", main_go, 11))
    main12 = loc(("main.main", main_go, 12))
    # strings.(*Builder).WriteString inlined into main.render
    p.sample([loc(("strings.(*Builder).WriteString", builder, 123), ("main.render", render_go, 20)), main10], 3, 30 * MS)
    # main.helper called for real from main.render ...
    p.sample([loc(("main.helper", helper_go, 7)), loc(("main.render", render_go, 25)), main10], 2, 20 * MS)
    # ... and inlined into main.wave: helper is partial-inline
    p.sample([loc(("main.helper", helper_go, 7), ("main.wave", wave_go, 12)), main11], 1, 10 * MS)
    # math.Sin inlined into main.wave
    p.sample([loc(("math.Sin", sin, 10), ("main.wave", wave_go, 5)), main11], 4, 40 * MS)
    # fib inlined into itself, inlined into main.main: one location with three lines
    p.sample([loc(("main.fib", main_go, 30), ("main.fib", main_go, 32), ("main.main", main_go, 12))], 1, 10 * MS)
    p.sample([main12], 1, 10 * MS)
    write("inline.pb", p.encode())


def unnamed_and_custom_units():
    """A sample type with empty type and unit strings: pprof prints no Type: line at all and plain
    numbers. And units pprof does not know: it prints them after the number ("12objects"), except
    count/sample/unit (none), and it matches known ones case-insensitively (MILLISECONDS)."""
    p = Profile([("", "")])
    app = p.mapping("/usr/bin/unnamed", 0x400000, 0x500000)
    src = "/build/unnamed/main.c"
    work = p.frame("work", src, 10, mapping=app, address=0x401010)
    idle = p.frame("idle", src, 20, mapping=app, address=0x401020)
    main = p.frame("main", src, 30, mapping=app, address=0x401030)
    p.sample([work, main], 5)
    p.sample([idle, main], 3)
    write("unnamed-sample-type.pb", p.encode())

    p = Profile([("events", "objects"), ("lag", "MILLISECONDS"), ("weight", "Count"), ("hits", "sample")])
    app = p.mapping("/usr/bin/units", 0x400000, 0x500000)
    src = "/build/units/main.c"
    work = p.frame("work", src, 10, mapping=app, address=0x401010)
    idle = p.frame("idle", src, 20, mapping=app, address=0x401020)
    main = p.frame("main", src, 30, mapping=app, address=0x401030)
    p.sample([work, main], 12, 1500, 7, 2)
    p.sample([idle, main], 3, 20, 1, 1)
    write("custom-units.pb", p.encode())


def demangle():
    """pprof rewrites a function's name when system_name equals name (or name is empty): mangled
    C++/Rust names are demangled, and names that look like demangled C++ (they contain < > [ ] or ::,
    but not ".<" or "]).") lose their (...) and <...> groups. So Python's "<module>" written with
    system_name == name becomes the empty name ([python3.11]); with an empty system_name it stays."""
    p = cpu_profile()
    app = p.mapping("/usr/local/bin/python3.11", 0x400000, 0x500000)
    pc = iter(range(0x401000, 0x500000, 0x40))

    def f(name, file, line, system=None):
        return p.frame(name, file, line, mapping=app, address=next(pc), system_name=system)
    cxx = f("std::vector<int, std::allocator<int> >::push_back(int const&)", "/usr/include/c++/12/bits/stl_vector.h", 1280)
    rust = f("<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop", "/rustc/library/alloc/src/vec/mod.rs", 3050)
    mangled = f("_ZN3foo3barEv", "/build/foo/bar.cc", 7)
    mangled_named = f("foo::baz()", "/build/foo/baz.cc", 9, system="_ZN3foo3bazEv")
    java = f("java.util.HashMap.<init>", "HashMap.java", 100)
    go_generic = f("main.(*Tree[...]).Insert", "/build/tree/tree.go", 40)
    module_same = f("<module>", "/app/main.py", 1)
    module_empty_sys = f("<module>", "/app/other.py", 1, system="")
    main = f("main", "/build/main.c", 3)
    p.sample([cxx, module_same, main], 5, 50 * MS)
    p.sample([rust, module_same, main], 4, 40 * MS)
    p.sample([mangled, module_empty_sys, main], 3, 30 * MS)
    p.sample([mangled_named, main], 2, 20 * MS)
    p.sample([java, main], 2, 20 * MS)
    p.sample([go_generic, main], 1, 10 * MS)
    write("demangle.pb", p.encode())


def drop_frames():
    """drop_frames/keep_frames (set by C++ converters and by pprof's own legacy parsers): before any
    report pprof cuts, from every sample, the first location (root to leaf, after a non-matching frame)
    whose function matches ^(drop_frames)$ and is not ^(keep_frames)$, with everything leafward of it;
    a match on an inner line of an inlined location keeps only its outer lines. Names are matched after
    cutting at the first "(" (operator new(unsigned long) -> operator new)."""
    p = Profile([("space", "bytes")], period_type=("space", "bytes"), period=1,
                drop_frames="malloc|operator new.*|tcmalloc::.*", keep_frames="tcmalloc::KeepAlive")
    app = p.mapping("/usr/local/bin/cxxapp", 0x400000, 0x500000)
    pc = iter(range(0x401000, 0x500000, 0x40))

    def loc(*frames):
        return p.location(*frames, mapping=app, address=next(pc))
    src = "/build/cxxapp/main.cc"
    main = loc(("main", src, 40))
    alloc = loc(("tcmalloc::Alloc", "/build/tcmalloc/tcmalloc.cc", 100))
    new = loc(("operator new(unsigned long)", "/build/tcmalloc/new.cc", 12))
    malloc = loc(("malloc", "/build/tcmalloc/malloc.cc", 7))
    append = loc(("std::string::append", "/usr/include/c++/12/bits/basic_string.tcc", 390))
    p.sample([alloc, new, append, main], 5000)
    p.sample([loc(("malloc", "/build/tcmalloc/malloc.cc", 9), ("parse_header", src, 22)), main], 3000)
    p.sample([loc(("tcmalloc::KeepAlive", "/build/tcmalloc/tcmalloc.cc", 200)), main], 1000)
    p.sample([malloc, new], 700)
    p.sample([loc(("hook_cb", src, 60)), malloc, main], 300)
    write("drop-frames.pb", p.encode())


# ---- 6. source from another Go version ---------------------------------------------------------
GO_1_20_3 = "/opt/hostedtoolcache/go/1.20.3/x64/src/"


def go_version_mismatch():
    """A CPU profile built on a GitHub runner with Go 1.20.3 (GOROOT /opt/hostedtoolcache/go/1.20.3/x64).
    Its runtime line numbers are those of a different runtime: on Go 1.19.8's malloc.go eight of the ten
    costed mallocgc lines are blank, comment-only or a lone brace (941, 962, 979, 988, 1047, 1063, 1141,
    1171), so are all four memclr_amd64.s lines. The application's cart.go matches src/shop/cart/cart.go;
    tax.go was edited after the profile (its costs land on a comment and a blank line of
    src/shop/cart/tax.go)."""
    p = cpu_profile(duration_nanos=3000 * MS)
    app = p.mapping("/home/runner/work/shop/shop/shop", 0x400000, 0x700000)
    cart, tax = "/home/runner/work/shop/shop/cart/cart.go", "/home/runner/work/shop/shop/cart/tax.go"
    malloc, memclr, slice_go = GO_1_20_3 + "runtime/malloc.go", GO_1_20_3 + "runtime/memclr_amd64.s", GO_1_20_3 + "runtime/slice.go"
    pc = iter(range(0x401000, 0x700000, 0x40))

    def f(name, file, line):
        return p.frame(name, file, line, mapping=app, address=next(pc))
    main = f("main.main", "/home/runner/work/shop/shop/main.go", 9)
    total_items, total_tax = f("example.com/shop/cart.Total", cart, 11), f("example.com/shop/cart.Total", cart, 14)
    items_make = f("example.com/shop/cart.lineItems", cart, 19)
    makeslice = f("runtime.makeslice", slice_go, 103)
    for line, n in ((941, 4), (962, 3), (979, 2), (988, 2), (1047, 5), (1063, 3), (1141, 2), (1171, 1), (963, 2), (1006, 1)):
        p.sample([f("runtime.mallocgc", malloc, line), makeslice, items_make, total_items, main], n, n * 10 * MS)
    for line, n in ((43, 3), (46, 2), (47, 1), (48, 1)):
        p.sample([f("runtime.memclrNoHeapPointers", memclr, line), f("runtime.mallocgc", malloc, 1141), makeslice,
                  items_make, total_items, main], n, n * 10 * MS)
    p.sample([f("example.com/shop/cart.lineItems", cart, 22), total_items, main], 6, 60 * MS)
    p.sample([f("example.com/shop/cart.Total", cart, 15), main], 3, 30 * MS)
    p.sample([f("example.com/shop/cart.round", tax, 11), f("example.com/shop/cart.Tax", tax, 6), total_tax, main], 4, 40 * MS)
    p.sample([f("example.com/shop/cart.Tax", tax, 8), total_tax, main], 2, 20 * MS)
    write("go-version-mismatch.pb", p.encode())


# Where Go installations put the standard library, and the version each path names. For the
# version-mismatch check (issue #9, item 6): the version is read from the part of the path before its
# last "src" component (the GOROOT); null where the path names no version.
GO_VERSION_PATHS = [
    ("/opt/hostedtoolcache/go/1.20.3/x64/src/runtime/malloc.go", "1.20.3", "GitHub Actions setup-go: go/<version>/<arch>"),
    ("C:/hostedtoolcache/windows/go/1.20.3/x64/src/runtime/malloc.go", "1.20.3", "setup-go on Windows"),
    ("/root/sdk/go1.21.0/src/runtime/malloc.go", "1.21.0", "golang.org/dl: ~/sdk/go<version>"),
    ("/home/u/.gvm/gos/go1.20.3/src/runtime/malloc.go", "1.20.3", "gvm: ~/.gvm/gos/go<version>"),
    ("/usr/local/go1.22rc1/src/runtime/malloc.go", "1.22rc1", "a hand-unpacked release candidate"),
    ("/usr/local/Cellar/go/1.21.5/libexec/src/runtime/malloc.go", "1.21.5", "Homebrew (Intel): Cellar/go/<version>/libexec"),
    ("/opt/homebrew/Cellar/go/1.21.5/libexec/src/runtime/malloc.go", "1.21.5", "Homebrew (Apple silicon)"),
    ("/Users/korniltsev/.asdf/installs/golang/1.20.5/go/src/net/dial.go", "1.20.5", "asdf: installs/golang/<version>/go (corpus go.block.pb)"),
    ("/home/u/.local/share/mise/installs/go/1.21.5/src/runtime/malloc.go", "1.21.5", "mise: installs/go/<version>"),
    ("/home/u/.goenv/versions/1.20.3/src/runtime/malloc.go", "1.20.3", "goenv: .goenv/versions/<version>"),
    ("/home/u/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.21.5.linux-amd64/src/runtime/malloc.go", "1.21.5", "GOTOOLCHAIN download (Go >= 1.21)"),
    ("/nix/store/0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p-go-1.21.5/share/go/src/runtime/malloc.go", "1.21.5", "Nix: <hash>-go-<version>"),
    ("/usr/lib/go-1.19/src/runtime/malloc.go", "1.19", "Debian/Ubuntu golang-1.19 (corpus goshop): go-<major.minor>"),
    ("/usr/share/go-1.19/src/runtime/malloc.go", "1.19", "Debian, the real location of /usr/lib/go-1.19/src"),
    ("/usr/local/go/src/runtime/malloc.go", None, "official tarball and golang Docker images (corpus go.cpu.labels.pb): no version"),
    ("/usr/lib/golang/src/runtime/malloc.go", None, "Fedora/RHEL golang package: no version"),
    ("/usr/lib/google-golang/src/runtime/proc.go", None, "Google's internal Go (corpus go.large.cpu.pb.gz): no version"),
    ("/snap/go/10535/src/runtime/malloc.go", None, "snap: a revision number, not a version"),
    ("runtime/malloc.go", None, "-trimpath: GOROOT-relative, no version (corpus goshop/profiles/trimpath)"),
    ("/home/ci/work/goshop/main.go", None, "not in a Go installation"),
    ("/go/src/github.com/acme/app/main.go", None, "GOPATH, not GOROOT: no version"),
    ("/home/u/cargo-1.2/src/lib.go", None, "cargo-1.2 is not go-1.2"),
]


def write_go_version_paths():
    import json
    rows = [{"path": path, "version": version, "note": note} for path, version, note in GO_VERSION_PATHS]
    write("go-version-paths.json", json.dumps(rows, indent=1) + "\n")


# ---- 7. a zero-valued sample type beside a real one; two programs ------------------------------
def zero_valued_type():
    """A .NET profile as Pyroscope's dotnet agent writes it: six sample types, of which lock_count and
    lock_time are zero in every sample (the program took no locks), no mappings, no default type. Beside
    it, a Go mutex profile (contentions/delay) that must keep supplying the lock costs."""
    p = Profile([("cpu", "nanoseconds"), ("exception", "count"), ("alloc_samples", "count"),
                 ("alloc_size", "bytes"), ("lock_count", "count"), ("lock_time", "nanoseconds")],
                period_type=("cpu", "nanoseconds"), period=1, time_nanos=0)
    web, corelib = "WebApplication1", "System.Private.CoreLib"

    def f(name, module):
        return p.frame(name, module, 0, system_name="")
    get = f("WebApplication1.Controllers!CpuController.Get", web)
    fib = f("WebApplication1.Controllers!CpuController.fib", web)
    fmt_ = f("System!String.Format", corelib)
    thread = f("System.Threading!ThreadPoolWorkQueue.Dispatch", corelib)
    p.sample([fib, fib, fib, get, thread], 900 * MS, 0, 0, 0, 0, 0)
    p.sample([fib, get, thread], 300 * MS, 0, 0, 0, 0, 0)
    p.sample([fmt_, get, thread], 120 * MS, 0, 3, 24576, 0, 0)
    p.sample([get, thread], 30 * MS, 1, 0, 0, 0, 0)
    write("zero-valued-type.dotnet.pb", p.encode())

    p = Profile([("contentions", "count"), ("delay", "nanoseconds")], period_type=("contentions", "count"), period=1)
    app = p.mapping("/srv/bin/store", 0x400000, 0x500000)
    pc = iter(range(0x401000, 0x500000, 0x40))

    def g(name, file, line):
        return p.frame(name, file, line, mapping=app, address=next(pc))
    unlock = g("sync.(*Mutex).Unlock", "/usr/local/go/src/sync/mutex.go", 212)
    add = g("main.(*Store).Add", "/build/store/store.go", 21)
    get_ = g("main.(*Store).Get", "/build/store/store.go", 30)
    worker = g("main.worker", "/build/store/main.go", 14)
    p.sample([unlock, add, worker], 8, 3_540_000)
    p.sample([unlock, get_, worker], 2, 220_000)
    write("zero-valued-type.go-mutex.pb", p.encode())


def two_programs():
    """Two CPU profiles with the same sample types from different programs: a Go service
    (mapping[0] /srv/bin/checkout) and a Python one (mapping[0] /usr/local/bin/python3.11, .py files).
    A second run of the Go service (same mapping[0]) is one program with the first: its numbers add up."""
    def go_run(time_nanos, scale):
        p = cpu_profile(time_nanos=time_nanos, duration_nanos=10_000 * MS)
        app = p.mapping("/srv/bin/checkout", 0x400000, 0x900000)
        p.mapping("[vdso]", 0x7FFD00000000, 0x7FFD00002000, symbolized=False)
        pc = iter(range(0x401000, 0x900000, 0x40))

        def f(name, file, line):
            return p.frame(name, file, line, mapping=app, address=next(pc))
        main = f("main.main", "/build/checkout/main.go", 12)
        price = f("example.com/checkout/price.Compute", "/build/checkout/price/price.go", 40)
        enc = f("encoding/json.Marshal", "/usr/local/go/src/encoding/json/encode.go", 160)
        p.sample([price, main], 60 * scale, 600 * MS * scale)
        p.sample([enc, price, main], 25 * scale, 250 * MS * scale)
        return p
    write("two-programs.go.pb", go_run(TIME, 1).encode())
    write("two-programs.go-run2.pb", go_run(TIME + 60 * 10 ** 9, 2).encode())

    p = cpu_profile(duration_nanos=10_000 * MS)
    py = p.mapping("/usr/local/bin/python3.11", 0x400000, 0x900000)
    pc = iter(range(0x401000, 0x900000, 0x40))

    def g(name, file, line):
        return p.frame(name, file, line, mapping=py, address=next(pc), system_name="")
    module = g("<module>", "/app/worker.py", 40)
    handle = g("handle", "/app/worker.py", 22)
    dumps = g("dumps", "/usr/lib/python3.11/json/__init__.py", 231)
    p.sample([handle, module], 150, 1500 * MS)
    p.sample([dumps, handle, module], 50, 500 * MS)
    write("two-programs.python.pb", p.encode())


# ---- 8. legacy formats pprof still reads ---------------------------------------------------------
LEGACY_MAPS = """\
00400000-00480000 r-xp 00000000 08:01 131090 /opt/legacyapp/bin/server
00480000-00490000 rw-p 00080000 08:01 131090 /opt/legacyapp/bin/server
7f0c4a600000-7f0c4a795000 r-xp 00000000 08:01 262170 /opt/legacyapp/lib/libstore.so
"""


def legacy():
    # Go's heap profile in the text form of runtime/pprof's debug=1 (and Go < 1.9's default):
    # "inuse_objects: inuse_bytes [alloc_objects: alloc_bytes] @ heap/<2*MemProfileRate>".
    write("legacy-heap.txt", """\
heap profile: 3: 24576 [12: 98304] @ heap/1048576
2: 16384 [8: 65536] @ 0x401234 0x401567 0x4018ab
#	0x401233	main.buildIndex+0x53	/build/legacyapp/index.go:31
#	0x401566	main.main+0x86	/build/legacyapp/main.go:12
#	0x4018aa	runtime.main+0x1ea	/usr/local/go/src/runtime/proc.go:250

1: 8192 [4: 32768] @ 0x401999 0x401567 0x4018ab
#	0x401998	main.readFile+0x38	/build/legacyapp/read.go:17
#	0x401566	main.main+0x86	/build/legacyapp/main.go:12
#	0x4018aa	runtime.main+0x1ea	/usr/local/go/src/runtime/proc.go:250


# runtime.MemStats
# Alloc = 24576
# TotalAlloc = 98304
""")
    # gperftools (tcmalloc) heap profile with its memory map.
    write("legacy-heap-tcmalloc.txt", """\
heap profile:    3:    24576 [    12:    98304] @ heapprofile
     2:    16384 [     8:    65536] @ 0x00401234 0x00401567 0x7f0c4a601000
     1:     8192 [     4:    32768] @ 0x00401999 0x00401567 0x7f0c4a601000

MAPPED_LIBRARIES:
""" + LEGACY_MAPS)
    # gperftools heap growth profile.
    write("legacy-growth.txt", """\
heap profile:    2:  2097152 [     2:  2097152] @ growthz
     1:  1048576 [     1:  1048576] @ 0x00401234 0x00401567
     1:  1048576 [     1:  1048576] @ 0x00401999 0x00401567
--- Memory map: ---
""" + LEGACY_MAPS)
    # Go's block profile (debug=1): "cycles count @ pcs".
    write("legacy-contention.txt", """\
--- contention:
cycles/second=2000000000
4000000 10 @ 0x401234 0x401567 0x4018ab
#	0x401233	sync.(*Mutex).Lock+0x53	/usr/local/go/src/sync/mutex.go:81
#	0x401566	main.main+0x86	/build/legacyapp/main.go:12
#	0x4018aa	runtime.main+0x1ea	/usr/local/go/src/runtime/proc.go:250

1000000 2 @ 0x401999 0x4018ab
#	0x401998	main.wait+0x38	/build/legacyapp/wait.go:9
#	0x4018aa	runtime.main+0x1ea	/usr/local/go/src/runtime/proc.go:250
""")
    # Go's mutex profile (debug=1).
    write("legacy-mutex.txt", """\
--- mutex:
cycles/second=2000000000
sampling period=5
3000000 6 @ 0x401234 0x401567
#	0x401233	sync.(*Mutex).Unlock+0x53	/usr/local/go/src/sync/mutex.go:212
#	0x401566	main.main+0x86	/build/legacyapp/main.go:14
""")
    # A C++ contentionz profile with its memory map.
    write("legacy-contentionz.txt", """\
--- contentionz 1 ---
cycles/second = 3000000000
sampling period = 100
ms since reset = 5000
  30000000    12 @ 0x00401234 0x00401567 0x7f0c4a601000
  12000000     4 @ 0x00401999 0x00401567
--- Memory map: ---
""" + LEGACY_MAPS)
    # Go's goroutine and threadcreate profiles (debug=1).
    write("legacy-goroutine.txt", """\
goroutine profile: total 5
3 @ 0x401234 0x401567 0x4018ab
#	0x401233	runtime.gopark+0x53	/usr/local/go/src/runtime/proc.go:363
#	0x401566	main.serve+0x86	/build/legacyapp/main.go:30
#	0x4018aa	runtime.goexit+0x1	/usr/local/go/src/runtime/asm_amd64.s:1594

2 @ 0x401234 0x401999 0x4018ab
#	0x401233	runtime.gopark+0x53	/usr/local/go/src/runtime/proc.go:363
#	0x401998	main.poll+0x38	/build/legacyapp/poll.go:11
#	0x4018aa	runtime.goexit+0x1	/usr/local/go/src/runtime/asm_amd64.s:1594
""")
    write("legacy-threadcreate.txt", """\
threadcreate profile: total 2
1 @ 0x401234 0x4018ab
1 @ 0x401999 0x401567 0x4018ab
""")
    # A threadz dump.
    write("legacy-threadz.txt", """\
--- threadz 1 ---

--- Thread 7f0c4a9f6700 (name: server/4242) stack: ---
  PC: 0x00401234 0x00401567 0x004018ab
--- Thread 7f0c4a1f5700 (name: worker/4243) stack: ---
  PC: 0x00401999 0x004018ab
--- Memory map: ---
""" + LEGACY_MAPS)
    # Java agent profiles, symbolized: "<bytes or delay> <count> @ pcs", then "pc function (file:line)" lines.
    write("legacy-java-heap.txt", """\
--- heapz 1 ---
format = java
resolution = bytes
 2097152 2 @ 0x0000000000000001 0x0000000000000002
 1048576 1 @ 0x0000000000000003 0x0000000000000002
0x0000000000000001 com.example.Index.build (Index.java:31)
0x0000000000000002 com.example.Main.main (Main.java:12)
0x0000000000000003 com.example.Reader.read (Reader.java:17)
""")
    write("legacy-java-contention.txt", """\
--- contentionz 1 ---
format = java
resolution = microseconds
sampling period = 10
ms since reset = 5000
 300 12 @ 0x0000000000000001 0x0000000000000002
 120 4 @ 0x0000000000000003 0x0000000000000002
0x0000000000000001 com.example.Store.put (Store.java:40)
0x0000000000000002 com.example.Main.main (Main.java:12)
0x0000000000000003 com.example.Store.get (Store.java:55)
""")
    # The legacy binary CPU profile (gperftools' profiler, and Go before 1.9): 64-bit little-endian
    # words: header 0, 3, 0, period in microseconds, 0; then count, depth, pcs per sample; then the
    # trailer 0, 1, 0; then the memory map as text.
    words = [0, 3, 0, 10000, 0]
    for count, pcs in ((5, [0x401234, 0x401568, 0x4018AC]), (3, [0x401999, 0x4015F0, 0x4018AC]),
                       (2, [0x7F0C4A601000, 0x401600, 0x4018AC])):
        words += [count, len(pcs)] + pcs
    words += [0, 1, 0]
    write("legacy-cpu.prof", struct.pack("<%dQ" % len(words), *words) + LEGACY_MAPS.encode())


# ---- sources the profiles point at (for -list and for path-mapping tests) -------------------------
# Their line numbers are the ones the profiles above use; see each function's comment.
SOURCES = {
    # vdso-leaf.pb: /build/clockapp/a.c
    "src/clockapp/a.c": """\
/* clockapp: reads the clock through the vDSO and hashes a buffer. */
#include <stdint.h>
#include <time.h>
#include "fast.h"

static uint64_t checksum;

static uint64_t clock_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* runs in the [vdso]: the [vdso] frame is the leaf */
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t compute(uint64_t x) {
    for (int i = 0; i < 1000; i++) x = x * 6364136223846793005u + 1; /* a symbolized leaf */
    return x;
}

int main(void) {
    uint64_t t = clock_now();
    checksum = compute(t);
    checksum ^= hash_block(&checksum, sizeof checksum);
    return (int)(checksum & 1);
}

uint64_t hash_block(const void *p, unsigned long n) {
    (void)p;
    (void)n;
    /* the stripped libfast.so does the work */
    return fast_hash(p, n);
}
""",
    # delta-negative.pb: /build/deltaapp/cache/cache.go and /build/deltaapp/main.go
    "src/deltaapp/cache/cache.go": """\
// Package cache keeps a ring of buffers; a delta heap profile of it has both signs.
package cache

type Ring struct{ bufs [][]byte }

func alloc(n int) []byte {
	return make([]byte, n) // -4kB since the base
}

// Put stores a buffer. Its line 12 allocates as a leaf (+4kB) and calls alloc (-4kB): flat 4kB, cum 0.
func (r *Ring) Put(n int) {
	r.bufs = append(r.bufs, alloc(n))
}

func Grow(n int) [][]byte {
	return make([][]byte, n) // +1.5MB
}

func Shrink(r *Ring) {
	r.bufs = append([][]byte(nil), r.bufs[:1]...) // -2MB: freed since the base
}

func Churn(n int) ([]byte, []byte) {
	a := make([]byte, n) // +12kB
	b := make([]byte, n) // -12kB: the function nets to 0
	return a, b
}

func Evict(r *Ring) {
	r.bufs = r.bufs[1:] // -40kB
}

func Render(n int) string {
	return string(make([]byte, n)) // +40kB
}
""",
    "src/deltaapp/main.go": """\
package main

import "example.com/deltaapp/cache"

func main() {
	r := &cache.Ring{}
	r.Put(4096)
	r.Put(4096)
	cache.Shrink(r)
	_ = cache.Grow(1 << 16)
	cache.Churn(12288)
	cache.Evict(r)
	_ = cache.Render(40960)
}
""",
    # go-version-mismatch.pb: /home/runner/work/shop/shop/{main.go,cart/cart.go,cart/tax.go}.
    # cart.go and main.go match the profile; tax.go was edited after it (lines 6, 8 and 11 of the
    # profile are now a comment, a blank line and a lone brace).
    "src/shop/main.go": """\
package main

import (
	"fmt"

	"example.com/shop/cart"
)

func main() { fmt.Println(cart.Total(1000)) }
""",
    "src/shop/cart/cart.go": """\
// Package cart prices a shopping cart.
package cart

type item struct {
	price, qty float64
}

// Total is the price of n items with tax.
func Total(n int) float64 {
	sum := 0.0
	for _, it := range lineItems(n) {
		sum += it.price * it.qty
	}
	sum += Tax(sum)
	return sum * 1.0001
}

func lineItems(n int) []item {
	items := make([]item, 0, 16)
	for i := 0; i < n; i++ {
		price := float64(i%7) + 0.99
		items = append(items, item{price: price, qty: float64(1 + i%3)})
	}
	return items
}
""",
    "src/shop/cart/tax.go": """\
package cart

// rate is the sales tax.
const rate = 0.0825

// Tax is the tax on sum, rounded to cents.
func Tax(sum float64) float64 {

	t := round(sum * rate)
	return t
}

func round(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
""",
}


def write_sources():
    for name, text in SOURCES.items():
        path = os.path.join(HERE, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def main():
    write_sources()
    vdso_leaf()
    delta_negative()
    stripped()
    stripped_partial()
    ties()
    same_name()
    recursion()
    mixed_units()
    inline()
    unnamed_and_custom_units()
    demangle()
    drop_frames()
    go_version_mismatch()
    write_go_version_paths()
    zero_valued_type()
    two_programs()
    legacy()


if __name__ == "__main__":
    main()
