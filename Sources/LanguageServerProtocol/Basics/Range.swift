/// A range of a document, from `start` up to (not including) `end`.
///
/// The name follows the specification; inside this package it shadows `Swift.Range`, which
/// code here spells `Swift.Range` where it means the standard library's.
public struct Range: Codable, Hashable, Sendable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }

    /// The whole of one (zero-based) line, up to `length` UTF-16 code units.
    public static func line(_ line: Int, length: Int = 0) -> Range {
        Range(start: Position(line: line, character: 0), end: Position(line: line, character: length))
    }
}
