/// `workspace/didChangeWatchedFiles`: files the client watches for us have changed.
public struct DidChangeWatchedFilesNotification: LSPNotification {
    public static let method = "workspace/didChangeWatchedFiles"

    public struct FileEvent: Codable, Hashable, Sendable {
        public var uri: DocumentURI
        public var type: FileChangeType

        public init(uri: DocumentURI, type: FileChangeType) {
            self.uri = uri
            self.type = type
        }
    }

    public var changes: [FileEvent]

    public init(changes: [FileEvent]) { self.changes = changes }
}
