import CZlib
import SystemIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something that produces the bytes of an uncompressed profile, a chunk at a time.
protocol ByteProducer: AnyObject {
    /// Writes up to `capacity` bytes at `destination` and returns how many; 0 means the end.
    func produce(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(DecodeError) -> Int
}

/// Where the compressed bytes of a gzip profile come from: a buffer in memory, or a file read a
/// piece at a time so that the compressed file is never held whole.
enum CompressedInput {
    case memory(UnsafeBufferPointer<UInt8>)
    case file(ReadableFile)
}

/// Streams the decompressed bytes of a gzip file through the system zlib.
///
/// Decompression never holds the whole output: the decoder pulls chunks into its window, so a
/// gzip bomb is refused after `limit` bytes have streamed through, without ever allocating them.
/// Several gzip members in a row are decompressed as one stream, as Go's gzip reader does; if
/// they hold several profiles, the decoder then reports concatenated profiles.
final class GzipInflater: ByteProducer {
    private let stream: UnsafeMutablePointer<z_stream>
    private let limit: Int
    private(set) var produced = 0
    private var finished = false

    /// The compressed bytes at hand: all of a memory input, or what was last read from a file.
    /// zlib counts input in 32 bits, so a larger buffer is given to it in pieces.
    private var input: UnsafeBufferPointer<UInt8>
    /// How much of `input` zlib has been given (what it has not used is still in `avail_in`).
    private var fed = 0
    /// The compressed offset of `input[0]`.
    private var inputOffset = 0
    private let file: ReadableFile?
    private let fileBuffer: UnsafeMutableRawBufferPointer?
    private var fileEnded = false

    /// The uncompressed size the gzip trailer claims (modulo 2^32), when it can be read: a hint
    /// for sizing buffers, never trusted for anything else.
    let sizeHint: Int?

    init(_ source: CompressedInput, limit: Int) throws(DecodeError) {
        self.limit = limit
        switch source {
        case .memory(let bytes):
            input = bytes
            file = nil
            fileBuffer = nil
            sizeHint = bytes.count >= 18 ? Self.trailerSize(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[(bytes.count - 4)...]))) : nil
        case .file(let readable):
            input = UnsafeBufferPointer(start: nil, count: 0)
            file = readable
            // Small files are read in one piece; others in 64 KiB pieces, large ones in 256 KiB.
            let size = Int(max(readable.status.size, 0))
            let bufferSize = min(max(size, 4096), size >= 4 << 20 ? 256 << 10 : 64 << 10)
            fileBuffer = .allocate(byteCount: bufferSize, alignment: 16)
            var trailer: UInt32 = 0
            let count = size >= 18 ? (try? withUnsafeMutableBytes(of: &trailer) { (raw) throws(SystemError) -> Int in
                try readable.read(at: Int64(size - 4), into: raw)
            }) ?? 0 : 0
            sizeHint = count == 4 ? withUnsafeBytes(of: &trailer) { Self.trailerSize($0) } : nil
        }
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        // 15 window bits plus 16 selects the gzip wrapper only.
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            fileBuffer?.deallocate()
            throw DecodeError("cannot start gzip decompression (zlib error \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        fileBuffer?.deallocate()
    }

    private static func trailerSize(_ bytes: UnsafeRawBufferPointer) -> Int {
        Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
    }

    /// The compressed offset of the next byte zlib will read.
    private var consumed: Int {
        inputOffset + fed - Int(stream.pointee.avail_in)
    }

    /// Makes at least `minimum` unread compressed bytes available to zlib, unless the input ends
    /// first; returns whether it did. A file's unread bytes move to the front of its buffer and
    /// the next piece is read after them.
    private func refill(minimum: Int = 1) throws(DecodeError) -> Bool {
        let unread = Int(stream.pointee.avail_in)
        if unread >= minimum { return true }
        let start = consumed
        if let file, let fileBuffer {
            let base = fileBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if unread > 0 { memmove(base, stream.pointee.next_in, unread) }
            var total = unread
            while total < minimum, !fileEnded {
                let n: Int
                do {
                    n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: fileBuffer[total...]))
                } catch {
                    throw DecodeError.readFailure(error)
                }
                if n == 0 { fileEnded = true }
                total += n
            }
            inputOffset = start
            fed = total
            input = UnsafeBufferPointer(start: base, count: total)
            stream.pointee.next_in = base
            stream.pointee.avail_in = UInt32(total)
            return total >= minimum
        }
        // Memory: the next slice zlib can take, from the first unread byte.
        let count = min(input.count - start, Int(UInt32.max))
        guard count > 0 else { return false }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + start)
        stream.pointee.avail_in = UInt32(count)
        fed = start + count
        return count >= minimum
    }

    func produce(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(DecodeError) -> Int {
        if finished || capacity == 0 { return 0 }
        // Ask for one byte more than the limit allows, so that reaching it is detectable.
        let room = min(capacity, limit - produced + 1, Int(UInt32.max))
        stream.pointee.next_out = destination
        stream.pointee.avail_out = UInt32(room)
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0, try !refill() {
                throw DecodeError("truncated gzip data: the compressed stream ends before its end marker")
            }
            let status = inflate(stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                if try !startNextMember() {
                    finished = true
                    break
                }
                continue
            }
            if status == Z_BUF_ERROR && stream.pointee.avail_in > 0 {
                throw DecodeError("corrupt gzip data: zlib can make no progress")
            }
            if status == Z_BUF_ERROR || (status == Z_OK && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) {
                // zlib wants more input: the loop refills it, or reports the truncation.
                continue
            }
            guard status == Z_OK else {
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DecodeError("corrupt gzip data: \(reason)")
            }
        }
        let count = room - Int(stream.pointee.avail_out)
        produced += count
        if produced > limit {
            throw DecodeError("decompressed size exceeds the limit of \(ByteCountText.format(limit)); refusing it as a possible gzip bomb (raise the limit if the profile is real)")
        }
        return count
    }

    /// After a gzip member ends, continues with the next member if one follows.
    private func startNextMember() throws(DecodeError) -> Bool {
        let offset = consumed
        if try !refill(minimum: 1) { return false }
        guard try refill(minimum: 2), stream.pointee.next_in[0] == 0x1F, stream.pointee.next_in[1] == 0x8B else {
            throw DecodeError("unexpected data after the end of the gzip stream (at compressed byte \(offset))")
        }
        guard inflateReset(stream) == Z_OK else {
            throw DecodeError("cannot restart gzip decompression for the next member")
        }
        return true
    }
}

/// Formats byte counts for messages ("1 GiB", "512 MiB").
enum ByteCountText {
    static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 && value.truncatingRemainder(dividingBy: 1024) == 0 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : "\(Int(value)) \(units[unit])"
    }
}
