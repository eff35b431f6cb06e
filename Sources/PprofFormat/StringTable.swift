/// A profile's string table: every string's UTF-8 bytes in one buffer, and where each ends.
///
/// A profile holds a string per function name and file, tens of thousands of them. As Swift
/// strings, each longer than 15 bytes would be an allocation of its own (a 27-byte Go name takes
/// 80 bytes of heap and 16 more in the array); here it takes its bytes and 4 more. Code that
/// needs a `String` gets one made on the spot; names that must stay (a function's identity)
/// refer to the table by index instead of copying the string.
///
/// A final class, so that those references hold one pointer rather than a copy of two arrays.
public final class StringTable: Sendable, Equatable, CustomStringConvertible {
    /// The strings' bytes, valid UTF-8: the decoder repairs what is not.
    private let bytes: [UInt8]
    /// String `i` is `bytes[start ..< ends[i]]`, where `start` is `ends[i - 1]` (0 for the first).
    private let ends: [UInt32]

    /// The table holding only the empty string, as an empty profile's table does.
    public static let empty = StringTable([""])

    fileprivate init(bytes: [UInt8], ends: [UInt32]) {
        self.bytes = bytes
        self.ends = ends
    }

    /// A table of these strings, in order. Traps past 4 GiB of bytes: for tables built in code,
    /// not from input (the decoder builds its table with `Builder`, which refuses instead).
    public convenience init(_ strings: [String]) {
        var builder = Builder()
        for string in strings {
            guard builder.append(string) else { preconditionFailure("a string table built in code passed 4 GiB") }
        }
        self.init(bytes: builder.bytes, ends: builder.ends)
    }

    public var count: Int { ends.count }

    /// String `i`, made from the table's bytes.
    public subscript(i: Int) -> String {
        withUTF8(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of string `i`, without making a `String`.
    public func withUTF8<Result>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let range = self.range(i)
        return try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[range]))
        }
    }

    /// Whether string `i` is the empty string.
    public func isEmpty(_ i: Int) -> Bool { range(i).isEmpty }

    /// Whether string `i` and string `j` of `other` have the same bytes.
    public func same(_ i: Int, as j: Int, in other: StringTable) -> Bool {
        if self === other && i == j { return true }
        let a = range(i), b = other.range(j)
        guard a.count == b.count else { return false }
        return bytes[a].elementsEqual(other.bytes[b])
    }

    private func range(_ i: Int) -> Range<Int> {
        (i == 0 ? 0 : Int(ends[i - 1])) ..< Int(ends[i])
    }

    public static func == (a: StringTable, b: StringTable) -> Bool {
        a === b || (a.ends == b.ends && a.bytes == b.bytes)
    }

    public var description: String { "StringTable(\(count) strings, \(bytes.count) bytes)" }

    /// A table being filled, string by string.
    public struct Builder: Sendable {
        fileprivate var bytes: [UInt8] = []
        fileprivate var ends: [UInt32] = []

        public init() {}

        public var count: Int { ends.count }
        public var isEmpty: Bool { ends.isEmpty }

        /// Whether the first string is empty, as the format asks.
        public var startsEmpty: Bool { ends.first == 0 }

        public mutating func reserveCapacity(strings: Int) {
            ends.reserveCapacity(strings)
        }

        /// Adds a string of valid UTF-8. Returns false, adding nothing, when the table would
        /// pass 4 GiB: ends are kept in 32 bits.
        public mutating func append(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
            guard UInt64(bytes.count) + UInt64(utf8.count) <= UInt64(UInt32.max) else { return false }
            bytes.append(contentsOf: utf8)
            ends.append(UInt32(bytes.count))
            return true
        }

        public mutating func append(_ string: String) -> Bool {
            var string = string
            return string.withUTF8 { append(utf8: $0) }
        }

        public func finish() -> StringTable {
            StringTable(bytes: bytes, ends: ends)
        }
    }
}
