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

/// A document URI. Only `file://` URIs name files ProfileLens can annotate.
public struct DocumentURI: Codable, Hashable, Sendable, CustomStringConvertible {
    public var string: String

    public init(_ string: String) { self.string = string }

    public init(from decoder: Decoder) throws {
        string = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }

    public var description: String { string }
}

public struct Location: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var range: Range

    public init(uri: DocumentURI, range: Range) {
        self.uri = uri
        self.range = range
    }
}

public struct TextDocumentIdentifier: Codable, Hashable, Sendable {
    public var uri: DocumentURI

    public init(uri: DocumentURI) { self.uri = uri }
}

public struct VersionedTextDocumentIdentifier: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var version: Int?
}

public struct TextDocumentItem: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var languageId: String
    public var version: Int
    public var text: String
}

public struct MarkupContent: Codable, Hashable, Sendable {
    public var kind: String
    public var value: String

    public init(kind: String, value: String) {
        self.kind = kind
        self.value = value
    }
}

/// A command attached to a code lens. ProfileLens's lenses carry one kind of argument, the
/// line to open; typing it (rather than arbitrary JSON) keeps encoding a file's lenses cheap.
public struct Command: Codable, Hashable, Sendable {
    public var title: String
    public var command: String
    public var arguments: [LineTarget]?

    public init(title: String, command: String, arguments: [LineTarget]? = nil) {
        self.title = title
        self.command = command
        self.arguments = arguments
    }
}

public struct WorkspaceFolder: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var name: String?
}

/// A work-done progress token: an integer or a string, exactly like a request id.
public typealias ProgressToken = RequestID

/// A line of a document, as the argument of `profilelens.openLine`.
public struct LineTarget: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    /// 0-based.
    public var line: Int

    public init(uri: DocumentURI, line: Int) {
        self.uri = uri
        self.line = line
    }
}
