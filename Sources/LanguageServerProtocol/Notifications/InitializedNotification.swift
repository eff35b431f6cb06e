/// `initialized`: the client has the server's capabilities.
public struct InitializedNotification: LSPNotification, EmptyParams {
    public static let method = "initialized"
    public init() {}
}
