/// `window/workDoneProgress/create` (server to client): a progress token for a long load.
public struct CreateWorkDoneProgressRequest: LSPRequest {
    public static let method = "window/workDoneProgress/create"
    public typealias Response = VoidResponse

    public var token: ProgressToken

    public init(token: ProgressToken) { self.token = token }
}
