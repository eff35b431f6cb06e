import PprofFormat

/// A function's name, as a string of a profile's `StringTable`.
///
/// An index keeps a name per function, tens of thousands of them. Holding each as a `String`
/// made from the table would allocate it again; this holds the table and a number. Names are
/// equal, hash and sort by their bytes, whichever table holds them, so that the same function
/// in two profiles (a baseline, a series) is one key, and a name written in code finds it.
public struct FunctionName: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    let table: StringTable
    let index: UInt32

    /// String `index` of `table`, an index the decoder has checked.
    init(table: StringTable, index: UInt32) {
        self.table = table
        self.index = index
    }

    /// A name from code or from a request: a table of its own.
    public init(_ string: String) {
        self.init(table: StringTable([string]), index: 0)
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The name as a `String`, made on the spot.
    public var string: String { table[Int(index)] }

    public var description: String { string }

    public var isEmpty: Bool { table.isEmpty(Int(index)) }

    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try table.withUTF8(Int(index), body)
    }

    public static func == (a: FunctionName, b: FunctionName) -> Bool {
        a.table.same(Int(a.index), as: Int(b.index), in: b.table)
    }

    public func hash(into hasher: inout Hasher) {
        withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Bytewise, as Go compares strings.
    public static func < (a: FunctionName, b: FunctionName) -> Bool { compare(a, b) < 0 }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` by their UTF-8 bytes.
    public static func compare(_ a: FunctionName, _ b: FunctionName) -> Int {
        a.withUTF8 { x in b.withUTF8 { y in PprofOrder.compareBytes(x, y) } }
    }
}
