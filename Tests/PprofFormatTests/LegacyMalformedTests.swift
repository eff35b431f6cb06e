import Foundation
import Testing
import TestSupport
@testable import PprofFormat

/// Broken legacy profiles: each gets an error that says what is wrong, never a trap; and files
/// that are profiles of other tools are named as such.
@Suite struct LegacyMalformedTests {
    func failure(_ text: String) -> String { failure(Array(text.utf8)) }

    func failure(_ bytes: [UInt8]) -> String {
        do {
            _ = try ProfileParser.decode(bytes)
            return "decoded"
        } catch {
            return error.description
        }
    }

    static func words64(_ words: [UInt64]) -> [UInt8] {
        words.flatMap { w in (0 ..< 8).map { UInt8(truncatingIfNeeded: w >> (8 * UInt64($0))) } }
    }

    @Test func heap() {
        let header = "heap profile: 1: 10 [ 1: 10] @ heapprofile\n"
        #expect(failure(header + "99999999999999999999: 10 [ 1: 10] @ 0x1\n").contains("legacy heap profile: line 2: inuse count 99999999999999999999 is not a 64-bit number"))
        #expect(failure(header + "1: 10 [ 1: 10] @ 0x1ffffffffffffffff\n").contains("0x1ffffffffffffffff is not a 64-bit address"))
        #expect(failure(header + "0: 5 [ 1: 10] @ 0x1\n").contains("inuse count was 0 but inuse bytes was 5"))
        #expect(failure(header + "2: -5 [ 1: 10] @ 0x1\n").contains("opposite signs"))
        #expect(failure(header + "garbage\n").contains("line 2: \"garbage\" is not a heap sample"))
        // Truncated headers are no heap profile: the protobuf error stays.
        #expect(failure("heap profile: 1: 10 [ 1:") != "decoded")
        // Unsampling that overflows: one object of 1 byte sampled every 2^62 bytes.
        #expect(failure("heap profile: 1: 1 [ 1: 1] @ heap_v2/4611686018427387904\n1: 1 [ 1: 1] @ 0x1\n").contains("do not fit in 64 bits once unsampled"))
        // A memory map line with garbage is skipped, as pprof skips it.
        let mapped = header + "1: 10 [ 1: 10] @ 0x401234\nMAPPED_LIBRARIES:\n!!garbage 00400000-zz\n00400000-00480000 r-xp 00000000 08:01 1 /bin/app\nffffffffffffffffff-1 r-xp 0 0:0 0 /x\n"
        #expect(failure(mapped) == "decoded")
    }

    @Test func cpu() {
        let header: [UInt64] = [0, 3, 0, 10000, 0]
        #expect(failure(Self.words64(header + [1, 1_000_000, 0x401234])).contains("has 1000000 frames, but only 1 words remain"))
        #expect(failure(Self.words64(header + [1])).contains("not a whole sample header"))
        #expect(failure(Self.words64(header + [UInt64.max, 1, 0x401234])).contains("more than 2^63"))
        #expect(failure(Self.words64(header + [1 << 60, 1, 0x401234])).contains("overflow 64 bits"))
        #expect(failure(Self.words64([0, 3, 0, UInt64.max, 0])).contains("sampling period"))
        // A truncated header is no CPU profile.
        #expect(failure(Array(Self.words64(header).prefix(30))).contains("legacy") == false)
        // Garbage in the memory map after the end marker is skipped.
        #expect(failure(Self.words64(header + [1, 1, 0x401234, 0, 1, 0]) + Array("\u{1}\u{2} garbage\n00400000-00480000 r-xp 0 0:0 0 /a\n".utf8)) == "decoded")
    }

    @Test func contention() {
        #expect(failure("--- mutex:\n99999999999999999999 1 @ 0x1\n").contains("legacy contention profile: line 2: the delay 99999999999999999999 is not a 64-bit number"))
        #expect(failure("--- mutex:\n1 1 @ 0x1ffffffffffffffff\n").contains("line 2: 0x1ffffffffffffffff is not a 64-bit address"))
        #expect(failure("--- mutex:\nsampling period=4611686018427387904\n1 4 @ 0x1\n").contains("overflow 64 bits"))
        #expect(failure("--- mutex:\ncycles/second=1\nsampling period=1000000000\n9223372036854775807 1 @ 0x1\n").contains("does not fit in 64-bit nanoseconds"))
        #expect(failure("--- contention:\nms since reset=9223372036854775807\n").contains("overflows 64-bit nanoseconds"))
        // A huge number is quoted in part.
        let long = failure("--- mutex:\n" + String(repeating: "1", count: 5000) + " 1 @ 0x1\n")
        #expect(long.contains("is not a 64-bit number") && long.contains("1…") && long.count < 300)
        // Truncated header, unknown attribute, no sample: not a contention profile.
        #expect(failure("--- mutex") != "decoded")
        #expect(failure("--- mutex:\ncolor = blue\n") != "decoded")
        #expect(failure("--- mutex:\n1 1 @ 0x1\n--- Memory map: ---\n%%% garbage\n") == "decoded")
    }

    @Test func goCounts() {
        #expect(failure("goroutine profile: total 1\n99999999999999999999 @ 0x1\n").contains("legacy count profile: line 2: the count 99999999999999999999 is not a 64-bit number"))
        #expect(failure("goroutine profile: total 1\n1 @ 0x1ffffffffffffffff\n").contains("0x1ffffffffffffffff is not a 64-bit address"))
        #expect(failure("goroutine profile: total 1\n1 @ 0xZZ\n").contains("is not a sample (count @ addresses)"))
        #expect(failure("goroutine profile: total 1\n1 @ 0x1\n--- Memory map: ---\nnot a map\n") == "decoded")
        #expect(failure("goroutine profile: tot") != "decoded")
    }

    @Test func threadz() {
        #expect(failure("--- threadz 1 ---\n--- Thread 1 (name: a/1) stack: ---\n  PC: 0x1ffffffffffffffff\n--- Memory map: ---\n")
            .contains("legacy threadz profile: line 3: 0x1ffffffffffffffff is not a 64-bit address"))
        // Without its memory map, a threadz dump is not recognized (as by pprof).
        #expect(failure("--- threadz 1 ---\n--- Thread 1 (name: a/1) stack: ---\n  PC: 0x1\n") != "decoded")
        #expect(failure("--- threadz 1 ---\n--- Thread 1 (name: a/1) stack: ---\n  PC: 0x1\n--- Memory map: ---\n- garbage -\n") == "decoded")
    }

    @Test func java() {
        let heap = "--- heapz 1 ---\nformat = java\nresolution = bytes\n"
        #expect(failure(heap + " 100 0 @ 0x1\n").contains("legacy Java profile: the sample \"100 0 @ 0x1\" has a count of 0"))
        #expect(failure(heap + " 99999999999999999999 1 @ 0x1\n").contains("is not a 64-bit number"))
        #expect(failure(heap + " 1 1 @ 0x1ffffffffffffffff\n").contains("0x1ffffffffffffffff is not a 64-bit address"))
        #expect(failure(heap + " 1 1 @ 0x1\n0x1ffffffffffffffff a.B (B.java:1)\n").contains("symbol id"))
        #expect(failure("--- heapz 1 ---\nformat = java\n 1 1 @ 0x1\n").contains("missing sample type information"))
        #expect(failure("--- contentionz 1 ---\nformat = java\nresolution = microseconds\nsampling period = 4611686018427387904\n 4 1 @ 0x1\n")
            .contains("overflows 64 bits"))
        #expect(failure("--- heapz 1") != "decoded")
    }

    @Test func otherFormatsAreNamed() {
        #expect(failure(Array("PERFILE2".utf8) + [UInt8](repeating: 0, count: 64)).hasPrefix("perf.data is not a pprof profile; convert it with perf_to_profile"))
        #expect(failure(Array("FLR\u{0}".utf8) + [0, 2, 0, 1]).contains("JFR"))
        #expect(failure("{\"nodes\": [], \"startTime\": 0}").contains("JSON"))
        #expect(failure("goroutine 1 [running]:\nmain.main()\n\t/src/main.go:5 +0x1d\n").contains("goroutine dump (debug=2)"))
        #expect(failure("main;work;compute 12\nmain;idle 3\n").contains("folded stacks"))
        // The protobuf error is kept in the message.
        #expect(failure("main;work;compute 12\n").contains("as protobuf:"))
        // Other text is called text; binary junk keeps the protobuf error alone.
        #expect(failure("hello world\n").hasPrefix("the file is text: neither a pprof profile"))
        #expect(!failure([0x01, 0xFF, 0xFF, 0x00, 0x10]).contains("text"))
    }

    /// Every prefix, and many single-byte changes, of every legacy fixture: read or refused, never a trap.
    @Test func noTrapsOnDamagedFixtures() throws {
        let folder = Fixtures.path("parity")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("legacy-") && !$0.contains(".pprof-") }
        var generator = SplitMix64(seed: 7)
        let replacements: [UInt8] = Array("0 9:x@-[]\n\r#=f".utf8) + [0, 0xFF, 0xC2, 0xA0]
        var outcomes = 0
        for name in names.sorted() {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
            for end in stride(from: 0, through: bytes.count, by: max(1, bytes.count / 200)) {
                _ = failure(Array(bytes.prefix(end)))
                outcomes += 1
            }
            for _ in 0 ..< 200 {
                var copy = bytes
                let i = generator.next(copy.count)
                copy[i] = replacements[generator.next(replacements.count)]
                _ = failure(copy)
                outcomes += 1
            }
        }
        #expect(outcomes > 1000)
    }
}
