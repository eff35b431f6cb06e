/// `textDocument/didChange`: whole-text or incremental edits, applied in order.
public struct DidChangeTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didChange"

    /// One edit: `text` replaces `range`, or the whole document when there is no range.
    public struct Change: Codable, Hashable, Sendable {
        public var range: Range?
        public var text: String

        public init(range: Range?, text: String) {
            self.range = range
            self.text = text
        }
    }

    public var textDocument: VersionedTextDocumentIdentifier
    public var contentChanges: [Change]

    public init(textDocument: VersionedTextDocumentIdentifier, contentChanges: [Change]) {
        self.textDocument = textDocument
        self.contentChanges = contentChanges
    }
}
