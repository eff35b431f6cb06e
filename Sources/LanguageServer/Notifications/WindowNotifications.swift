/// `window/logMessage` (server to client).
public struct LogMessageNotification: LSPNotification {
    public static let method = "window/logMessage"
    /// 1 error, 2 warning, 3 info, 4 log.
    public var type: Int
    public var message: String

    public init(type: Int, message: String) {
        self.type = type
        self.message = message
    }
}

/// `window/showMessage` (server to client): for what a user must see, such as a broken profile.
public struct ShowMessageNotification: LSPNotification {
    public static let method = "window/showMessage"
    public var type: Int
    public var message: String

    public init(type: Int, message: String) {
        self.type = type
        self.message = message
    }
}

/// `$/progress` (server to client), for a work-done progress token.
public struct ProgressNotification: LSPNotification {
    public static let method = "$/progress"

    public struct Value: Codable, Hashable, Sendable {
        public var kind: String
        public var title: String?
        public var message: String?
        public var percentage: Int?
    }

    public var token: ProgressToken
    public var value: Value
}

/// `textDocument/publishDiagnostics` (server to client): hot lines, when enabled.
public struct PublishDiagnosticsNotification: LSPNotification {
    public static let method = "textDocument/publishDiagnostics"

    public struct Diagnostic: Codable, Hashable, Sendable {
        public var range: Range
        /// 3: Information.
        public var severity: Int
        public var source: String
        public var message: String
    }

    public var uri: DocumentURI
    public var version: Int?
    public var diagnostics: [Diagnostic]
}
