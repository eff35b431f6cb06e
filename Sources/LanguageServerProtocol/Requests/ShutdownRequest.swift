/// `shutdown`: the client is about to send `exit`; the server stops answering other requests.
public struct ShutdownRequest: LSPRequest, EmptyParams {
    public static let method = "shutdown"
    public typealias Response = VoidResponse

    public init() {}
}
