import SystemIO

/// Options for reading a profile.
public struct DecodeOptions: Sendable {
    /// Gzip data that decompresses to more than this many bytes is refused, so that a gzip
    /// bomb costs a bounded amount of time and no memory. 1 GiB by default.
    public var maxDecompressedBytes: Int

    public init(maxDecompressedBytes: Int = 1 << 30) {
        self.maxDecompressedBytes = maxDecompressedBytes
    }
}

/// A decoded profile together with what was repaired on the way.
public struct DecodedProfile: Sendable {
    public var profile: Profile
    /// Repairs made while decoding (dangling ids dropped, invalid UTF-8 replaced, ...).
    public var warnings: [String]
    /// Whether the bytes were gzip-compressed.
    public var wasCompressed: Bool
    /// The size of the uncompressed protobuf.
    public var uncompressedByteCount: Int
}

/// Turns the bytes of a pprof file, gzipped or raw, into a `Profile`.
public enum ProfileParser {
    /// Decodes `bytes`, which may be gzip-compressed (recognised by its magic number, never by a
    /// file name) or a raw protobuf `Profile`.
    /// Bytes that are no protobuf profile are read in the legacy formats `go tool pprof` reads
    /// (`LegacyProfileParser`).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> DecodedProfile {
        guard !bytes.isEmpty else { throw DecodeError("empty file: no profile data") }
        if let legacy = try decodeLegacyText(bytes) { return legacy }
        do throws(DecodeError) {
            return try decodeProtobuf(bytes, options: options)
        } catch {
            return try decodeLegacy(bytes, options: options, protobufError: error)
        }
    }

    private static func decodeProtobuf(_ bytes: UnsafeBufferPointer<UInt8>, options: DecodeOptions) throws(DecodeError) -> DecodedProfile {
        if Gzip.isCompressed(bytes) {
            // The worker reads `bytes`, which the caller owns only until we return: `decodeGzip`
            // stops it before returning.
            return try decodeGzip(.memory(bytes), compressedSize: bytes.count, options: options)
        }
        return try decode(InputWindow(bytes: bytes), gzip: nil, options: options)
    }

    /// Decodes an open file: a gzip file streams from its descriptor through the inflater, so
    /// that the compressed bytes are never held whole; a raw protobuf is read whole.
    static func decode(file: ReadableFile, options: DecodeOptions) throws(DecodeError) -> DecodedProfile {
        var magic: (UInt8, UInt8) = (0, 0)
        let count: Int
        do {
            count = try withUnsafeMutableBytes(of: &magic) { (raw) throws(SystemError) -> Int in try file.read(at: 0, into: raw) }
        } catch {
            throw DecodeError.readFailure(error)
        }
        if count == 0 { throw DecodeError("empty file: no profile data") }
        if count == 2 && Gzip.isCompressed([magic.0, magic.1]) {
            do throws(DecodeError) {
                return try decodeGzip(.file(file), compressedSize: Int(max(file.status.size, 0)), options: options)
            } catch {
                // Not a protobuf inside: a gzipped legacy profile, or something to name. The
                // compressed bytes are read whole only on this path.
                let whole: [UInt8]
                do { whole = try file.readAll() } catch let readError { throw DecodeError.readFailure(readError) }
                return try whole.withUnsafeBufferPointer { (buffer) throws(DecodeError) -> DecodedProfile in
                    try decodeLegacy(buffer, options: options, protobufError: error)
                }
            }
        }
        let bytes: [UInt8]
        do {
            bytes = try file.readAll()
        } catch {
            throw DecodeError.readFailure(error)
        }
        return try decode(bytes, options: options)
    }

    private static func decodeGzip(_ input: CompressedInput, compressedSize: Int, options: DecodeOptions) throws(DecodeError) -> DecodedProfile {
        let gzip = try GzipInflater(input, limit: options.maxDecompressedBytes)
        // The trailer's size (a hint: it may lie, and it wraps at 4 GiB) sizes the buffers and
        // the arrays' reservations; a claim far beyond what real profiles compress to (a gzip
        // bomb's) is not believed.
        let hint = min(gzip.sizeHint ?? 0, options.maxDecompressedBytes, compressedSize < Int.max / 64 ? compressedSize * 64 : Int.max)
        // Large files inflate on a second thread while this one parses; small ones are not
        // worth the thread.
        let producer: ByteProducer
        var pipeline: PipelinedInflater?
        // Buffers in proportion: a few MB of profile need no MB-sized chunks.
        let chunkSize = hint >= 16 << 20 ? 256 << 10 : 64 << 10
        if compressedSize >= 256 << 10 {
            let pipelined = PipelinedInflater(gzip, chunkSize: chunkSize)
            pipeline = pipelined
            producer = pipelined
        } else {
            producer = gzip
        }
        defer { pipeline?.stop() }
        let window = InputWindow(producer: producer, initialCapacity: chunkSize)
        return try decode(window, gzip: gzip, sizeHint: hint, options: options)
    }

    private static func decode(_ window: InputWindow, gzip: GzipInflater?, sizeHint: Int = 0,
                               options: DecodeOptions) throws(DecodeError) -> DecodedProfile {
        var decoder = ProfileDecoder()
        decoder.reserve(uncompressedSize: sizeHint)
        try parseTopLevel(window, into: &decoder, limit: gzip == nil ? nil : options.maxDecompressedBytes)
        let size = window.offset
        if size == 0 { throw DecodeError("empty profile: the data decompresses to nothing") }
        var warnings: [String] = []
        let profile = try decoder.finish(warnings: &warnings)
        return DecodedProfile(profile: profile, warnings: warnings, wasCompressed: gzip != nil, uncompressedByteCount: size)
    }

    public static func decode(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> DecodedProfile {
        try bytes.withUnsafeBufferPointer { (buffer) throws(DecodeError) -> DecodedProfile in
            try decode(buffer, options: options)
        }
    }

    /// Reads top-level fields one at a time from the window. Length-delimited fields that the
    /// decoder reads are made whole in the window first; the rest are streamed past.
    /// `limit` is the decompression cap for gzip input; raw input is bounded by its own size.
    private static func parseTopLevel(_ window: InputWindow, into decoder: inout ProfileDecoder, limit: Int?) throws(DecodeError) {
        // A key and a length prefix take at most 20 bytes.
        let headerBytes = 20
        while true {
            try window.fill(atLeast: headerBytes)
            if window.available == 0 { return }
            var header = WireReader(window.bytes, origin: window.offset)
            let fieldOffset = header.absoluteOffset
            let (field, wire) = try header.readKey()
            switch wire {
            case .varint:
                let value = try header.readVarint()
                window.consume(header.position)
                try decoder.decodeVarint(field: field, value: value, at: fieldOffset)
            case .fixed64, .fixed32:
                _ = try header.readFixed(wire == .fixed64 ? 8 : 4)
                window.consume(header.position)
                try decoder.decodeFixed(field: field, at: fieldOffset)
            case .lengthDelimited:
                let rawLength = try header.readVarint()
                window.consume(header.position)
                if let limit {
                    guard rawLength <= UInt64(limit) else {
                        throw DecodeError("field \(field) claims \(rawLength) bytes, more than the decompression limit of \(ByteCountText.format(limit))", at: fieldOffset)
                    }
                } else if rawLength > UInt64(window.available) {
                    throw DecodeError("truncated profile: field \(field) needs \(rawLength) bytes but only \(window.available) remain", at: fieldOffset)
                }
                let length = Int(rawLength)
                if decoder.decodesLengthDelimited(field: field) {
                    try window.fill(atLeast: length)
                    guard window.available >= length else {
                        throw DecodeError("truncated profile: field \(field) needs \(length) bytes but only \(window.available) remain", at: fieldOffset)
                    }
                    var body = WireReader(UnsafeBufferPointer(rebasing: window.bytes[0 ..< length]), origin: window.offset)
                    try decoder.decodeLengthDelimited(field: field, &body)
                    window.consume(length)
                } else {
                    try window.discard(length)
                }
            case .startGroup, .endGroup:
                throw DecodeError("unsupported wire type \(wire.rawValue) (group) for field \(field)", at: fieldOffset)
            }
        }
    }
}
