/// `textDocument/didOpen`.
public struct DidOpenTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didOpen"
    public var textDocument: TextDocumentItem
}

/// `textDocument/didChange`: whole-text or incremental edits, applied in order.
public struct DidChangeTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didChange"

    public struct Change: Codable, Hashable, Sendable {
        public var range: Range?
        public var text: String
    }

    public var textDocument: VersionedTextDocumentIdentifier
    public var contentChanges: [Change]
}

/// `textDocument/didClose`.
public struct DidCloseTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didClose"
    public var textDocument: TextDocumentIdentifier
}

/// `textDocument/didSave`: the buffer now matches the file on disk.
public struct DidSaveTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didSave"
    public var textDocument: TextDocumentIdentifier
}
