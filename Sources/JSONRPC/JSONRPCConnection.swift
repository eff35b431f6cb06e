import Foundation
import LanguageServer
#if canImport(Glibc)
import Glibc
#endif

/// JSON-RPC 2.0 over a pair of file descriptors (stdin and stdout for `profilelens serve`).
///
/// A blocking read loop runs on its own thread (`FileHandle.readabilityHandler` is unreliable
/// on Linux), splits the stream with `MessageFramer` and hands each message to the server in
/// order. Every request gets exactly one reply through a `RequestReply`. Output is written by
/// one serial queue; when the client stops reading, the reader stops reading too, so memory
/// cannot grow without bound: requests wait in the pipe, not in the process.
public final class JSONRPCConnection: LanguageClient, @unchecked Sendable {
    /// The documented cap on one message: larger ones are refused without being read into memory.
    public static let defaultMaxContentLength = 64 << 20

    private let server: ProfileLensServer
    private let input: Int32
    private let output: Int32
    private let maxContentLength: Int
    private let writer = DispatchQueue(label: "profilelens.jsonrpc.writer")

    private let lock = NSCondition()
    // Guarded by `lock`.
    private var pending: [RequestID: RequestReply] = [:]
    private var outgoing: [RequestID: @Sendable (Result<Data, ResponseError>) -> Void] = [:]
    private var nextOutgoingID = 0
    private var backlog = 0
    private var outputClosed = false

    /// Above this many bytes waiting to be written, the reader pauses and low-value
    /// notifications (logs, progress) are dropped.
    public var highWaterMark = 8 << 20

    public init(server: ProfileLensServer, input: Int32 = 0, output: Int32 = 1,
                maxContentLength: Int = JSONRPCConnection.defaultMaxContentLength) {
        self.server = server
        self.input = input
        self.output = output
        self.maxContentLength = maxContentLength
        server.client = self
    }

    /// Starts the read loop on its own thread.
    public func start() {
        let thread = Thread { [self] in readLoop() }
        thread.name = "profilelens-jsonrpc-reader"
        thread.start()
    }

    // MARK: Reading

    /// For fuzzing: runs `bytes` through the framing and dispatch on the calling thread, as if
    /// they had been read from the input, and returns once the server has handled every
    /// message and every reply has been written.
    @_spi(Fuzzing)
    public func processSynchronously(_ bytes: UnsafeRawBufferPointer) {
        var framer = MessageFramer(maxContentLength: maxContentLength)
        framer.append(bytes)
        while let event = framer.next() {
            if case .message(let body) = event { handle(Data(body)) }
        }
        server.queue.sync {}
        flush()
    }

    private func readLoop() {
        var framer = MessageFramer(maxContentLength: maxContentLength)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            waitForOutputToDrain()
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            chunk.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[0 ..< count])) }
            while let event = framer.next() {
                // Check between messages too: one read can hold many requests.
                waitForOutputToDrain()
                switch event {
                case .message(let body): handle(Data(body))
                case .error(let message):
                    Logger.log("JSON-RPC framing: \(message)")
                    sendNotificationData(LogMessageNotification(type: 1, message: "JSON-RPC framing: \(message)"), droppable: true)
                }
            }
        }
        // The client closed our input: end as `exit` would, after what is queued.
        server.receive(method: ExitNotification.method, body: Data("{}".utf8), reply: nil)
    }

    private struct Envelope: Decodable {
        var id: RequestID?
        var method: String?
        var result: JSONValue?
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

    private struct CancelParams: Decodable {
        struct Inner: Decodable { var id: RequestID }
        var params: Inner
    }

    private func handle(_ body: Data) {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: body)
        } catch {
            if (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) == nil {
                sendResponse(id: nil, .failure(.parseError("the message is not valid JSON")))
            } else {
                sendResponse(id: nil, .failure(.invalidRequest("the message is not a JSON-RPC request, notification or response: \(describeDecoding(error))")))
            }
            return
        }
        switch (envelope.id, envelope.method) {
        case (let id?, let method?):
            let reply = RequestReply(id: id, method: method) { [weak self] result in
                self?.finish(id: id, result)
            }
            lock.withLock { pending[id] = reply }
            server.receive(method: method, body: body, reply: reply)
        case (nil, let method?):
            if method == CancelRequestNotification.method {
                // Cancellation is handled here, ahead of the server's queue, so that a request
                // still waiting its turn is answered with RequestCancelled instead of being run.
                if let params = try? JSONDecoder().decode(CancelParams.self, from: body) {
                    lock.withLock { pending[params.params.id] }?.cancel()
                }
                return
            }
            server.receive(method: method, body: body, reply: nil)
        case (let id?, nil) where envelope.hasResult || envelope.error != nil:
            let callback = lock.withLock { outgoing.removeValue(forKey: id) }
            if let error = envelope.error {
                callback?(.failure(error))
            } else {
                callback?(.success(resultData(body)))
            }
        default:
            sendResponse(id: envelope.id, .failure(.invalidRequest("a message needs a method, or an id with a result or error")))
        }
    }

    private func resultData(_ body: Data) -> Data {
        struct Result: Decodable { var result: JSONValue? }
        let value = (try? JSONDecoder().decode(Result.self, from: body))?.result ?? .null
        return (try? JSONEncoder().encode(value)) ?? Data("null".utf8)
    }

    // MARK: Writing

    private func finish(id: RequestID, _ result: Result<Data, ResponseError>) {
        sendResponse(id: id, result)
        lock.withLock {
            _ = pending.removeValue(forKey: id)
            lock.broadcast()
        }
    }

    private func sendResponse(id: RequestID?, _ result: Result<Data, ResponseError>) {
        var message = Data(#"{"jsonrpc":"2.0","id":"#.utf8)
        if let id, let encoded = try? JSONEncoder().encode(id) { message.append(encoded) } else { message.append(Data("null".utf8)) }
        switch result {
        case .success(let data):
            message.append(Data(#","result":"#.utf8))
            message.append(data)
        case .failure(let error):
            message.append(Data(#","error":"#.utf8))
            message.append((try? JSONEncoder().encode(error)) ?? Data("{}".utf8))
        }
        message.append(Data("}".utf8))
        write(message, droppable: false)
    }

    private struct OutgoingMessage<Params: Encodable>: Encodable {
        let jsonrpc = "2.0"
        var id: RequestID?
        let method: String
        let params: Params
    }

    public func send<N: LSPNotification>(_ notification: N) {
        let droppable = N.method == LogMessageNotification.method || N.method == ProgressNotification.method
        sendNotificationData(notification, droppable: droppable)
    }

    private func sendNotificationData<N: LSPNotification>(_ notification: N, droppable: Bool) {
        guard let data = try? JSONCoding.encoder.encode(OutgoingMessage(id: nil, method: N.method, params: notification)) else { return }
        write(data, droppable: droppable)
    }

    public func send<R: LSPRequest>(_ request: R, reply: @escaping @Sendable (Result<R.Response, ResponseError>) -> Void) {
        let id = lock.withLock { () -> RequestID in
            nextOutgoingID += 1
            let id = RequestID.string("profilelens-\(nextOutgoingID)")
            outgoing[id] = { result in
                reply(result.flatMap { data in
                    do {
                        return .success(try JSONDecoder().decode(R.Response.self, from: data))
                    } catch {
                        return .failure(.invalidParams("cannot decode the client's answer to \(R.method)"))
                    }
                })
            }
            return id
        }
        guard let data = try? JSONCoding.encoder.encode(OutgoingMessage(id: id, method: R.method, params: request)) else { return }
        write(data, droppable: false)
    }

    private func write(_ body: Data, droppable: Bool) {
        var header = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        header.append(body)
        let framed = header
        let size = framed.count
        let accepted = lock.withLock { () -> Bool in
            if outputClosed || (droppable && backlog > highWaterMark) { return false }
            backlog += size
            return true
        }
        guard accepted else { return }
        writer.async { [self] in
            var ok = true
            framed.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(output, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 {
                        ok = false
                        return
                    }
                    offset += n
                }
            }
            lock.withLock {
                backlog -= size
                if !ok { outputClosed = true }
                lock.broadcast()
            }
        }
    }

    /// At most this many requests are handed to the server and not yet answered; with the
    /// backlog check this bounds what a client that stops reading can make us hold.
    public var maxRequestsInFlight = 32

    /// Pauses the reader while the client is not reading our output, or while the server
    /// already has enough requests to answer.
    private func waitForOutputToDrain() {
        lock.lock()
        while (backlog > highWaterMark || pending.count >= maxRequestsInFlight) && !outputClosed { lock.wait() }
        lock.unlock()
    }

    /// Bytes queued for the client and not yet written.
    public var backlogBytes: Int { lock.withLock { backlog } }

    /// Waits until everything queued so far has been written.
    public func flush() {
        writer.sync {}
    }
}

func describeDecoding(_ error: Error) -> String {
    if case DecodingError.typeMismatch(let type, let context) = error {
        return "expected \(type) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    }
    return "\(error)"
}
