import Foundation
import ProfileModel

/// The way back to the client: notifications, and requests whose answers arrive later.
/// The transport implements it; tests can too.
public protocol LanguageClient: AnyObject, Sendable {
    func send<N: LSPNotification>(_ notification: N)
    func send<R: LSPRequest>(_ request: R, reply: @escaping @Sendable (Result<R.Response, ResponseError>) -> Void)
}

extension LanguageClient {
    /// Sends a request whose answer does not matter.
    public func send<R: LSPRequest>(_ request: R) {
        send(request) { _ in }
    }

    public func log(_ message: String, type: Int = 3) {
        send(LogMessageNotification(type: type, message: message))
    }
}

/// The answer to one request. The transport makes one per request and the server must call
/// `reply` exactly once: a second call is refused and logged, and a `RequestReply` dropped
/// without an answer sends an internal error in its `deinit`, so the client never waits forever.
public final class RequestReply: @unchecked Sendable {
    public let id: RequestID
    public let method: String
    private let lock = NSLock()
    private var sent = false
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
        if first { send(result) } else { Logger.log("second reply to \(method) request \(id) refused") }
        return first
    }

    public func reply<T: Encodable>(_ value: T) {
        do {
            reply(.success(try JSONCoding.encoder.encode(value)))
        } catch {
            reply(.failure(.internalError("cannot encode the result of \(method): \(error)")))
        }
    }

    private var cancelled = false

    /// Marks the request cancelled (`$/cancelRequest`); if it has not started yet, it will be
    /// answered with RequestCancelled instead of being run.
    public func cancel() { lock.withLock { cancelled = true } }

    public var isCancelled: Bool { lock.withLock { cancelled } }

    deinit {
        if !sent {
            Logger.log("request \(id) (\(method)) was dropped without a reply; answering with an internal error")
            send(.failure(.internalError("the server dropped the request without an answer")))
        }
    }
}

/// The encoders and decoders of the protocol, in one place.
public enum JSONCoding {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    public static var decoder: JSONDecoder { JSONDecoder() }

    /// Converts an encodable value to `JSONValue`, for results typed as arbitrary JSON.
    public static func value<T: Encodable>(_ value: T) -> JSONValue {
        guard let data = try? encoder.encode(value), let json = try? decoder.decode(JSONValue.self, from: data) else { return .null }
        return json
    }
}

/// Logging to stderr, which editors show in their language server logs. stdout belongs to the
/// protocol and is never written here.
public enum Logger {
    public static func log(_ message: String) {
        StandardStreams.error("profilelens: " + message + "\n")
    }
}
