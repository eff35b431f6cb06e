/// Protobuf messages other than profiles, read and written by field number: Grafana Pyroscope's
/// query API wraps pprof profiles in a few small messages of its own.
///
/// Reading goes through the same checked `WireReader` as the profile decoder (every length,
/// varint and wire type checked, errors with byte offsets); the profile inside is then decoded
/// by `ProfileParser`, never by a second decoder. Writing covers what requests need: varints,
/// strings and embedded messages.
public enum ProtoMessage {
    /// A field's value as the wire carries it. `bytes` is a range of the buffer being read.
    public enum Value: Sendable, Equatable {
        case varint(UInt64)
        case fixed(UInt64)
        case bytes(Range<Int>)
    }

    /// Calls `body` with the number and value of every field of the message in `range` of
    /// `bytes` (the whole buffer by default), in wire order. Unknown fields are passed on too;
    /// groups are refused.
    public static func forEachField(in bytes: [UInt8], range: Range<Int>? = nil,
                                    _ body: (UInt64, Value) throws(DecodeError) -> Void) throws(DecodeError) {
        let range = range ?? 0 ..< bytes.count
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
            throw DecodeError("message range \(range) outside a buffer of \(bytes.count) bytes")
        }
        try bytes.withUnsafeBufferPointer { (all) throws(DecodeError) in
            let buffer = UnsafeBufferPointer(rebasing: all[range])
            var reader = WireReader(buffer, origin: range.lowerBound)
            while !reader.isAtEnd {
                let (field, wire) = try reader.readKey()
                switch wire {
                case .varint:
                    try body(field, .varint(try reader.readVarint()))
                case .fixed64:
                    try body(field, .fixed(try reader.readFixed(8)))
                case .fixed32:
                    try body(field, .fixed(try reader.readFixed(4)))
                case .lengthDelimited:
                    let count = try reader.readLength()
                    let start = range.lowerBound + reader.position
                    _ = reader.readBytes(count: count)
                    try body(field, .bytes(start ..< start + count))
                case .startGroup, .endGroup:
                    throw reader.error("unsupported wire type \(wire.rawValue) (group) for field \(field)")
                }
            }
        }
    }

    /// The UTF-8 text of a `bytes` value (invalid sequences replaced), or nil for another wire type.
    public static func string(_ value: Value, in bytes: [UInt8]) -> String? {
        guard case .bytes(let range) = value else { return nil }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// Builds a message field by field.
    public struct Writer: Sendable {
        public private(set) var bytes: [UInt8] = []

        public init() {}

        public mutating func varint(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }

        private mutating func key(_ field: UInt64, _ wire: WireType) {
            varint(field << 3 | UInt64(wire.rawValue))
        }

        /// An `int64` or enum field. Written even when zero: proto3 `optional` fields need that,
        /// and callers leave out the fields they mean to omit.
        public mutating func int64(_ field: UInt64, _ value: Int64) {
            key(field, .varint)
            varint(UInt64(bitPattern: value))
        }

        public mutating func bytes(_ field: UInt64, _ data: [UInt8]) {
            key(field, .lengthDelimited)
            varint(UInt64(data.count))
            bytes += data
        }

        public mutating func string(_ field: UInt64, _ text: String) {
            bytes(field, Array(text.utf8))
        }

        public mutating func message(_ field: UInt64, _ build: (inout Writer) -> Void) {
            var inner = Writer()
            build(&inner)
            bytes(field, inner.bytes)
        }
    }
}

/// Gzip data outside a profile: HTTP bodies sent with `Content-Encoding: gzip`.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number: the one test of it, for files, heads
    /// of files and bodies alike.
    public static func isCompressed<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard bytes.count >= 2 else { return false }
        return bytes[bytes.startIndex] == 0x1F && bytes[bytes.index(after: bytes.startIndex)] == 0x8B
    }

    /// The decompressed bytes, refused past `limit` bytes (a gzip bomb costs no memory beyond it).
    public static func inflate(_ bytes: [UInt8], limit: Int) throws(DecodeError) -> [UInt8] {
        try bytes.withUnsafeBufferPointer { (input) throws(DecodeError) -> [UInt8] in
            try ProfileParser.inflate(input, limit: limit)
        }
    }
}
