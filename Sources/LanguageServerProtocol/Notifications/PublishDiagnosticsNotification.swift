/// `textDocument/publishDiagnostics` (server to client): hot lines, when enabled.
public struct PublishDiagnosticsNotification: LSPNotification {
    public static let method = "textDocument/publishDiagnostics"

    public struct Diagnostic: Codable, Hashable, Sendable {
        public var range: Range
        public var severity: DiagnosticSeverity
        public var source: String
        public var message: String

        public init(range: Range, severity: DiagnosticSeverity, source: String, message: String) {
            self.range = range
            self.severity = severity
            self.source = source
            self.message = message
        }
    }

    public var uri: DocumentURI
    public var version: Int?
    public var diagnostics: [Diagnostic]

    public init(uri: DocumentURI, version: Int?, diagnostics: [Diagnostic]) {
        self.uri = uri
        self.version = version
        self.diagnostics = diagnostics
    }
}
