import Foundation
import JSONRPC
import LanguageServer
#if canImport(Glibc)
import Glibc
#endif

/// An in-process LSP client for tests, in the manner of sourcekit-lsp's test client: it runs
/// the real server and the real JSON-RPC transport over a pair of pipes, so a test exercises the
/// same code path as an editor talking to `profilelens serve`, minus the process.
public final class TestLSPClient: @unchecked Sendable {
    public let server: ProfileLensServer
    public let connection: JSONRPCConnection
    private let toServer: Int32
    private let fromServer: Int32
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var responses: [String: [String: Any]] = [:]
    private var notificationLog: [[String: Any]] = []
    private var requestLog: [[String: Any]] = []
    private var exitCode: Int32?
    private var nextID = 0
    /// When false, the client stops reading the server's output (to test backpressure).
    public var reading = true

    public init(configuration: ServerConfiguration = ServerConfiguration(), maxContentLength: Int = 1 << 20,
                configure: (ProfileLensServer) -> Void = { _ in }) {
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        _ = pipe(&input)
        _ = pipe(&output)
        toServer = input[1]
        fromServer = output[0]
        server = ProfileLensServer(configuration: configuration)
        server.debounceInterval = 0.1
        configure(server)
        connection = JSONRPCConnection(server: server, input: input[0], output: output[1], maxContentLength: maxContentLength)
        server.onExit = { [weak self] code in
            guard let self else { return }
            self.condition.withLock {
                self.exitCode = code
                self.condition.broadcast()
            }
        }
        connection.start()
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    deinit {
        close(toServer)
    }

    // MARK: Sending

    public func writeRaw(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(toServer, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }

    public func writeMessage(_ object: [String: Any]) {
        let body = try! JSONSerialization.data(withJSONObject: object)
        writeRaw(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + Array(body))
    }

    /// Sends a request and returns its id, without waiting.
    @discardableResult
    public func sendRequest(_ method: String, _ params: Any?) -> String {
        let id = condition.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        var message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method]
        if let params { message["params"] = params }
        writeMessage(message)
        return String(id)
    }

    /// Sends a request and waits for its response message.
    public func request(_ method: String, _ params: Any?, timeout: Double = 10) -> [String: Any]? {
        let id = sendRequest(method, params)
        return response(id, timeout: timeout)
    }

    /// The result of a request, or nil on error or timeout.
    public func result(_ method: String, _ params: Any?) -> Any? {
        request(method, params)?["result"]
    }

    public func notify(_ method: String, _ params: Any?) {
        var message: [String: Any] = ["jsonrpc": "2.0", "method": method]
        if let params { message["params"] = params }
        writeMessage(message)
    }

    public func closeInput() { close(toServer) }

    // MARK: Waiting

    public func response(_ id: String, timeout: Double = 10) -> [String: Any]? {
        wait(timeout) { $0.responses[id] }
    }

    /// The response with a null id (to a message the server could not read).
    public func nullIDResponse(after count: Int, timeout: Double = 5) -> [String: Any]? {
        wait(timeout) { client in
            let found = client.responses.filter { $0.key.hasPrefix("null-") }.sorted { $0.key < $1.key }
            return found.count > count ? found[count].value : nil
        }
    }

    public var nullIDResponseCount: Int { condition.withLock { responses.keys.filter { $0.hasPrefix("null-") }.count } }

    /// Server-to-client requests received so far, in order.
    public var serverRequests: [[String: Any]] { condition.withLock { requestLog } }
    public var notifications: [[String: Any]] { condition.withLock { notificationLog } }

    public func waitForServerRequest(_ method: String, after count: Int = 0, timeout: Double = 10) -> [String: Any]? {
        wait(timeout) { client in
            client.requestLog.dropFirst(count).first { $0["method"] as? String == method }
        }
    }

    public func waitForNotification(_ method: String, timeout: Double = 10, where matches: @escaping ([String: Any]) -> Bool = { _ in true }) -> [String: Any]? {
        wait(timeout) { client in
            client.notificationLog.first { $0["method"] as? String == method && matches($0) }
        }
    }

    public func waitForExit(timeout: Double = 10) -> Int32? {
        wait(timeout) { $0.exitCode }
    }

    private func wait<T>(_ timeout: Double, _ probe: (TestLSPClient) -> T?) -> T? {
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
        var nullCount = 0
        while true {
            while !reading { usleep(10_000) }
            let n = chunk.withUnsafeMutableBytes { read(fromServer, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            buffer += chunk[0 ..< n]
            while let (body, rest) = Self.frame(buffer) {
                buffer = rest
                guard let message = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { continue }
                condition.withLock {
                    if message["method"] != nil, let id = message["id"] {
                        requestLog.append(message)
                        var reply: [String: Any] = ["jsonrpc": "2.0", "id": id]
                        reply["result"] = NSNull()
                        if message["method"] as? String == "window/showDocument" { reply["result"] = ["success": true] }
                        let body = try! JSONSerialization.data(withJSONObject: reply)
                        let framed = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + Array(body)
                        DispatchQueue.global().async { self.writeRaw(framed) }
                    } else if message["method"] != nil {
                        notificationLog.append(message)
                    } else if let id = message["id"] {
                        if id is NSNull {
                            responses[String(format: "null-%04d", nullCount)] = message
                            nullCount += 1
                        } else {
                            responses["\(id)"] = message
                        }
                    }
                    condition.broadcast()
                }
            }
        }
    }

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

    // MARK: Conveniences

    /// `initialize` with the capabilities of a capable editor, then `initialized`.
    @discardableResult
    public func initialize(root: String, options: [String: Any] = [:], capabilities: [String: Any]? = nil) -> [String: Any]? {
        let caps = capabilities ?? [
            "workspace": ["codeLens": ["refreshSupport": true], "inlayHint": ["refreshSupport": true],
                          "didChangeWatchedFiles": ["dynamicRegistration": true]],
            "textDocument": ["hover": ["contentFormat": ["markdown", "plaintext"]]],
            "window": ["showDocument": ["support": true], "workDoneProgress": true],
        ]
        let response = request("initialize", ["processId": getpid(), "rootUri": "file://" + root, "capabilities": caps,
                                               "initializationOptions": options])
        notify("initialized", [String: Any]())
        return response
    }

    /// Waits until the first load has finished (its log message has arrived).
    @discardableResult
    public func waitForLoad(count: Int = 1, timeout: Double = 20) -> Bool {
        wait(timeout) { client in
            client.notificationLog.filter { ($0["params"] as? [String: Any])?["message"].map { "\($0)".contains(" profile") && "\($0)".contains(" ms") } ?? false }
                .count >= count ? true : nil
        } ?? false
    }

    public func open(_ path: String, language: String = "go") {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        notify("textDocument/didOpen", ["textDocument": ["uri": "file://" + path, "languageId": language, "version": 1, "text": text]])
    }

    public func hover(_ path: String, line: Int) -> String? {
        let result = self.result("textDocument/hover", ["textDocument": ["uri": "file://" + path], "position": ["line": line, "character": 0]])
        return ((result as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String
    }

    public func shutdownAndExit() -> Int32? {
        _ = request("shutdown", nil)
        notify("exit", nil)
        return waitForExit()
    }
}
