/// The way from a server back to its client: notifications, and requests whose answers arrive
/// later. A transport implements it (`JSONRPCConnection`); a test can too. The server holds
/// only this protocol, so it knows nothing of how messages travel.
public protocol LanguageClient: AnyObject, Sendable {
    func send<N: LSPNotification>(_ notification: N)
    func send<R: LSPRequest>(_ request: R, reply: @escaping @Sendable (Result<R.Response, ResponseError>) -> Void)
}

extension LanguageClient {
    /// Sends a request whose answer does not matter.
    public func send<R: LSPRequest>(_ request: R) {
        send(request) { _ in }
    }

    /// `window/logMessage`.
    public func log(_ message: String, type: MessageType = .info) {
        send(LogMessageNotification(type: type, message: message))
    }
}
