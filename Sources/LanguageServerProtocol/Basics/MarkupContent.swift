/// How a client renders text: the formats of `MarkupContent`.
public enum MarkupKind: String, Codable, Hashable, Sendable {
    case plaintext
    case markdown
}

/// Text for the user, in plain text or Markdown.
public struct MarkupContent: Codable, Hashable, Sendable {
    public var kind: MarkupKind
    public var value: String

    public init(kind: MarkupKind, value: String) {
        self.kind = kind
        self.value = value
    }
}
