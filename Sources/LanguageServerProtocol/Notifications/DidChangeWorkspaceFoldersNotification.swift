/// `workspace/didChangeWorkspaceFolders`: the client added or removed root folders.
public struct DidChangeWorkspaceFoldersNotification: LSPNotification {
    public static let method = "workspace/didChangeWorkspaceFolders"

    public struct Event: Codable, Hashable, Sendable {
        public var added: [WorkspaceFolder]
        public var removed: [WorkspaceFolder]

        public init(added: [WorkspaceFolder], removed: [WorkspaceFolder]) {
            self.added = added
            self.removed = removed
        }
    }

    public var event: Event

    public init(event: Event) { self.event = event }
}
