/// A zero-based position: line, and character offset in UTF-16 code units (the protocol's
/// default encoding).
public struct Position: Codable, Hashable, Sendable {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }
}
