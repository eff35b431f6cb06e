import Foundation
import Testing
import SystemIO
import TestSupport
@testable import PprofFormat

/// Gzip files stream from their descriptor: what happens when the file is damaged, shrinks or
/// vanishes while it is read, and at the seams between the pieces it is read in.
@Suite struct StreamedFileTests {
    func write(_ bytes: [UInt8], name: String = "profile.pb.gz") -> String {
        let path = Fixtures.temporaryDirectory("streamed") + "/" + name
        FileWriter.write(path, bytes)
        return path
    }

    func loadFailure(_ path: String) -> String {
        do {
            _ = try ProfileFile.load(path)
            return "loaded"
        } catch {
            return error.description
        }
    }

    /// A profile with a skipped field of `padding` incompressible bytes in front, so that its
    /// gzip file is large enough to be read in several pieces.
    func paddedProfile(padding: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var w = ProtoWriter()
        w.key(100, 2)
        w.varint(UInt64(padding))
        var bytes = w.bytes
        bytes += (0 ..< padding).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
        return bytes + DecodeTests.simple().encode()
    }

    @Test func aStreamedFileDecodesAsItsBytesDo() throws {
        let raw = paddedProfile(padding: 700_000)
        let path = write(gzipCompress(raw))
        let streamed = try ProfileFile.load(path)
        let inMemory = try ProfileParser.decode(gzipCompress(raw))
        #expect(streamed.wasCompressed)
        #expect(streamed.uncompressedByteCount == raw.count)
        #expect(streamed.profile.samples.values == inMemory.profile.samples.values)
        #expect(streamed.profile.samples.stacks == inMemory.profile.samples.stacks)
    }

    @Test func aTruncatedFileIsReportedNotTrapped() {
        let compressed = gzipCompress(paddedProfile(padding: 600_000))
        for cut in [10, 1000, compressed.count / 2, compressed.count - 9, compressed.count - 1] {
            let message = loadFailure(write(Array(compressed.prefix(cut))))
            #expect(message.contains("gzip"), "cut at \(cut): \(message)")
        }
    }

    @Test func aFileThatShrinksWhileItIsReadEndsInAnError() throws {
        let compressed = gzipCompress(paddedProfile(padding: 600_000))
        let path = write(compressed)
        let file = try ReadableFile(path: path)
        // The writer truncates the file after it was opened (and its size taken).
        #expect(truncate(path, off_t(compressed.count / 3)) == 0)
        do {
            _ = try ProfileParser.decode(file: file, options: DecodeOptions())
            Issue.record("a shrunken file decoded")
        } catch {
            #expect(error.description.contains("truncated gzip data"))
        }
    }

    @Test func aFileThatVanishesWhileItIsReadIsReadToTheEnd() throws {
        let raw = paddedProfile(padding: 400_000)
        let path = write(gzipCompress(raw))
        let file = try ReadableFile(path: path)
        #expect(unlink(path) == 0)
        let decoded = try ProfileParser.decode(file: file, options: DecodeOptions())
        #expect(decoded.uncompressedByteCount == raw.count)
        #expect(loadFailure(path).contains("No such file"))
    }

    @Test func aFolderOrAnEmptyFileIsRefused() {
        #expect(loadFailure(Fixtures.temporaryDirectory("streamed-folder")).contains("not a regular file"))
        #expect(loadFailure(write([])).contains("empty file"))
        #expect(loadFailure(write([0x1F])).contains("not a valid pprof profile"))
    }

    /// Two gzip members whose boundary falls on every position around the end of the first
    /// 64 KiB piece of the file (files under 4 MiB are read in 64 KiB pieces): the next member's
    /// magic may be split across two reads.
    @Test func membersSplitAcrossPiecesJoin() throws {
        let raw = paddedProfile(padding: 240_000)
        let half = 50_000
        let first = gzipCompress(Array(raw[..<half]))
        let second = gzipCompress(Array(raw[half...]))
        let piece = 64 << 10
        for boundary in piece - 3 ... piece + 1 {
            // An extra field in the first member's header pads it to end at `boundary`.
            let padding = boundary - first.count - 2
            try #require(padding >= 0 && padding < 65536)
            var padded = Array(first[..<10])
            padded[3] |= 4
            padded += [UInt8(padding & 0xFF), UInt8(padding >> 8)] + [UInt8](repeating: 0x41, count: padding)
            padded += first[10...]
            #expect(padded.count == boundary)
            let loaded = try ProfileFile.load(write(padded + second))
            #expect(loaded.uncompressedByteCount == raw.count, "boundary \(boundary)")
            #expect(loaded.profile.samples.count == 2)
        }
        // Garbage after the last member, at the same seams, is refused.
        for boundary in piece - 1 ... piece {
            let filler = [UInt8](repeating: 0x41, count: boundary - first.count - 2)
            var padded = Array(first[..<10])
            padded[3] |= 4
            padded += [UInt8(filler.count & 0xFF), UInt8(filler.count >> 8)] + filler + first[10...]
            #expect(loadFailure(write(padded + [0x1F, 0x00, 0x00])).contains("unexpected data after the end of the gzip stream"))
        }
    }
}
