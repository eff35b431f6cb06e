#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hot paths of decoding: samples (millions of stack entries in a large profile), strings,
/// and the reservations that keep the big arrays from growing by copying.
extension ProfileDecoder {
    /// Sizes the sample arrays from the uncompressed size (a hint from the gzip trailer), so
    /// that the largest one, the stacks, never grows by copying: a stack entry takes at least one
    /// byte, and the pages of capacity that are never written cost no memory.
    mutating func reserve(uncompressedSize: Int) {
        sizeHint = uncompressedSize
        guard uncompressedSize >= 1 << 20 else { return }
        Self.reserveStacks(&shortLocationIDs, uncompressedSize: uncompressedSize)
    }

    /// Room for every stack entry the rest of the profile can hold, in `array`.
    static func reserveStacks<Element>(_ array: inout [Element], uncompressedSize: Int) {
        array.reserveCapacity(min(uncompressedSize / 2, 1 << 28))
        #if os(Linux)
        // Tens of MB of stack entries would take a page fault every 4 KiB: asking for huge
        // pages (where the system gives them on request) makes that one fault per 2 MiB.
        if uncompressedSize >= 16 << 20 {
            let capacity = array.capacity
            array.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                let huge = 2 << 20
                let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
                let end = (Int(bitPattern: base) + capacity * MemoryLayout<Element>.stride) & ~(huge - 1)
                if end > start, let address = UnsafeMutableRawPointer(bitPattern: start) {
                    _ = madvise(address, end - start, MADV_HUGEPAGE)
                }
            }
        }
        #endif
    }

    /// Moves the ids from 16 bits to 32 (the first that does not fit has come), with room for
    /// the rest of the profile.
    mutating func widenShortLocationIDs() {
        if sizeHint >= 1 << 20 { Self.reserveStacks(&narrowLocationIDs, uncompressedSize: sizeHint) }
        narrowLocationIDs.append(contentsOf: shortLocationIDs.lazy.map(UInt32.init))
        shortLocationIDs = []
        locationIDWidth = .narrow
    }

    /// At the first of a kind of message, room for as many as the rest of the profile could
    /// hold (each takes at least `minimumSize` bytes), so that the arrays never grow by copying.
    /// `offset` is where the message starts.
    func expectedCount(after offset: Int, minimumSize: Int) -> Int {
        guard sizeHint >= 1 << 20, offset < sizeHint else { return 0 }
        return min((sizeHint - offset) / minimumSize, 1 << 26)
    }

    /// The hot path: a 400,000-sample profile spends most of its decoding time here. Packed
    /// location ids and values are decoded by `PackedVarints` into a scratch buffer and
    /// appended in one piece; anything unusual takes the general path.
    mutating func decodeSample(_ r: inout WireReader) throws(DecodeError) {
        let valuesBefore = values.count
        if sampleLocationStart.count == 1 {
            let count = expectedCount(after: r.origin, minimumSize: 8)
            if count > 0 {
                sampleLocationStart.reserveCapacity(count + 1)
                values.reserveCapacity(count * max(sampleTypes.count, 1))
            }
        }
        try r.forEachField { field, wire, r throws(DecodeError) in
            switch field {
            case ProfileProto.Sample.locationID:
                if wire == .lengthDelimited, locationIDWidth != .wide {
                    let count = try r.readLength()
                    let start = r.position
                    let packed = r.readBytes(count: count)
                    var appended = locationIDWidth == .short
                        ? scratch.appendNarrow(packed, to: &shortLocationIDs, max: &narrowLocationIDMax) : .tooLarge
                    if appended == .tooLarge {
                        if locationIDWidth == .short { widenShortLocationIDs() }
                        appended = scratch.appendNarrow(packed, to: &narrowLocationIDs, max: &narrowLocationIDMax)
                    }
                    if appended != .appended {
                        // An id beyond 32 bits, or a malformed varint: the general path reads
                        // it again, with its exact errors.
                        var again = WireReader(packed, origin: r.origin + start)
                        while !again.isAtEnd { appendLocationID(try again.readVarint()) }
                    }
                } else {
                    try r.forEachRepeatedVarint(wire, field) { appendLocationID($0) }
                }
            case ProfileProto.Sample.value:
                if wire == .lengthDelimited {
                    let count = try r.readLength()
                    let start = r.position
                    let packed = r.readBytes(count: count)
                    if !scratch.appendValues(packed, to: &values) {
                        var again = WireReader(packed, origin: r.origin + start)
                        while !again.isAtEnd { values.append(Int64(bitPattern: try again.readVarint())) }
                    }
                } else {
                    try r.forEachRepeatedVarint(wire, field) { values.append(Int64(bitPattern: $0)) }
                }
            case ProfileProto.Sample.label:
                var m = try r.messageField(wire, field)
                labels.append(try Self.decodeLabel(&m))
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        sampleLocationStart.append(locationIDCount)
        let valueCount = values.count - valuesBefore
        if firstSampleValueCount < 0 {
            firstSampleValueCount = valueCount
        } else if oddSample < 0, valueCount != firstSampleValueCount {
            oddSample = sampleLocationStart.count - 2
            oddSampleValueCount = valueCount
        }
        if !labels.isEmpty {
            // Label starts are kept from the first sample with labels on (most profiles have
            // none): the samples before it start, and end, at 0.
            if sampleLabelStart.isEmpty { sampleLabelStart = [Int](repeating: 0, count: sampleLocationStart.count - 1) }
            sampleLabelStart.append(labels.count)
        }
    }

    @inline(__always)
    mutating func appendLocationID(_ id: UInt64) {
        if locationIDWidth != .wide, id <= UInt64(UInt32.max) {
            let stored = UInt32(truncatingIfNeeded: id) &- 1
            if locationIDWidth == .short, stored > UInt32(UInt16.max) { widenShortLocationIDs() }
            narrowLocationIDMax = max(narrowLocationIDMax, stored)
            if locationIDWidth == .short {
                shortLocationIDs.append(UInt16(truncatingIfNeeded: stored))
            } else {
                narrowLocationIDs.append(stored)
            }
        } else {
            if locationIDWidth == .short { widenShortLocationIDs() }
            if locationIDWidth == .narrow {
                wideLocationIDs = narrowLocationIDs.map { UInt64($0 &+ 1) }
                narrowLocationIDs = []
                locationIDWidth = .wide
            }
            wideLocationIDs.append(id)
        }
    }


    mutating func appendString(_ bytes: UnsafeBufferPointer<UInt8>, at origin: Int) throws(DecodeError) {
        // `String(validating:)` takes a generic path, a thousand instructions a string: ASCII
        // (nearly every name) is checked here, anything else is decoded and compared with its
        // bytes, which only a repair changes.
        var appended: Bool
        if Self.isASCII(bytes) {
            appended = strings.append(utf8: bytes)
        } else {
            var decoded = String(decoding: bytes, as: UTF8.self)
            let unchanged = decoded.withUTF8 { utf8 in
                utf8.count == bytes.count && (bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }
            // Invalid UTF-8 became U+FFFD, as Pyroscope and Python's "replace" decoding do.
            appended = strings.append(decoded)
            if !unchanged { invalidUTF8Strings += 1 }
        }
        if !appended {
            throw DecodeError("the string table passes 4 GiB", at: origin)
        }
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        // Eight bytes at a time.
        let raw = UnsafeRawPointer(base)
        while i + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < bytes.count {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }
}
