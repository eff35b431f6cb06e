import Foundation
import LanguageServerProtocol
import SystemIO

/// The answer to one request. The transport makes one per request and the handler must call
/// `reply` exactly once: a second call is refused and logged, and a `RequestReply` dropped
/// without an answer sends an internal error in its `deinit`, so the client never waits forever.
public final class RequestReply: @unchecked Sendable {
    public let id: RequestID
    public let method: String
    private let lock = NSLock()
    // Guarded by `lock`.
    private var sent = false
    private var cancelled = false
    private let send: @Sendable (Result<Data, ResponseError>) -> Void

    public init(id: RequestID, method: String, send: @escaping @Sendable (Result<Data, ResponseError>) -> Void) {
        self.id = id
        self.method = method
        self.send = send
    }

    /// Sends the encoded result or the error. Returns false when an answer was already sent.
    @discardableResult
    public func reply(_ result: Result<Data, ResponseError>) -> Bool {
        let first = lock.withLock { () -> Bool in
            if sent { return false }
            sent = true
            return true
        }
        if first { send(result) } else { JSONRPCLog.write("second reply to \(method) request \(id) refused") }
        return first
    }

    /// Encodes and sends a result.
    public func reply<T: Encodable>(_ value: T) {
        do {
            reply(.success(try JSONCoding.encoder.encode(value)))
        } catch {
            reply(.failure(.internalError("cannot encode the result of \(method): \(error)")))
        }
    }

    /// Encodes and sends a result, or sends the error.
    public func reply<T: Encodable>(_ result: Result<T, ResponseError>) {
        switch result {
        case .success(let value): reply(value)
        case .failure(let error): reply(Result<Data, ResponseError>.failure(error))
        }
    }

    /// Marks the request cancelled (`$/cancelRequest`); if it has not started yet, it will be
    /// answered with RequestCancelled instead of being run.
    public func cancel() { lock.withLock { cancelled = true } }

    public var isCancelled: Bool { lock.withLock { cancelled } }

    deinit {
        if !sent {
            JSONRPCLog.write("request \(id) (\(method)) was dropped without a reply; answering with an internal error")
            send(.failure(.internalError("the request was dropped without an answer")))
        }
    }
}

/// The transport's own log lines, on stderr (stdout carries the protocol).
enum JSONRPCLog {
    static func write(_ message: String) {
        StandardStreams.error("jsonrpc: " + message + "\n")
    }
}
