import Foundation
import LanguageServerProtocol
import SystemIO

/// JSON-RPC 2.0 over a pair of file descriptors (stdin and stdout for `profilelens serve`),
/// talking to any `MessageHandler`.
///
/// A blocking read loop runs on its own thread (`FileHandle.readabilityHandler` is unreliable
/// on Linux), splits the stream with `MessageFramer` and hands each message to the handler in
/// order. Every request gets exactly one reply through a `RequestReply`. Output is written by
/// one serial queue; when the client stops reading, the reader stops reading too, so memory
/// cannot grow without bound: requests wait in the pipe, not in the process.
public final class JSONRPCConnection: @unchecked Sendable {
    /// The documented cap on one message: larger ones are refused without being read into memory.
    public static let defaultMaxContentLength = 64 << 20

    let input: Int32
    let output: Int32
    let maxContentLength: Int
    /// Writes happen here, one message at a time, in the order they were queued.
    let writer = DispatchQueue(label: "jsonrpc.writer")

    let lock = NSCondition()
    // Guarded by `lock`. Requests handed to the handler and not yet answered; held weakly, so
    // that a reply the handler drops unanswered is released and answers for itself.
    var pending: [RequestID: WeakReply] = [:]
    var outgoing: [RequestID: @Sendable (Result<Data, ResponseError>) -> Void] = [:]
    var nextOutgoingID = 0
    var backlog = 0
    var outputClosed = false

    /// Above this many bytes waiting to be written, the reader pauses and droppable
    /// notifications (`LSPNotification.isDroppable`) are dropped.
    public var highWaterMark = 8 << 20
    /// At most this many requests are handed to the handler and not yet answered; with the
    /// backlog check this bounds what a client that stops reading can make us hold.
    public var maxRequestsInFlight = 32

    public init(input: Int32 = 0, output: Int32 = 1, maxContentLength: Int = JSONRPCConnection.defaultMaxContentLength) {
        self.input = input
        self.output = output
        self.maxContentLength = maxContentLength
    }

    /// Starts the read loop on its own thread. The connection keeps `handler` until the input ends.
    public func start(handler: MessageHandler) {
        let thread = Thread { [self] in readLoop(handler) }
        thread.name = "jsonrpc-reader"
        thread.start()
    }

    // MARK: Reading

    /// For fuzzing: runs `bytes` through the framing and dispatch on the calling thread, as if
    /// they had been read from the input. Replies may still be on their way when it returns;
    /// `flush` waits for the ones already queued.
    @_spi(Fuzzing)
    public func processSynchronously(_ bytes: UnsafeRawBufferPointer, handler: MessageHandler) {
        var framer = MessageFramer(maxContentLength: maxContentLength)
        framer.append(bytes)
        while let event = framer.next() {
            if case .message(let body) = event { dispatch(Data(body), to: handler) }
        }
    }

    private func readLoop(_ handler: MessageHandler) {
        var framer = MessageFramer(maxContentLength: maxContentLength)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            waitForOutputToDrain()
            let count = chunk.withUnsafeMutableBytes { FileDescriptorIO.read(input, into: $0) }
            if count <= 0 { break }
            chunk.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[0 ..< count])) }
            while let event = framer.next() {
                // Check between messages too: one read can hold many requests.
                waitForOutputToDrain()
                switch event {
                case .message(let body):
                    dispatch(Data(body), to: handler)
                case .error(let message):
                    JSONRPCLog.write("framing: \(message)")
                    send(LogMessageNotification(type: .error, message: "JSON-RPC framing: \(message)"))
                }
            }
        }
        handler.connectionClosed()
    }

    /// The parts of a message that say what it is. Params are left for the handler to decode
    /// into the type its method names.
    private struct Envelope: Decodable {
        var id: RequestID?
        var method: String?
        var error: ResponseError?
        var hasResult = false

        enum CodingKeys: String, CodingKey { case id, method, result, error }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(RequestID.self, forKey: .id)
            method = try container.decodeIfPresent(String.self, forKey: .method)
            hasResult = container.contains(.result)
            error = try container.decodeIfPresent(ResponseError.self, forKey: .error)
        }
    }

    private func dispatch(_ body: Data, to handler: MessageHandler) {
        let envelope: Envelope
        do {
            envelope = try JSONCoding.decoder.decode(Envelope.self, from: body)
        } catch {
            if (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) == nil {
                sendResponse(id: nil, .failure(.parseError("the message is not valid JSON")))
            } else {
                sendResponse(id: nil, .failure(.invalidRequest("the message is not a JSON-RPC request, notification or response: \(JSONCoding.describe(error))")))
            }
            return
        }
        switch (envelope.id, envelope.method) {
        case (let id?, let method?):
            let reply = RequestReply(id: id, method: method) { [weak self] result in
                self?.finish(id: id, result)
            }
            lock.withLock { pending[id] = WeakReply(reply: reply) }
            handler.handle(request: method, message: body, reply: reply)
        case (nil, CancelRequestNotification.method):
            // Cancellation is handled here, ahead of the handler's queue, so that a request
            // still waiting its turn is answered with RequestCancelled instead of being run.
            if let cancel = try? MessageParams<CancelRequestNotification>.decode(body) {
                lock.withLock { pending[cancel.id]?.reply }?.cancel()
            }
        case (nil, let method?):
            handler.handle(notification: method, message: body)
        case (let id?, nil) where envelope.hasResult || envelope.error != nil:
            let callback = lock.withLock { outgoing.removeValue(forKey: id) }
            if let error = envelope.error {
                callback?(.failure(error))
            } else {
                callback?(.success(Self.resultData(body)))
            }
        default:
            sendResponse(id: envelope.id, .failure(.invalidRequest("a message needs a method, or an id with a result or error")))
        }
    }

    private static func resultData(_ body: Data) -> Data {
        struct Result: Decodable { var result: JSONValue? }
        let value = (try? JSONCoding.decoder.decode(Result.self, from: body))?.result ?? .null
        return (try? JSONCoding.encoder.encode(value)) ?? Data("null".utf8)
    }

    struct WeakReply {
        weak var reply: RequestReply?
    }

    /// Pauses the reader while the client is not reading our output, or while the handler
    /// already has enough requests to answer.
    private func waitForOutputToDrain() {
        lock.lock()
        while (backlog > highWaterMark || pending.count >= maxRequestsInFlight) && !outputClosed { lock.wait() }
        lock.unlock()
    }
}
