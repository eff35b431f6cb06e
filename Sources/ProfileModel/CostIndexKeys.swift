/// A key of one of `CostIndex`'s tables: a file, a line or a function.
///
/// The three kinds of key are all small integers, and a line key passed where a function key
/// was meant would read the wrong numbers without any error; the tag makes that a compile-time
/// error instead. A key is only meaningful for the index that handed it out.
public struct CostIndexKey<Tag>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    @inline(__always)
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The position in the index's arrays.
    @inline(__always)
    public var index: Int { Int(rawValue) }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String { String(rawValue) }
}

public enum FileKeyTag {}
public enum LineKeyTag {}
public enum FunctionKeyTag {}

/// A source file of a `CostIndex`.
public typealias FileKey = CostIndexKey<FileKeyTag>
/// A line (a file and a line number) of a `CostIndex`.
public typealias LineKey = CostIndexKey<LineKeyTag>
/// A function (by name) of a `CostIndex`.
public typealias FunctionKey = CostIndexKey<FunctionKeyTag>
