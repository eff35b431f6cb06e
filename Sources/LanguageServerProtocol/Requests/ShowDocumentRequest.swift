/// `window/showDocument` (server to client): open a file with a range selected.
public struct ShowDocumentRequest: LSPRequest {
    public static let method = "window/showDocument"
    public typealias Response = ShowDocumentResult

    public var uri: DocumentURI
    public var takeFocus: Bool?
    public var selection: Range?

    public init(uri: DocumentURI, takeFocus: Bool?, selection: Range?) {
        self.uri = uri
        self.takeFocus = takeFocus
        self.selection = selection
    }
}

public struct ShowDocumentResult: Codable, Hashable, Sendable {
    public var success: Bool

    public init(success: Bool) { self.success = success }
}
