/// `$/cancelRequest`: a request the client no longer needs. The transport handles it.
public struct CancelRequestNotification: LSPNotification {
    public static let method = "$/cancelRequest"
    public var id: RequestID

    public init(id: RequestID) { self.id = id }
}
