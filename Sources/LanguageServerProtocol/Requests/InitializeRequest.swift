/// `initialize`: the first request; the client says what it supports, the server answers with
/// what it offers.
public struct InitializeRequest: LSPRequest {
    public static let method = "initialize"
    public typealias Response = InitializeResult

    public var processId: Int?
    public var rootUri: DocumentURI?
    public var rootPath: String?
    public var workspaceFolders: [WorkspaceFolder]?
    /// Kept as raw JSON and read by the server: clients send many shapes, and one unexpected
    /// field must not make initialization fail.
    public var capabilities: JSONValue?
    public var initializationOptions: JSONValue?

    public init(processId: Int? = nil, rootUri: DocumentURI?, workspaceFolders: [WorkspaceFolder]? = nil,
                capabilities: JSONValue? = nil, initializationOptions: JSONValue? = nil) {
        self.processId = processId
        self.rootUri = rootUri
        self.workspaceFolders = workspaceFolders
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

        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    public init(capabilities: ServerCapabilities, serverInfo: ServerInfo) {
        self.capabilities = capabilities
        self.serverInfo = serverInfo
    }
}

/// What the server offers. Only what works is advertised.
public struct ServerCapabilities: Codable, Hashable, Sendable {
    public struct TextDocumentSyncOptions: Codable, Hashable, Sendable {
        public var openClose: Bool
        public var change: TextDocumentSyncKind
        public var save: Bool

        public init(openClose: Bool, change: TextDocumentSyncKind, save: Bool) {
            self.openClose = openClose
            self.change = change
            self.save = save
        }
    }

    public struct CodeLensOptions: Codable, Hashable, Sendable {
        public var resolveProvider: Bool

        public init(resolveProvider: Bool) { self.resolveProvider = resolveProvider }
    }

    public struct ExecuteCommandOptions: Codable, Hashable, Sendable {
        public var commands: [String]

        public init(commands: [String]) { self.commands = commands }
    }

    /// `workspace.workspaceFolders`: whether the server takes several roots, and their changes.
    public struct WorkspaceOptions: Codable, Hashable, Sendable {
        public struct FoldersOptions: Codable, Hashable, Sendable {
            public var supported: Bool
            public var changeNotifications: Bool

            public init(supported: Bool, changeNotifications: Bool) {
                self.supported = supported
                self.changeNotifications = changeNotifications
            }
        }

        public var workspaceFolders: FoldersOptions

        public init(workspaceFolders: FoldersOptions) { self.workspaceFolders = workspaceFolders }
    }

    public var textDocumentSync: TextDocumentSyncOptions
    public var hoverProvider: Bool
    public var codeLensProvider: CodeLensOptions
    public var inlayHintProvider: Bool
    public var workspaceSymbolProvider: Bool
    public var executeCommandProvider: ExecuteCommandOptions
    public var workspace: WorkspaceOptions?

    public init(textDocumentSync: TextDocumentSyncOptions, hoverProvider: Bool, codeLensProvider: CodeLensOptions,
                inlayHintProvider: Bool, workspaceSymbolProvider: Bool, executeCommandProvider: ExecuteCommandOptions,
                workspace: WorkspaceOptions? = nil) {
        self.workspace = workspace
        self.textDocumentSync = textDocumentSync
        self.hoverProvider = hoverProvider
        self.codeLensProvider = codeLensProvider
        self.inlayHintProvider = inlayHintProvider
        self.workspaceSymbolProvider = workspaceSymbolProvider
        self.executeCommandProvider = executeCommandProvider
    }
}
