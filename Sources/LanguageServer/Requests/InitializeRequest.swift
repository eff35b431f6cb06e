/// `initialize`: the first request; the client says what it supports, the server answers with
/// what it offers.
public struct InitializeRequest: LSPRequest {
    public static let method = "initialize"
    public typealias Response = InitializeResult

    public var processId: Int?
    public var rootUri: DocumentURI?
    public var rootPath: String?
    public var workspaceFolders: [WorkspaceFolder]?
    /// Kept as raw JSON and read with `ClientCapabilities`: clients send many shapes, and one
    /// unexpected field must not make initialization fail.
    public var capabilities: JSONValue?
    public var initializationOptions: JSONValue?

    public init(rootUri: DocumentURI?, capabilities: JSONValue? = nil, initializationOptions: JSONValue? = nil) {
        self.rootUri = rootUri
        self.capabilities = capabilities
        self.initializationOptions = initializationOptions
    }
}

public struct InitializeResult: Codable, Hashable, Sendable {
    public var capabilities: ServerCapabilities
    public var serverInfo: ServerInfo

    public struct ServerInfo: Codable, Hashable, Sendable {
        public var name: String
        public var version: String
    }
}

/// What the server offers. Only what works is advertised.
public struct ServerCapabilities: Codable, Hashable, Sendable {
    public struct TextDocumentSyncOptions: Codable, Hashable, Sendable {
        public var openClose: Bool
        /// 2: incremental.
        public var change: Int
        public var save: Bool
    }

    public struct CodeLensOptions: Codable, Hashable, Sendable {
        public var resolveProvider: Bool
    }

    public struct ExecuteCommandOptions: Codable, Hashable, Sendable {
        public var commands: [String]
    }

    public var textDocumentSync: TextDocumentSyncOptions
    public var hoverProvider: Bool
    public var codeLensProvider: CodeLensOptions
    public var inlayHintProvider: Bool
    public var workspaceSymbolProvider: Bool
    public var executeCommandProvider: ExecuteCommandOptions
}
