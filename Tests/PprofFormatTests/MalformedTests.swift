import Testing
import SystemIO
import TestSupport
@testable import PprofFormat

/// Input that cannot be repaired: each gets a clear error, never a trap or a hang.
@Suite struct MalformedTests {
    func failure(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> String {
        do {
            _ = try ProfileParser.decode(bytes, options: options)
            return "decoded"
        } catch {
            return error.description
        }
    }

    var good: [UInt8] { DecodeTests.simple().encode() }

    @Test func emptyFile() {
        #expect(failure([]).contains("empty file"))
    }

    @Test func truncatedGzip() {
        let compressed = gzipCompress(good)
        #expect(failure(Array(compressed.prefix(compressed.count / 2))).contains("truncated gzip data"))
        #expect(failure(Array(compressed.prefix(12))).contains("gzip"))
    }

    @Test func corruptGzip() {
        var compressed = gzipCompress(good)
        for i in 12 ..< min(40, compressed.count - 8) { compressed[i] ^= 0x5A }
        let message = failure(compressed)
        #expect(message.contains("gzip"), "\(message)")
    }

    @Test func gzipBombIsRefusedUnderTheCap() {
        let zeros = [UInt8](repeating: 0, count: 8 << 20)
        let bomb = gzipCompress(zeros)
        // Zeros are field number 0, so even a small cap is never reached.
        #expect(failure(bomb).contains("invalid field number 0"))
        // A bomb that is valid protobuf (an unknown field full of zeros) streams until the cap.
        var w = ProtoWriter()
        w.key(200, 2)
        w.varint(UInt64(zeros.count))
        w.raw(zeros)
        let message = failure(gzipCompress(w.bytes), options: DecodeOptions(maxDecompressedBytes: 1 << 20))
        #expect(message.contains("more than the decompression limit of 1 MiB"), "\(message)")
        var small = ProtoWriter()
        for _ in 0 ..< 8 {
            small.key(200, 2)
            small.varint(UInt64(512 << 10))
            small.raw([UInt8](repeating: 0, count: 512 << 10))
        }
        let streamed = failure(gzipCompress(small.bytes), options: DecodeOptions(maxDecompressedBytes: 1 << 20))
        #expect(streamed.contains("exceeds the limit of 1 MiB"), "\(streamed)")
    }

    /// Large gzip files inflate on a second thread; its errors must reach the decoder, and an
    /// early decoding error must stop the thread cleanly.
    @Test func errorsThroughThePipelinedInflater() throws {
        let large = try FileSystem.readFile(Fixtures.path("corpus/upstream/go.large.cpu.pb.gz")).bytes
        #expect(large.count > 256 << 10)
        #expect(failure(Array(large.prefix(large.count * 2 / 3))).contains("truncated gzip data"))
        var corrupt = large
        for i in stride(from: 600_000, to: 600_400, by: 1) { corrupt[i] ^= 0xA5 }
        let message = failure(corrupt)
        #expect(message.contains("gzip") || message.contains("field") || message.contains("truncated"), "\(message)")
        var zeros = gzipCompress([UInt8](repeating: 0, count: 64 << 20))
        var generator = SystemRandomNumberGenerator()
        zeros += gzipCompress((0 ..< (1 << 20)).map { _ in UInt8.random(in: 0 ... 255, using: &generator) })
        #expect(zeros.count > 256 << 10)
        #expect(failure(zeros).contains("invalid field number 0"))
    }

    @Test func truncatedProtobuf() {
        let message = failure(Array(good.prefix(good.count - 3)))
        #expect(message.contains("truncated") || message.contains("runs past"), "\(message)")
    }

    @Test func varintLongerThanTenBytes() {
        var w = ProtoWriter()
        w.key(9, 0)
        w.raw([UInt8](repeating: 0xFF, count: 11) + [0])
        #expect(failure(w.bytes).contains("varint longer than 10 bytes"))
    }

    @Test func lengthPastTheEnd() {
        var w = ProtoWriter()
        w.key(2, 2)
        w.varint(1000)
        w.raw([1, 2, 3])
        #expect(failure(w.bytes).contains("needs 1000 bytes but only 3 remain"))
        var nested = ProtoWriter()
        nested.key(2, 2)
        nested.varint(3)
        nested.raw([0x0A, 0x7F, 0x01])
        #expect(failure(nested.bytes).contains("runs past the end of its message"))
    }

    @Test(arguments: [3, 4, 6, 7])
    func invalidWireTypes(wire: UInt64) {
        var w = ProtoWriter()
        w.key(50, wire)
        w.raw([0, 0, 0, 0, 0, 0, 0, 0])
        let message = failure(w.bytes)
        #expect(message.contains("wire type \(wire)"), "\(message)")
    }

    @Test func wrongWireTypeForKnownField() {
        var w = ProtoWriter()
        w.int(2, 5)
        #expect(failure(w.bytes).contains("field 2 of Profile has wire type 0"))
    }

    @Test func valueCountDifferentFromSampleTypes() {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 1) }
        w.message(2) { $0.packed(2, [1, 2, 3]) }
        for s in ["", "x"] { w.string(6, s) }
        #expect(failure(w.bytes).contains("sample 0 has 3 values, but the profile declares 1 sample types"))
    }

    @Test func concatenatedProfiles() {
        #expect(failure(good + good).contains("concatenated profiles detected"))
        #expect(failure(gzipCompress(good) + gzipCompress(good)).contains("concatenated profiles detected"))
    }

    @Test func trailingGarbageAfterGzip() {
        #expect(failure(gzipCompress(good) + [1, 2, 3]).contains("unexpected data after the end of the gzip stream"))
    }

    @Test func garbageText() {
        let message = failure(Array("this is not a profile at all".utf8))
        #expect(message != "decoded")
    }

    @Test func loaderNamesTheFile() throws {
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/broken.pb.gz"
        FileWriter.write(path, Array(gzipCompress(good).prefix(20)))
        do {
            _ = try ProfileFile.load(path)
            Issue.record("a truncated file loaded")
        } catch {
            #expect(error.description.hasPrefix(path + ": not a valid pprof profile: truncated gzip data"))
        }
        #expect(throws: ProfileLoadError.self) { try ProfileFile.load(dir + "/missing.pb") }
    }
}
