/// The severity of `window/logMessage` and `window/showMessage`.
public enum MessageType: Int, Codable, Hashable, Sendable {
    case error = 1
    case warning = 2
    case info = 3
    case log = 4
}

/// How a document's changes are sent (`textDocumentSync.change`).
public enum TextDocumentSyncKind: Int, Codable, Hashable, Sendable {
    case none = 0
    case full = 1
    case incremental = 2
}

/// The severity of a diagnostic.
public enum DiagnosticSeverity: Int, Codable, Hashable, Sendable {
    case error = 1
    case warning = 2
    case information = 3
    case hint = 4
}

/// What a symbol is, for `workspace/symbol`. Only the kinds this server reports are named.
public enum SymbolKind: Int, Codable, Hashable, Sendable {
    case file = 1
    case method = 6
    case function = 12
}

/// What happened to a watched file.
public enum FileChangeType: Int, Codable, Hashable, Sendable {
    case created = 1
    case changed = 2
    case deleted = 3
}
