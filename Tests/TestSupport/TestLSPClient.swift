import Foundation
import JSONRPC
import LanguageServer
import LanguageServerProtocol

/// An in-process LSP client for tests, in the manner of sourcekit-lsp's test client: it runs
/// the real server behind the real JSON-RPC transport over a pair of pipes, so a test exercises
/// the same code path as an editor talking to `profilelens serve`, minus the process. Requests
/// are typed: `try client.send(HoverRequest(...))` returns a `Hover?`.
public final class TestLSPClient: @unchecked Sendable {
    public let server: ProfileLensServer
    public let peer: JSONRPCTestPeer
    private let exit = ExitRecorder()

    public var connection: JSONRPCConnection { peer.connection }

    public init(configuration: ServerConfiguration = ServerConfiguration(), maxContentLength: Int = 1 << 20,
                configure: (ProfileLensServer) -> Void = { _ in }) {
        server = ProfileLensServer(configuration: configuration)
        server.debounceInterval = 0.1
        configure(server)
        peer = JSONRPCTestPeer(handler: server, maxContentLength: maxContentLength)
        server.client = peer.connection
        server.onExit = { [exit] code in exit.record(code) }
    }

    // MARK: Typed traffic

    public func send<R: LSPRequest>(_ request: R, timeout: Double = 10) throws -> R.Response {
        try peer.send(request, timeout: timeout)
    }

    public func send<N: LSPNotification>(_ notification: N) {
        peer.send(notification)
    }

    /// `workspace/executeCommand` with one argument object.
    public func command(_ name: String, _ argument: JSONValue? = nil, timeout: Double = 10) throws -> JSONValue {
        try send(ExecuteCommandRequest(command: name, arguments: argument.map { [$0] }), timeout: timeout)
    }

    // MARK: Conveniences

    /// What a capable editor says it supports.
    public static let editorCapabilities: JSONValue = [
        "workspace": ["codeLens": ["refreshSupport": true], "inlayHint": ["refreshSupport": true],
                      "didChangeWatchedFiles": ["dynamicRegistration": true]],
        "textDocument": ["hover": ["contentFormat": ["markdown", "plaintext"]]],
        "window": ["showDocument": ["support": true], "workDoneProgress": true],
    ]

    /// `initialize`, then `initialized`.
    @discardableResult
    public func initialize(root: String, options: JSONValue = [:], capabilities: JSONValue = TestLSPClient.editorCapabilities,
                           processID: Int? = Int(ProcessInfo.processInfo.processIdentifier)) throws -> InitializeResult {
        let result = try send(InitializeRequest(processId: processID, rootUri: DocumentURI("file://" + root),
                                                capabilities: capabilities, initializationOptions: options))
        send(InitializedNotification())
        return result
    }

    /// Waits until the server has installed its `generation`-th snapshot (the first load is 1).
    @discardableResult
    public func waitForLoad(generation: Int = 1, timeout: Double = 20) -> Bool {
        server.loads.wait(forGeneration: generation, timeout: timeout)
    }

    /// Asks for the hover at a line until `matches` holds or the timeout passes, for changes the
    /// server picks up by itself (a replaced profile file): the first refresh may come from a
    /// load that started before the change was complete.
    public func waitForHover(_ path: String, line: Int, timeout: Double = 15, _ matches: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var last: String?
        repeat {
            last = try? hover(path, line: line)
            if let last, matches(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return last
    }

    /// The texts of the `window/showMessage` notifications received so far.
    public var shownMessages: [String] {
        peer.notificationsReceived.filter { $0.method == ShowMessageNotification.method }
            .compactMap { try? $0.params(as: ShowMessageNotification.self).message }
    }

    /// The texts of the `window/logMessage` notifications received so far.
    public var loggedMessages: [String] {
        peer.notificationsReceived.filter { $0.method == LogMessageNotification.method }
            .compactMap { try? $0.params(as: LogMessageNotification.self).message }
    }

    /// The generation of the snapshot the server answers from.
    public var loadedGeneration: Int { server.loads.installedGeneration }

    public func open(_ path: String, language: String = "go", text: String? = nil) {
        let contents = text ?? (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        send(DidOpenTextDocumentNotification(textDocument: TextDocumentItem(uri: Self.uri(path), languageId: language,
                                                                            version: 1, text: contents)))
    }

    /// The hover text at a (0-based) position, or nil when there is none.
    public func hover(_ path: String, line: Int, character: Int = 0) throws -> String? {
        try send(HoverRequest(textDocument: TextDocumentIdentifier(uri: Self.uri(path)),
                              position: Position(line: line, character: character)))?.contents.value
    }

    public func codeLenses(_ path: String) throws -> [CodeLens] {
        try send(CodeLensRequest(textDocument: TextDocumentIdentifier(uri: Self.uri(path))))
    }

    public func inlayHints(_ path: String, lines: ClosedRange<Int> = 0 ... 10_000) throws -> [InlayHint] {
        try send(InlayHintRequest(textDocument: TextDocumentIdentifier(uri: Self.uri(path)),
                                  range: Range(start: Position(line: lines.lowerBound, character: 0),
                                               end: Position(line: lines.upperBound, character: 0))))
    }

    /// Replaces a range of an open document (0-based lines and UTF-16 columns).
    public func edit(_ path: String, version: Int, from start: (Int, Int), to end: (Int, Int), text: String) {
        let range = Range(start: Position(line: start.0, character: start.1), end: Position(line: end.0, character: end.1))
        send(DidChangeTextDocumentNotification(textDocument: VersionedTextDocumentIdentifier(uri: Self.uri(path), version: version),
                                               contentChanges: [.init(range: range, text: text)]))
    }

    public static func uri(_ path: String) -> DocumentURI { DocumentURI("file://" + path) }

    // MARK: Ending

    public func waitForExit(timeout: Double = 10) -> Int32? {
        exit.wait(timeout)
    }

    public func shutdownAndExit() -> Int32? {
        _ = try? send(ShutdownRequest())
        send(ExitNotification())
        return waitForExit()
    }
}

/// The exit code the server reported, for `waitForExit`.
private final class ExitRecorder: @unchecked Sendable {
    private let condition = NSCondition()
    private var code: Int32?

    func record(_ code: Int32) {
        condition.withLock {
            self.code = code
            condition.broadcast()
        }
    }

    func wait(_ timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while code == nil {
            if !condition.wait(until: deadline) { break }
        }
        return code
    }
}
