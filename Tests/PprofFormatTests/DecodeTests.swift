import Testing
import TestSupport
@testable import PprofFormat

/// Well-formed input, raw and gzipped, and the repairs made on damaged-but-usable input.
@Suite struct DecodeTests {
    static func simple() -> TestProfile {
        var p = TestProfile()
        let leaf = TestProfile.Frame("main.leaf", "/src/main.go", 10)
        let root = TestProfile.Frame("main.main", "/src/main.go", 3)
        p.samples = [([[leaf], [root]], [2, 20]), ([[root]], [1, 10])]
        return p
    }

    @Test func decodesRawAndGzipAlike() throws {
        let raw = Self.simple().encode()
        let a = try ProfileParser.decode(raw)
        let b = try ProfileParser.decode(gzipCompress(raw))
        #expect(!a.wasCompressed && b.wasCompressed)
        #expect(a.profile.samples.count == 2)
        #expect(a.profile.samples.values == b.profile.samples.values)
        #expect(a.profile.sampleTypes == [ValueType(type: "samples", unit: "count"), ValueType(type: "cpu", unit: "nanoseconds")])
        #expect(a.profile.samples.stack(of: 0).count == 2)
        #expect(a.warnings.isEmpty)
    }

    @Test func loadsEveryCorpusProfile() throws {
        for (path, _) in Fixtures.corpusProfiles() {
            let loaded = try ProfileFile.load(path)
            #expect(loaded.profile.sampleTypes.count > 0, "\(path)")
        }
    }

    @Test func acceptsUnpackedRepeatedFields() throws {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 2) }
        w.message(2) { $0.uint(1, 1); $0.uint(1, 1); $0.int(2, 7) }
        w.message(4) { $0.uint(1, 1) }
        for s in ["", "samples", "count"] { w.string(6, s) }
        let decoded = try ProfileParser.decode(w.bytes)
        #expect(decoded.profile.samples.stack(of: 0).count == 2)
        #expect(decoded.profile.samples.values == [7])
    }

    /// Repeated sample types get names of their own, in one pass: 50,000 copies of one empty
    /// type (100 kB of input) take no longer than any other 100 kB.
    @Test func repeatedSampleTypesAreRenamedInLinearTime() throws {
        var w = ProtoWriter()
        for _ in 0 ..< 50_000 { w.message(1) { _ in } }
        let started = ContinuousClock.now
        let decoded = try ProfileParser.decode(w.bytes)
        #expect(ContinuousClock.now - started < .seconds(5))
        let types = decoded.profile.sampleTypes
        #expect(types.count == 50_000 && Set(types).count == 50_000)
        #expect(types.prefix(3).map(\.type) == ["", "#2", "#3"] && types.last?.type == "#50000")
        #expect(decoded.warnings.contains { $0.hasPrefix("sample types repeat; the repeats read as #2/, #3/") })
    }

    @Test func skipsUnknownFields() throws {
        var w = ProtoWriter()
        w.raw(Self.simple().encode())
        w.int(99, 5)
        w.string(100, "future field")
        w.key(101, 1); w.raw([1, 2, 3, 4, 5, 6, 7, 8])
        w.key(102, 5); w.raw([1, 2, 3, 4])
        #expect(try ProfileParser.decode(w.bytes).profile.samples.count == 2)
    }

    @Test func dropsDanglingLocationsAndWarns() throws {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 2) }
        w.message(2) { $0.packed(1, [1, 42, 1]); $0.packed(2, [3]) }
        w.message(4) { $0.uint(1, 1); $0.message(4) { $0.uint(1, 77); $0.int(2, 5) } }
        w.message(4) { $0.uint(1, 2); $0.uint(2, 9) }
        for s in ["", "samples", "count"] { w.string(6, s) }
        let decoded = try ProfileParser.decode(w.bytes)
        #expect(decoded.profile.samples.stack(of: 0).count == 2)
        #expect(decoded.profile.locations.lineFunction == [-1])
        #expect(decoded.profile.locations.mapping == [-1, -1])
        #expect(decoded.warnings.contains { $0.contains("1 sample stack entries name a location id that does not exist") })
        #expect(decoded.warnings.contains { $0.contains("function id that does not exist") })
        #expect(decoded.warnings.contains { $0.contains("mapping id that does not exist") })
    }

    @Test func readsBadStringIndicesAsEmpty() throws {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 99) }
        w.message(5) { $0.uint(1, 1); $0.int(2, -3); $0.int(4, 1 << 40) }
        for s in ["", "samples"] { w.string(6, s) }
        let decoded = try ProfileParser.decode(w.bytes)
        #expect(decoded.profile.sampleTypes == [ValueType(type: "samples", unit: "")])
        #expect(decoded.profile.functions.name == [0])
        #expect(decoded.warnings.contains { $0.contains("3 string indices are outside the 2-entry string table") })
    }

    @Test func replacesInvalidUTF8() throws {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 1) }
        w.string(6, "")
        w.bytes(6, [0x61, 0xFF, 0x62, 0xE2, 0x82])
        let decoded = try ProfileParser.decode(w.bytes)
        #expect(decoded.profile.strings[1] == "a\u{FFFD}b\u{FFFD}")
        #expect(decoded.warnings.contains { $0.contains("not valid UTF-8") })
    }

    /// Label starts are kept only once a sample has labels: the samples before it have none,
    /// and a profile without labels keeps no starts at all.
    @Test func labelsFromTheFirstSampleThatHasThem() throws {
        func profile(labelled: Set<Int>) throws -> Profile {
            var w = ProtoWriter()
            w.message(1) { $0.int(1, 1); $0.int(2, 2) }
            for s in 0 ..< 4 {
                w.message(2) { sample in
                    sample.packed(2, [UInt64(s + 1)])
                    if labelled.contains(s) { sample.message(3) { $0.int(1, 3); $0.int(3, Int64(100 + s)) } }
                }
            }
            for text in ["", "samples", "count", "bytes"] { w.string(6, text) }
            return try ProfileParser.decode(w.bytes).profile
        }
        let none = try profile(labelled: [])
        #expect(none.samples.labelStart.isEmpty)
        #expect((0 ..< 4).allSatisfy { none.samples.labels(of: $0).isEmpty })
        let some = try profile(labelled: [2, 3])
        #expect((0 ..< 4).map { some.samples.labels(of: $0).map(\.num) } == [[], [], [102], [103]])
        #expect(some.strings[Int(some.samples.labels(of: 2).first?.key ?? 0)] == "bytes")
        // Scaling keeps them with their samples.
        let scaled = some.scalingValues(by: [2])
        #expect((0 ..< 4).map { scaled.samples.labels(of: $0).map(\.num) } == [[], [], [102], [103]])
    }

    @Test func keepsReservedIDZeroAndLetsTheLastDuplicateWin() throws {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 1) }
        w.message(2) { $0.packed(1, [0]); $0.packed(2, [1]) }
        w.message(4) { $0.uint(1, 0); $0.message(4) { $0.uint(1, 0); $0.int(2, 1) } }
        w.message(4) { $0.uint(1, 0); $0.message(4) { $0.uint(1, 0); $0.int(2, 2) } }
        w.message(5) { $0.uint(1, 0); $0.int(2, 1) }
        for s in ["", "f"] { w.string(6, s) }
        let decoded = try ProfileParser.decode(w.bytes)
        #expect(Array(decoded.profile.samples.stack(of: 0)) == [1])
        #expect(decoded.profile.locations.lineFunction == [0, 0])
        #expect(decoded.warnings.contains { $0.contains("1 locations reuse an id") })
        #expect(decoded.warnings.contains { $0.contains("use the reserved id 0; kept") })
    }

    @Test func sparseHugeIDsDoNotAllocateHugeTables() throws {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 1) }
        w.message(2) { $0.packed(1, [1 << 63, UInt64.max]); $0.packed(2, [5]) }
        w.message(4) { $0.uint(1, 1 << 63) }
        w.message(4) { $0.uint(1, UInt64.max) }
        for s in ["", "x"] { w.string(6, s) }
        let decoded = try ProfileParser.decode(w.bytes)
        #expect(Array(decoded.profile.samples.stack(of: 0)) == [0, 1])
    }

    @Test func deepStacksDecode() throws {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 1) }
        w.message(2) { $0.packed(1, Array(repeating: 1, count: 100_000)); $0.packed(2, [1]) }
        w.message(4) { $0.uint(1, 1) }
        for s in ["", "x"] { w.string(6, s) }
        #expect(try ProfileParser.decode(w.bytes).profile.samples.stack(of: 0).count == 100_000)
    }

    @Test func profileWithoutSamplesLoads() throws {
        var p = TestProfile()
        p.samples = []
        let decoded = try ProfileParser.decode(p.encode())
        #expect(decoded.profile.samples.count == 0)
    }

    @Test func defaultSampleTypeFallsBackToTheLast() throws {
        var p = TestProfile()
        #expect(try ProfileParser.decode(p.encode()).profile.defaultSampleTypeIndex == 1)
        p.defaultSampleType = "samples"
        #expect(try ProfileParser.decode(p.encode()).profile.defaultSampleTypeIndex == 0)
    }
}
