/// Protobuf wire types, as the encoding defines them.
///
/// Groups (3 and 4) are deprecated and never used by profile.proto; types 6 and 7 do not exist.
/// Both are rejected rather than skipped, as google/pprof's decoder does.
enum WireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// Reads protobuf wire-format values from a byte range that is entirely in memory.
///
/// Every read checks the remaining length first, so no input can make it read out of bounds;
/// the unchecked pointer reads below are safe because `position < end` is tested before each.
/// Errors carry absolute offsets (`origin` is the offset of `base` in the whole profile).
struct WireReader {
    let base: UnsafePointer<UInt8>
    private(set) var position: Int
    let end: Int
    let origin: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, origin: Int) {
        // An empty buffer may have a nil base address; any non-nil pointer works since nothing is read.
        self.base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.position = 0
        self.end = buffer.count
        self.origin = origin
    }

    var isAtEnd: Bool { position >= end }
    var remaining: Int { end - position }
    var absoluteOffset: Int { origin + position }

    func error(_ message: String) -> DecodeError {
        DecodeError(message, at: origin + position)
    }

    /// Reads a base-128 varint. The single-byte case is inlined because packed location ids
    /// and values are mostly small numbers.
    @inline(__always)
    mutating func readVarint() throws(DecodeError) -> UInt64 {
        if position < end {
            let first = base[position]
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
        }
        return try readLongVarint()
    }

    /// Varints are at most 10 bytes. Bits beyond 64 in the tenth byte are dropped, as Go's
    /// decoder drops them, so that we accept exactly what `go tool pprof` accepts.
    mutating func readLongVarint() throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = position
        while true {
            guard p < end else { throw error("truncated varint") }
            let byte = base[p]
            p += 1
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 {
                position = p
                return result
            }
            shift += 7
            if shift >= 70 { throw error("varint longer than 10 bytes") }
        }
    }

    /// Reads a field key and splits it into field number and wire type.
    @inline(__always)
    mutating func readKey() throws(DecodeError) -> (field: UInt64, wire: WireType) {
        let start = position
        let key = try readVarint()
        let field = key >> 3
        guard field != 0 else {
            throw DecodeError("invalid field number 0", at: origin + start)
        }
        guard let wire = WireType(rawValue: UInt8(key & 7)) else {
            throw DecodeError("invalid wire type \(key & 7) for field \(field)", at: origin + start)
        }
        return (field, wire)
    }

    /// Reads the length prefix of a length-delimited field and checks that the bytes are there.
    mutating func readLength() throws(DecodeError) -> Int {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw DecodeError("length-delimited field of \(length) bytes runs past the end of its message (\(remaining) bytes left)", at: origin + start)
        }
        return Int(length)
    }

    /// Returns the next `count` bytes as a reader of their own; `count` was checked by `readLength`.
    mutating func subReader(count: Int) -> WireReader {
        let sub = WireReader(UnsafeBufferPointer(start: base + position, count: count), origin: origin + position)
        position += count
        return sub
    }

    mutating func readBytes(count: Int) -> UnsafeBufferPointer<UInt8> {
        let bytes = UnsafeBufferPointer(start: base + position, count: count)
        position += count
        return bytes
    }

    mutating func readFixed(_ byteCount: Int) throws(DecodeError) -> UInt64 {
        guard remaining >= byteCount else { throw error("truncated \(byteCount * 8)-bit fixed field") }
        var value: UInt64 = 0
        for i in 0..<byteCount {
            value |= UInt64(base[position + i]) &<< UInt64(8 * i)
        }
        position += byteCount
        return value
    }

    /// Skips a field this decoder does not know, so that newer profile.proto fields load.
    mutating func skip(field: UInt64, wire: WireType) throws(DecodeError) {
        switch wire {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed(8)
        case .fixed32: _ = try readFixed(4)
        case .lengthDelimited: position += try readLength()
        case .startGroup, .endGroup:
            throw error("unsupported wire type \(wire.rawValue) (group) for field \(field)")
        }
    }

    // MARK: Fields of a message

    /// Calls `body` with each field's number and wire type, positioned at the field's value,
    /// until the message ends. `body` must read or skip the value. Every message decoder is
    /// this loop around a `switch` on the field number.
    @inline(__always)
    mutating func forEachField(_ body: (UInt64, WireType, inout WireReader) throws(DecodeError) -> Void) throws(DecodeError) {
        while !isAtEnd {
            let (field, wire) = try readKey()
            try body(field, wire, &self)
        }
    }

    /// Reads a varint field, rejecting any other wire type for a known field.
    @inline(__always)
    mutating func uint64Field(_ wire: WireType, _ field: UInt64) throws(DecodeError) -> UInt64 {
        guard wire == .varint else {
            throw error("field \(field) has wire type \(wire.rawValue); expected a varint")
        }
        return try readVarint()
    }

    /// A varint field read as protobuf's `int64` (two's complement).
    @inline(__always)
    mutating func int64Field(_ wire: WireType, _ field: UInt64) throws(DecodeError) -> Int64 {
        Int64(bitPattern: try uint64Field(wire, field))
    }

    mutating func boolField(_ wire: WireType, _ field: UInt64) throws(DecodeError) -> Bool {
        try uint64Field(wire, field) != 0
    }

    /// Reads an embedded message's bytes, rejecting any other wire type for a known field.
    mutating func messageField(_ wire: WireType, _ field: UInt64) throws(DecodeError) -> WireReader {
        guard wire == .lengthDelimited else {
            throw error("field \(field) has wire type \(wire.rawValue); expected a length-delimited message")
        }
        let count = try readLength()
        return subReader(count: count)
    }

    /// Reads a repeated integer field, packed (length-delimited) or one value per key, calling
    /// `body` with each value.
    @inline(__always)
    mutating func forEachRepeatedVarint(_ wire: WireType, _ field: UInt64, _ body: (UInt64) -> Void) throws(DecodeError) {
        switch wire {
        case .lengthDelimited:
            let count = try readLength()
            var packed = subReader(count: count)
            while !packed.isAtEnd { body(try packed.readVarint()) }
        case .varint:
            body(try readVarint())
        default:
            throw error("repeated integer field \(field) has wire type \(wire.rawValue)")
        }
    }
}

/// Decodes packed varints in one tight loop into a scratch buffer, then appends them to an
/// array in one piece: appending them one by one costs a uniqueness and capacity check each.
/// It handles only the common case and says so: a malformed varint, or one that does not fit,
/// is left to `WireReader`, whose errors say what is wrong and where.
final class PackedVarints {
    private var buffer: UnsafeMutablePointer<UInt32>
    private var capacity: Int

    init() {
        capacity = 256
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// Appends the varints of `bytes`, read as `int64`, to `array` when each is well formed (at
    /// most ten bytes); otherwise appends nothing and returns false.
    func appendValues(_ bytes: UnsafeBufferPointer<UInt8>, to array: inout [Int64]) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        // Values are decoded into the front of the scratch buffer, two words each.
        if bytes.count * 2 > capacity {
            buffer.deallocate()
            capacity = Swift.max(bytes.count * 2, capacity * 2)
            buffer = .allocate(capacity: capacity)
        }
        let out = UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: Int64.self)
        var p = base
        let end = base + bytes.count
        var n = 0
        while p < end {
            var byte = UInt64(p.pointee)
            p += 1
            var value = byte & 0x7F
            var shift: UInt64 = 7
            while byte >= 0x80 {
                guard p < end, shift < 70 else { return false }
                byte = UInt64(p.pointee)
                p += 1
                // Bits beyond 64 in a tenth byte are dropped, as `readLongVarint` drops them.
                value |= (byte & 0x7F) &<< shift
                shift += 7
            }
            out[n] = Int64(bitPattern: value)
            n += 1
        }
        array.append(contentsOf: UnsafeBufferPointer(start: out, count: n))
        return true
    }

    /// What `appendNarrow` did.
    enum NarrowAppend {
        case appended
        /// A value (minus one) does not fit the array's element: nothing was appended.
        case tooLarge
        /// A varint is malformed or beyond 32 bits: nothing was appended.
        case failed
    }

    /// Appends the varints of `bytes`, each minus one (wrapping), to `array` when each is well
    /// formed and fits in its element (16 or 32 bits), raising `max` to the largest value
    /// appended; otherwise appends nothing and says why.
    func appendNarrow<Element: FixedWidthInteger & UnsignedInteger>(_ bytes: UnsafeBufferPointer<UInt8>, to array: inout [Element],
                                                                    max: inout UInt32) -> NarrowAppend {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .appended }
        if bytes.count > capacity {
            // One varint per byte at most.
            buffer.deallocate()
            capacity = Swift.max(bytes.count, capacity * 2)
            buffer = .allocate(capacity: capacity)
        }
        var p = base
        let end = base + bytes.count
        var n = 0
        var largest = max
        let out = buffer
        while p < end {
            if end - p >= 4 {
                // Four bytes at once: a varint of one to four bytes (ids below 2^28, nearly all)
                // is read from them with masks instead of a loop.
                let word = UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
                var value: UInt32
                if word & 0x80 == 0 {
                    value = word & 0x7F
                    p += 1
                } else if word & 0x8000 == 0 {
                    value = word & 0x7F | (word >> 1) & 0x3F80
                    p += 2
                } else if word & 0x80_0000 == 0 {
                    value = word & 0x7F | (word >> 1) & 0x3F80 | (word >> 2) & 0x1F_C000
                    p += 3
                } else if word & 0x8000_0000 == 0 {
                    value = word & 0x7F | (word >> 1) & 0x3F80 | (word >> 2) & 0x1F_C000 | (word >> 3) & 0x0FE0_0000
                    p += 4
                } else {
                    value = 0
                }
                if word & 0x8080_8080 != 0x8080_8080 {
                    let stored = value &- 1
                    out[n] = stored
                    largest = Swift.max(largest, stored)
                    n += 1
                    continue
                }
            }
            var byte = UInt32(p.pointee)
            p += 1
            if byte < 0x80 {
                let stored = byte &- 1
                out[n] = stored
                largest = Swift.max(largest, stored)
                n += 1
                continue
            }
            // Up to five bytes make 32 bits; the fifth may hold only four.
            var value = byte & 0x7F
            var shift: UInt32 = 7
            repeat {
                guard p < end, shift <= 28 else { return .failed }
                byte = UInt32(p.pointee)
                p += 1
                if shift == 28 && byte > 0x0F { return .failed }
                value |= (byte & 0x7F) &<< shift
                shift += 7
            } while byte >= 0x80
            let stored = value &- 1
            out[n] = stored
            largest = Swift.max(largest, stored)
            n += 1
        }
        if Element.self == UInt32.self {
            UnsafeBufferPointer(start: out, count: n).withMemoryRebound(to: Element.self) { array.append(contentsOf: $0) }
        } else {
            guard UInt64(largest) <= UInt64(Element.max) else { return .tooLarge }
            for i in 0 ..< n { array.append(Element(truncatingIfNeeded: out[i])) }
        }
        max = largest
        return .appended
    }
}
