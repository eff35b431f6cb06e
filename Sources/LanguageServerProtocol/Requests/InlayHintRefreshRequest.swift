/// `workspace/inlayHint/refresh` (server to client): ask for inlay hints again.
public struct InlayHintRefreshRequest: LSPRequest, EmptyParams {
    public static let method = "workspace/inlayHint/refresh"
    public typealias Response = VoidResponse

    public init() {}
}
