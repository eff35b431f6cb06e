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

    public init(range: Range, command: Command?, data: JSONValue? = nil) {
        self.range = range
        self.command = command
        self.data = data
    }
}
