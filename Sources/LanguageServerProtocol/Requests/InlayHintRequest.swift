/// `textDocument/inlayHint`: short labels inside the text of a range.
public struct InlayHintRequest: LSPRequest {
    public static let method = "textDocument/inlayHint"
    public typealias Response = [InlayHint]

    public var textDocument: TextDocumentIdentifier
    public var range: Range

    public init(textDocument: TextDocumentIdentifier, range: Range) {
        self.textDocument = textDocument
        self.range = range
    }
}

public struct InlayHint: Codable, Hashable, Sendable {
    public var position: Position
    public var label: String
    public var tooltip: String?
    public var paddingLeft: Bool?

    public init(position: Position, label: String, tooltip: String? = nil, paddingLeft: Bool? = nil) {
        self.position = position
        self.label = label
        self.tooltip = tooltip
        self.paddingLeft = paddingLeft
    }
}
