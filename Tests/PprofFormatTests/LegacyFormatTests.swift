import Foundation
import Testing
import TestSupport
@testable import PprofFormat

/// The legacy formats, one by one: what each becomes (types, period, unsampled values, mappings,
/// adjusted addresses, frames to drop), read through `ProfileParser.decode` as files are.
@Suite struct LegacyFormatTests {
    static func decode(_ text: String) throws -> Profile {
        try ProfileParser.decode(Array(text.utf8)).profile
    }

    static func fixture(_ name: String) throws -> Profile {
        try ProfileFile.load(Fixtures.path("parity/" + name)).profile
    }

    static func types(_ p: Profile) -> [String] { p.sampleTypes.map(\.description) }

    static func stacks(_ p: Profile) -> [[UInt64]] {
        (0 ..< p.samples.count).map { s in p.samples.stack(of: s).map { p.locations.address[Int($0)] } }
    }

    static func mappingFiles(_ p: Profile) -> [String] { p.mappings.map(\.filename) }

    @Test func goHeapIsUnsampledAtHalfItsHeaderRate() throws {
        let p = try Self.fixture("legacy-heap.txt")
        #expect(Self.types(p) == ["alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes"])
        #expect(p.defaultSampleTypeIndex == 3)
        #expect(p.periodType == ValueType(type: "space", unit: "bytes"))
        // heap/1048576: Go writes twice its 512 KiB rate. 2 objects of 8 KiB each are 1 - e^(-1/64)
        // likely to be sampled: ×64.5.
        #expect(p.period == 524_288)
        #expect(p.samples.values == [516, 4_227_157, 129, 1_056_789, 258, 2_113_578, 64, 528_394])
        // Every heap address is a return address, moved back onto its call; the runtime's `#`
        // symbol lines and the `# runtime.MemStats` trailer are comments, not symbols.
        #expect(Self.stacks(p) == [[0x401233, 0x401566, 0x4018AA], [0x401998, 0x401566, 0x4018AA]])
        #expect(p.functions.count == 0)
        #expect(p.comments.isEmpty)
        // No memory map: one mapping without a file holds every address (pprof's `<unknown>`).
        #expect(p.mappings.count == 1 && p.mappings[0].filename.isEmpty && p.mappings[0].memoryLimit == .max)
        #expect(p.locations.mapping == [0, 0, 0, 0])
        #expect(p.dropFrames == LegacyFrames.allocations && p.dropFrames.hasPrefix("calloc|cfree|malloc|"))
        #expect(p.keepFrames == #"runtime\.panic|runtime\.reflectcall|runtime\.call[0-9]*"#)
        #expect(p.samples.labels.map(\.num) == [8192, 8192])
        #expect(p.strings[Int(p.samples.labels[0].key)] == "bytes")
    }

    @Test func gperftoolsHeapIsExactAndMapped() throws {
        let p = try Self.fixture("legacy-heap-tcmalloc.txt")
        #expect(p.period == 1)
        #expect(p.samples.values == [8, 65536, 2, 16384, 4, 32768, 1, 8192])
        // The writable piece of the binary is not executable: left out.
        #expect(Self.mappingFiles(p) == ["/opt/legacyapp/bin/server", "/opt/legacyapp/lib/libstore.so"])
        #expect(p.mappings[0].memoryStart == 0x400000 && p.mappings[0].memoryLimit == 0x480000)
        #expect(p.locations.mapping == [0, 0, 1, 0])
    }

    @Test func growthHasTwoTypes() throws {
        let p = try Self.fixture("legacy-growth.txt")
        #expect(Self.types(p) == ["objects/count", "space/bytes"])
        #expect(p.period == 1)
        #expect(p.samples.values == [1, 1_048_576, 1, 1_048_576])
        #expect(p.dropFrames == LegacyFrames.allocations)
    }

    @Test func heapWithARealMemoryMap() throws {
        let p = try Self.fixture("legacy-heap-maps.txt")
        // The binary mapped at 0x401000 with offset 0x1000 moves back to 0x400000; libc's text
        // is widened over its read-only first piece, where a return address falls.
        #expect(p.mappings[0].filename == "/usr/local/bin/storaged")
        #expect(p.mappings[0].memoryStart == 0x400000 && p.mappings[0].fileOffset == 0)
        let libc = try #require(p.mappings.first { $0.filename.hasSuffix("libc-2.31.so") })
        #expect(libc.memoryStart == 0x7F3A1C00C000 && libc.fileOffset == 0)
        #expect(Self.mappingFiles(p).contains("[vdso]"))
        #expect(!Self.mappingFiles(p).contains("[stack]"))
        // heap_v2/524288: 64 objects of 64 bytes are unsampled ×8192.5.
        let values = p.samples.values
        #expect(Array(values[12 ..< 16]) == [5_243_200, 335_564_800, 524_320, 33_556_480])
        // The sample with nothing in use is 0 in use, its allocations unsampled.
        #expect(Array(values[22 ..< 24]) == [0, 0])
    }

    @Test func cpuProfile64BitLittleEndian() throws {
        let p = try Self.fixture("legacy-cpu.prof")
        #expect(Self.types(p) == ["samples/count", "cpu/nanoseconds"])
        #expect(p.periodType == ValueType(type: "cpu", unit: "nanoseconds"))
        #expect(p.period == 10_000_000)
        #expect(p.samples.values == [5, 50_000_000, 3, 30_000_000, 2, 20_000_000])
        // The leaf is where the CPU was; only the frames above it are moved back.
        #expect(Self.stacks(p)[0] == [0x401234, 0x401567, 0x4018AB])
        #expect(Self.mappingFiles(p) == ["/opt/legacyapp/bin/server", "/opt/legacyapp/lib/libstore.so"])
        #expect(p.dropFrames == LegacyFrames.cpuProfiler)
        #expect(p.keepFrames.isEmpty)
    }

    @Test func cpuProfile32BitBigEndianLosesTheSignalFrames() throws {
        let p = try Self.fixture("legacy-cpu-be32.prof")
        #expect(p.period == 10_000_000)
        // The [vdso] trampoline (second frame of all but one stack) is gone, and so is each
        // leaf's copy from unwinding.
        let vdso = try #require(p.mappings.firstIndex { $0.filename == "[vdso]" })
        for s in 0 ..< p.samples.count {
            let stack = p.samples.stack(of: s).map { Int($0) }
            #expect(!stack.contains { p.locations.mapping[$0] == Int32(vdso) })
            #expect(stack.count == 3)
        }
        #expect(Self.stacks(p)[0] == [0x08051230, 0x0804B3EF, 0x0804A1C4])
        #expect(p.samples.values.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reduce(0, +) == 214)
    }

    /// pprof removes a frame common to (nearly) all samples up to twice: after the first is
    /// gone, the frame below it may be common too (two frames pushed by the signal handler).
    @Test func cpuProfileLosesUpToTwoSignalFrames() throws {
        var words: [UInt64] = [0, 3, 0, 10000, 0]
        for i in 0 ..< UInt64(4) { words += [1, 4, 0x401000 + i * 0x100, 0xA01, 0xB01, 0x402001 + i * 0x100] }
        words += [0, 1, 0]
        let bytes = LegacyMalformedTests.words64(words)
        let p = try bytes.withUnsafeBufferPointer { try ProfileParser.decode($0).profile }
        let expected: [[UInt64]] = (0 ..< UInt64(4)).map { i -> [UInt64] in [0x401000 + i * 0x100, 0x402000 + i * 0x100] }
        #expect(Self.stacks(p) == expected)
    }

    @Test func contentionCyclesBecomeNanoseconds() throws {
        let block = try Self.fixture("legacy-contention.txt")
        #expect(Self.types(block) == ["contentions/count", "delay/nanoseconds"])
        #expect(block.periodType == ValueType(type: "contentions", unit: "count"))
        // 4,000,000 cycles at 2 GHz are 2 ms; no sampling period: counts as they are.
        #expect(block.samples.values == [10, 2_000_000, 2, 500_000])
        #expect(block.dropFrames == LegacyFrames.locks)

        let mutex = try Self.fixture("legacy-mutex.txt")
        #expect(mutex.period == 5)
        #expect(mutex.samples.values == [30, 7_500_000])

        let contentionz = try Self.fixture("legacy-contentionz.txt")
        #expect(contentionz.period == 100)
        #expect(contentionz.durationNanos == 5_000_000_000)
        #expect(contentionz.samples.values == [1200, 1_000_000_000, 400, 400_000_000])
        #expect(Self.mappingFiles(contentionz) == ["/opt/legacyapp/bin/server", "/opt/legacyapp/lib/libstore.so"])
    }

    @Test func goroutineAndThreadcreateCounts() throws {
        let g = try Self.fixture("legacy-goroutine.txt")
        #expect(Self.types(g) == ["goroutine/count"])
        #expect(g.periodType == ValueType(type: "goroutine", unit: "count") && g.period == 1)
        #expect(g.samples.values == [3, 2])
        #expect(g.dropFrames == LegacyFrames.cpuProfiler)
        let t = try Self.fixture("legacy-threadcreate.txt")
        #expect(Self.types(t) == ["threadcreate/count"])
        #expect(Self.stacks(t) == [[0x401233, 0x4018AA], [0x401998, 0x401566, 0x4018AA]])
    }

    @Test func threadzCountsThreads() throws {
        let p = try Self.fixture("legacy-threadz.txt")
        #expect(Self.types(p) == ["thread/count"])
        #expect(Self.stacks(p) == [[0x401234, 0x401566, 0x4018AA], [0x401999, 0x4018AA]])
        let maps = try Self.fixture("legacy-threadz-maps.txt")
        // Two threads "same as previous" count for worker-1; the reaper has no stack.
        #expect(maps.samples.values == [1, 3, 1])
        #expect(maps.mappings[0].filename == "/srv/cache/bin/cached")
        // The flusher's leaf was recorded twice: the copy is gone from its stack.
        #expect(Self.stacks(maps)[2] == [0x55D4C6B2A001, 0x55D4C6A77C40, 0x7F51E3C7E608])
    }

    @Test func javaHeapIsSymbolizedAndUnsampled() throws {
        let p = try Self.fixture("legacy-java-heap.txt")
        #expect(Self.types(p) == ["inuse_objects/count", "inuse_space/bytes"])
        #expect(p.periodType == ValueType(type: "", unit: ""))
        // The agent samples every 512 KiB: 2 objects of 1 MiB are ×1.156.
        #expect(p.samples.values == [2, 2_425_393, 1, 1_212_696])
        #expect(p.mappings.isEmpty)
        #expect(p.locations.address == [0, 0, 0])
        let names = p.functions.name.map { p.strings[Int($0)] }
        #expect(names == ["com.example.Index.build", "com.example.Main.main", "com.example.Reader.read"])
        #expect(p.functions.filename.map { p.strings[Int($0)] } == ["Index.java", "Main.java", "Reader.java"])
        #expect(p.locations.lineNumber == [31, 12, 17])
        #expect(p.dropFrames == LegacyFrames.allocations)
    }

    @Test func javaContentionAndCPU() throws {
        let c = try Self.fixture("legacy-java-contention.txt")
        #expect(Self.types(c) == ["contentions/count", "delay/microseconds"])
        #expect(c.period == 10 && c.durationNanos == 5_000_000_000)
        #expect(c.samples.values == [120, 3000, 40, 1200])
        #expect(c.dropFrames == LegacyFrames.locks)

        let cpu = try Self.fixture("legacy-java-cpu.prof")
        #expect(cpu.period == 20_000_000)
        let names = cpu.functions.name.map { cpu.strings[Int($0)] }
        #expect(names.contains("STUB") && names.contains("GC") && names.contains("Java_java_util_zip_Deflater_deflateBytes"))
        // An id without a symbol keeps no address but the mapping that holds every address.
        #expect(cpu.mappings.count == 1 && cpu.mappings[0].filename.isEmpty)
        #expect(cpu.dropFrames == LegacyFrames.cpuProfiler)
    }

    @Test func gzippedLegacyText() throws {
        let text = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parity/legacy-mutex.txt"))))
        let decoded = try ProfileParser.decode(gzipCompress(text))
        #expect(decoded.wasCompressed)
        #expect(decoded.uncompressedByteCount == text.count)
        #expect(decoded.profile.samples.values == [30, 7_500_000])
        let cpu = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parity/legacy-cpu.prof"))))
        #expect(try ProfileParser.decode(gzipCompress(cpu)).profile.samples.count == 3)
    }

    @Test func protobufProfilesAreUnaffected() throws {
        let p = try ProfileParser.decode(DecodeTests.simple().encode()).profile
        #expect(p.dropFrames.isEmpty)
        #expect(p.samples.count == 2)
    }
}
