import CZlib

/// Something that produces the bytes of an uncompressed profile, a chunk at a time.
protocol ByteProducer: AnyObject {
    /// Writes up to `capacity` bytes at `destination` and returns how many; 0 means the end.
    func produce(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(DecodeError) -> Int
}

/// Streams the decompressed bytes of a gzip file through the system zlib.
///
/// Decompression never holds the whole output: the decoder pulls chunks into its window, so a
/// gzip bomb is refused after `limit` bytes have streamed through, without ever allocating them.
/// Several gzip members in a row are decompressed as one stream, as Go's gzip reader does; if
/// they hold several profiles, the decoder then reports concatenated profiles.
final class GzipInflater: ByteProducer {
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeBufferPointer<UInt8>
    private let limit: Int
    private(set) var produced = 0
    private var finished = false

    init(input: UnsafeBufferPointer<UInt8>, limit: Int) throws(DecodeError) {
        self.input = input
        self.limit = limit
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = 0
        // 15 window bits plus 16 selects the gzip wrapper only.
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw DecodeError("cannot start gzip decompression (zlib error \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    private var consumed: Int {
        input.count - remainingInput
    }

    private var remainingInput: Int {
        Int(stream.pointee.avail_in) + pendingInput
    }

    /// zlib counts input in 32 bits; what does not fit in `avail_in` yet waits here.
    private var pendingInput = 0
    private var started = false

    func produce(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(DecodeError) -> Int {
        if finished || capacity == 0 { return 0 }
        if !started {
            started = true
            feed(from: 0)
        }
        // Ask for one byte more than the limit allows, so that reaching it is detectable.
        let room = min(capacity, limit - produced + 1, Int(UInt32.max))
        stream.pointee.next_out = destination
        stream.pointee.avail_out = UInt32(room)
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && pendingInput > 0 { feed(from: consumed) }
            let status = inflate(stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                if try !startNextMember() {
                    finished = true
                    break
                }
                continue
            }
            if status == Z_BUF_ERROR || (status == Z_OK && stream.pointee.avail_in == 0 && pendingInput == 0 && stream.pointee.avail_out > 0) {
                if stream.pointee.avail_in == 0 && pendingInput == 0 {
                    throw DecodeError("truncated gzip data: the compressed stream ends before its end marker")
                }
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

    private func feed(from offset: Int) {
        let left = input.count - offset
        let chunk = min(left, Int(UInt32.max))
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + offset })
        stream.pointee.avail_in = UInt32(chunk)
        pendingInput = left - chunk
    }

    /// After a gzip member ends, continues with the next member if one follows.
    private func startNextMember() throws(DecodeError) -> Bool {
        let offset = consumed
        if remainingInput == 0 { return false }
        guard remainingInput >= 2, input[offset] == 0x1F, input[offset + 1] == 0x8B else {
            throw DecodeError("unexpected data after the end of the gzip stream (at compressed byte \(offset))")
        }
        guard inflateReset(stream) == Z_OK else {
            throw DecodeError("cannot restart gzip decompression for the next member")
        }
        feed(from: offset)
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
