import Foundation

/// What a JSON-RPC connection hands its messages to: a language server, or anything else that
/// answers requests. The transport knows nothing of the handler beyond this.
///
/// Messages arrive on the transport's reader thread, one at a time and in the order the client
/// sent them; a handler keeps that order by queueing them, and must not block the reader.
public protocol MessageHandler: AnyObject, Sendable {
    /// A notification. `message` is the whole JSON-RPC message; `MessageParams` decodes its params.
    func handle(notification method: String, message: Data)
    /// A request, answered through `reply` exactly once, from any thread.
    func handle(request method: String, message: Data, reply: RequestReply)
    /// The client closed the connection: no message will follow.
    func connectionClosed()
}
