import CZlib
import Foundation

/// Writes protobuf wire format by hand, for building well-formed and deliberately broken
/// profiles in tests.
public struct ProtoWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func key(_ field: UInt64, _ wire: UInt64) { varint(field << 3 | wire) }

    public mutating func int(_ field: UInt64, _ value: Int64) {
        key(field, 0)
        varint(UInt64(bitPattern: value))
    }

    public mutating func uint(_ field: UInt64, _ value: UInt64) {
        key(field, 0)
        varint(value)
    }

    public mutating func message(_ field: UInt64, _ body: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        body(&inner)
        bytes(field, inner.bytes)
    }

    public mutating func bytes(_ field: UInt64, _ data: [UInt8]) {
        key(field, 2)
        varint(UInt64(data.count))
        bytes += data
    }

    public mutating func string(_ field: UInt64, _ text: String) { bytes(field, Array(text.utf8)) }

    public mutating func packed(_ field: UInt64, _ values: [UInt64]) {
        var inner = ProtoWriter()
        for v in values { inner.varint(v) }
        bytes(field, inner.bytes)
    }

    public mutating func raw(_ data: [UInt8]) { bytes += data }
}

/// A small profile described in terms of names and stacks, encoded as profile.proto.
public struct TestProfile {
    public struct Frame {
        public var function: String
        public var file: String
        public var line: Int64
        public init(_ function: String, _ file: String, _ line: Int64) {
            self.function = function
            self.file = file
            self.line = line
        }
    }

    public var sampleTypes: [(String, String)] = [("samples", "count"), ("cpu", "nanoseconds")]
    /// Each sample: its stack (leaf first), each location a list of frames (innermost first).
    public var samples: [(stack: [[Frame]], values: [Int64])] = []
    public var timeNanos: Int64 = 1_700_000_000_000_000_000
    public var periodType: (String, String)? = ("cpu", "nanoseconds")
    public var defaultSampleType: String?

    public init() {}

    public func encode() -> [UInt8] {
        var strings = [""]
        var stringIndex = ["": 0]
        func s(_ text: String) -> Int64 {
            if let i = stringIndex[text] { return Int64(i) }
            stringIndex[text] = strings.count
            strings.append(text)
            return Int64(strings.count - 1)
        }
        var w = ProtoWriter()
        for (type, unit) in sampleTypes {
            w.message(1) { $0.int(1, s(type)); $0.int(2, s(unit)) }
        }
        var functions: [String: (id: UInt64, file: String)] = [:]
        var functionOrder: [String] = []
        var locations: [[UInt64]: UInt64] = [:]
        var locationOrder: [[Frame]] = []
        var locationKeys: [[UInt64]] = []
        for sample in samples {
            var ids: [UInt64] = []
            for location in sample.stack {
                for frame in location where functions[frame.function] == nil {
                    functions[frame.function] = (UInt64(functions.count + 1), frame.file)
                    functionOrder.append(frame.function)
                }
                let key = location.flatMap { [functions[$0.function]!.id, UInt64($0.line)] }
                if locations[key] == nil {
                    locations[key] = UInt64(locations.count + 1)
                    locationOrder.append(location)
                    locationKeys.append(key)
                }
                ids.append(locations[key]!)
            }
            w.message(2) { m in
                m.packed(1, ids)
                m.packed(2, sample.values.map { UInt64(bitPattern: $0) })
            }
        }
        for (i, location) in locationOrder.enumerated() {
            w.message(4) { m in
                m.uint(1, UInt64(i + 1))
                for frame in location {
                    m.message(4) { $0.uint(1, functions[frame.function]!.id); $0.int(2, frame.line) }
                }
            }
        }
        for name in functionOrder {
            let f = functions[name]!
            w.message(5) { m in
                m.uint(1, f.id)
                m.int(2, s(name))
                m.int(4, s(f.file))
            }
        }
        if let (type, unit) = periodType {
            w.message(11) { $0.int(1, s(type)); $0.int(2, s(unit)) }
        }
        if let defaultSampleType { w.int(14, s(defaultSampleType)) }
        w.int(9, timeNanos)
        for text in strings { w.string(6, text) }
        return w.bytes
    }
}

/// Gzip-compresses bytes with the system zlib.
public func gzipCompress(_ input: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
    var input = input
    let produced: Int = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = UInt32(outBuffer.count)
            deflate(&stream, Z_FINISH)
            return outBuffer.count - Int(stream.avail_out)
        }
    }
    deflateEnd(&stream)
    return Array(output[..<produced])
}
