/// `workspace/codeLens/refresh` (server to client): ask for code lenses again.
public struct CodeLensRefreshRequest: LSPRequest, EmptyParams {
    public static let method = "workspace/codeLens/refresh"
    public typealias Response = VoidResponse

    public init() {}
}
