/// `initialized`: the client has the server's capabilities.
public struct InitializedNotification: LSPNotification, EmptyParams {
    public static let method = "initialized"
    public init() {}
}

/// `exit`: the process ends, with code 0 after `shutdown` and 1 otherwise.
public struct ExitNotification: LSPNotification, EmptyParams {
    public static let method = "exit"
    public init() {}
}

/// `$/cancelRequest`: a request the client no longer needs. The transport handles it.
public struct CancelRequestNotification: LSPNotification {
    public static let method = "$/cancelRequest"
    public var id: RequestID
}
