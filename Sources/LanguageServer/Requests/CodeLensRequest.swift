/// `textDocument/codeLens`: one lens over each function with a cost.
public struct CodeLensRequest: LSPRequest {
    public static let method = "textDocument/codeLens"
    public typealias Response = [CodeLens]

    public var textDocument: TextDocumentIdentifier

    public init(textDocument: TextDocumentIdentifier) { self.textDocument = textDocument }
}

public struct CodeLens: Codable, Hashable, Sendable {
    public var range: Range
    public var command: Command?
    public var data: JSONValue?
}

/// `codeLens/resolve`: lenses are sent resolved, so this returns the lens it is given; some
/// clients ask anyway.
public struct CodeLensResolveRequest: LSPRequest {
    public static let method = "codeLens/resolve"
    public typealias Response = CodeLens

    public var range: Range
    public var command: Command?
    public var data: JSONValue?
}
