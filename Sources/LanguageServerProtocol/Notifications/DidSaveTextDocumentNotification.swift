/// `textDocument/didSave`: the buffer now matches the file on disk.
public struct DidSaveTextDocumentNotification: LSPNotification {
    public static let method = "textDocument/didSave"
    public var textDocument: TextDocumentIdentifier

    public init(textDocument: TextDocumentIdentifier) { self.textDocument = textDocument }
}
