import Foundation
import JSONRPC
import LanguageServerProtocol
import SystemIO

/// One message the peer received from the connection under test.
public struct ReceivedMessage: @unchecked Sendable {
    /// The message as it arrived.
    public let data: Data
    /// The same, parsed, for tests of malformed traffic that typed decoding cannot express.
    public let json: [String: Any]

    public var method: String? { json["method"] as? String }
    /// The error code of an error response.
    public var errorCode: Int? { (json["error"] as? [String: Any])?["code"] as? Int }
    public var isError: Bool { json["error"] != nil }

    /// The params of a request or notification, as the type its method names.
    public func params<T: Decodable>(as type: T.Type) throws -> T {
        try MessageParams<T>.decode(data)
    }

    /// The result of a response, as the type its request names.
    public func result<T: Decodable>(as type: T.Type) throws -> T {
        try JSONCoding.decoder.decode(ResultEnvelope<T>.self, from: data).result
    }

    private struct ResultEnvelope<T: Decodable>: Decodable {
        let result: T
    }
}

/// Why a typed request made by a test did not return its response.
public enum TestPeerError: Error, CustomStringConvertible {
    case timeout(String)
    case response(ResponseError)

    public var description: String {
        switch self {
        case .timeout(let method): return "no answer to \(method) in time"
        case .response(let error): return "error answer: \(error)"
        }
    }
}

/// The far end of a `JSONRPCConnection`, for tests: it writes to the connection's input pipe,
/// reads and frames everything the connection writes, records it, and answers requests the
/// connection sends (with `null`, or `{"success": true}` to `window/showDocument`).
///
/// Typed calls (`send(_:)` with an `LSPRequest`) are what tests use for ordinary traffic; the raw
/// ones (`writeRaw`, `writeMessage`) are for malformed and abusive streams.
public final class JSONRPCTestPeer: @unchecked Sendable {
    public let connection: JSONRPCConnection
    private let toConnection: Int32
    private let fromConnection: Int32
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var responses: [String: ReceivedMessage] = [:]
    private var responseCounts: [String: Int] = [:]
    private var nullIDResponses: [ReceivedMessage] = []
    private var notificationLog: [ReceivedMessage] = []
    private var requestLog: [ReceivedMessage] = []
    private var nextID = 0
    private var isReading = true

    /// Starts `handler` behind a real connection over a pair of pipes.
    public init(handler: MessageHandler, maxContentLength: Int = 1 << 20, configure: (JSONRPCConnection) -> Void = { _ in }) {
        let input = FileDescriptorIO.makePipe()!
        let output = FileDescriptorIO.makePipe()!
        toConnection = input.write
        fromConnection = output.read
        connection = JSONRPCConnection(input: input.read, output: output.write, maxContentLength: maxContentLength)
        configure(connection)
        connection.start(handler: handler)
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    deinit {
        FileDescriptorIO.close(toConnection)
    }

    /// When false, the peer stops reading the connection's output (to test back-pressure).
    public var reading: Bool {
        get { condition.withLock { isReading } }
        set { condition.withLock { isReading = newValue; condition.broadcast() } }
    }

    // MARK: Sending, raw

    public func writeRaw(_ bytes: [UInt8]) {
        FileDescriptorIO.writeAll(toConnection, bytes)
    }

    public func writeMessage(_ body: Data) {
        writeRaw(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + Array(body))
    }

    public func writeMessage(_ object: [String: Any]) {
        writeMessage(try! JSONSerialization.data(withJSONObject: object))
    }

    /// Sends a request built from plain JSON and returns its id, without waiting.
    @discardableResult
    public func sendRequest(_ method: String, _ params: Any?) -> String {
        let id = takeID()
        var message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method]
        if let params { message["params"] = params }
        writeMessage(message)
        return String(id)
    }

    public func closeInput() { FileDescriptorIO.close(toConnection) }

    private func takeID() -> Int {
        condition.withLock {
            nextID += 1
            return nextID
        }
    }

    // MARK: Sending, typed

    private struct Outgoing<Params: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let id: Int?
        let method: String
        let params: Params
    }

    /// Sends a request without waiting; returns its id for `response(_:)`.
    @discardableResult
    public func sendRequest<R: LSPRequest>(_ request: R) -> String {
        let id = takeID()
        writeMessage(try! JSONCoding.encoder.encode(Outgoing(id: id, method: R.method, params: request)))
        return String(id)
    }

    /// Sends a request and waits for its response, decoded as the request's `Response`.
    public func send<R: LSPRequest>(_ request: R, timeout: Double = 10) throws -> R.Response {
        let id = sendRequest(request)
        guard let response = response(id, timeout: timeout) else { throw TestPeerError.timeout(R.method) }
        if response.isError {
            let error = (try? JSONCoding.decoder.decode(ErrorEnvelope.self, from: response.data))?.error
            throw TestPeerError.response(error ?? ResponseError(code: 0, message: "unreadable error"))
        }
        return try response.result(as: R.Response.self)
    }

    private struct ErrorEnvelope: Decodable { let error: ResponseError }

    public func send<N: LSPNotification>(_ notification: N) {
        writeMessage(try! JSONCoding.encoder.encode(Outgoing(id: nil, method: N.method, params: notification)))
    }

    // MARK: Waiting

    public func response(_ id: String, timeout: Double = 10) -> ReceivedMessage? {
        wait(timeout) { $0.responses[id] }
    }

    /// How many responses arrived for the request `id` (exactly one, when the transport is right).
    public func responseCount(_ id: String) -> Int {
        condition.withLock { responseCounts[id] ?? 0 }
    }

    /// The `index`-th response with a null id (to a message the connection could not read).
    public func nullIDResponse(_ index: Int, timeout: Double = 5) -> ReceivedMessage? {
        wait(timeout) { $0.nullIDResponses.count > index ? $0.nullIDResponses[index] : nil }
    }

    /// Requests the connection sent to its client, in order.
    public var requestsReceived: [ReceivedMessage] { condition.withLock { requestLog } }
    public var notificationsReceived: [ReceivedMessage] { condition.withLock { notificationLog } }

    /// The first request of this type received after the first `after` requests.
    public func waitForRequest<R: LSPRequest>(_ type: R.Type, after count: Int = 0, timeout: Double = 10) -> R? {
        wait(timeout) { peer in
            peer.requestLog.dropFirst(count).first { $0.method == R.method }.flatMap { try? $0.params(as: R.self) }
        }
    }

    /// The first notification of this type that `matches`.
    public func waitForNotification<N: LSPNotification>(_ type: N.Type, timeout: Double = 10,
                                                        where matches: @escaping (N) -> Bool = { _ in true }) -> N? {
        wait(timeout) { peer in
            peer.notificationLog.lazy.filter { $0.method == N.method }.compactMap { try? $0.params(as: N.self) }.first(where: matches)
        }
    }

    /// Waits until `probe` gives a value, or the timeout.
    public func wait<T>(_ timeout: Double, _ probe: (JSONRPCTestPeer) -> T?) -> T? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value = probe(self) { return value }
            if !condition.wait(until: deadline) { return probe(self) }
        }
    }

    // MARK: Reading

    private func readLoop() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            condition.withLock { while !isReading { condition.wait() } }
            let n = chunk.withUnsafeMutableBytes { FileDescriptorIO.read(fromConnection, into: $0) }
            if n <= 0 { return }
            buffer += chunk[0 ..< n]
            while let (body, rest) = Self.frame(buffer) {
                buffer = rest
                received(Data(body))
            }
        }
    }

    private func received(_ data: Data) {
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let message = ReceivedMessage(data: data, json: json)
        condition.withLock {
            if message.method != nil, let id = json["id"] {
                requestLog.append(message)
                answer(id: id, method: message.method ?? "")
            } else if message.method != nil {
                notificationLog.append(message)
            } else if let id = json["id"] {
                if id is NSNull {
                    nullIDResponses.append(message)
                } else {
                    responses["\(id)"] = message
                    responseCounts["\(id)", default: 0] += 1
                }
            }
            condition.broadcast()
        }
    }

    private func answer(id: Any, method: String) {
        var reply: [String: Any] = ["jsonrpc": "2.0", "id": id, "result": NSNull()]
        if method == ShowDocumentRequest.method { reply["result"] = ["success": true] }
        let body = try! JSONSerialization.data(withJSONObject: reply)
        DispatchQueue.global().async { self.writeMessage(body) }
    }

    /// One framed message from the front of `buffer`, and the rest.
    private static func frame(_ buffer: [UInt8]) -> ([UInt8], [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4, let end = (0 ... buffer.count - 4).first(where: { Array(buffer[$0 ..< $0 + 4]) == separator }) else { return nil }
        let header = String(decoding: buffer[0 ..< end], as: UTF8.self)
        guard let line = header.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
              let length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        let start = end + 4
        guard buffer.count >= start + length else { return nil }
        return (Array(buffer[start ..< start + length]), Array(buffer[(start + length)...]))
    }
}
