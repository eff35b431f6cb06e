/// `workspace/didChangeConfiguration`: new settings, under the section `profilelens`.
public struct DidChangeConfigurationNotification: LSPNotification {
    public static let method = "workspace/didChangeConfiguration"
    public var settings: JSONValue?
}

/// `workspace/didChangeWatchedFiles`: files the client watches for us have changed.
public struct DidChangeWatchedFilesNotification: LSPNotification {
    public static let method = "workspace/didChangeWatchedFiles"

    public struct FileEvent: Codable, Hashable, Sendable {
        public var uri: DocumentURI
        public var type: Int
    }

    public var changes: [FileEvent]
}
