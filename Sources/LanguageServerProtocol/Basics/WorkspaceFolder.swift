/// One root folder of a multi-root workspace.
public struct WorkspaceFolder: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var name: String?

    public init(uri: DocumentURI, name: String? = nil) {
        self.uri = uri
        self.name = name
    }
}
