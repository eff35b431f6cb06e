/// `workspace/symbol`: profiled functions, hottest first, filtered by the query.
public struct WorkspaceSymbolRequest: LSPRequest {
    public static let method = "workspace/symbol"
    public typealias Response = [SymbolInformation]

    public var query: String

    public init(query: String) { self.query = query }
}

public struct SymbolInformation: Codable, Hashable, Sendable {
    public var name: String
    /// 12: Function.
    public var kind: Int
    public var location: Location
    public var containerName: String?
}
