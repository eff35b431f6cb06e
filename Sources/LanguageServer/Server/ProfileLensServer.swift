import Foundation
import JSONRPC
import LanguageServerProtocol
import ProfileModel
import ProfileQuery

/// The ProfileLens language server: per-line profile costs for any LSP client.
///
/// Threading: every message is handled on `queue`, one at a time and in arrival order, so
/// edits and requests never race. All mutable state below is touched only on `queue`.
/// Requests read the current `Snapshot`, which is immutable; loading builds the next snapshot on
/// another thread and swaps it in on `queue`, so requests keep being answered from the previous
/// snapshot while a load runs. Loads run one at a time on their own thread (`startReload`).
public final class ProfileLensServer: MessageHandler, @unchecked Sendable {
    public let queue = DispatchQueue(label: "profilelens.server")

    /// Where notifications and server-to-client requests go: the transport, or a test's client.
    public weak var client: LanguageClient?
    /// Signalled whenever a snapshot is installed.
    public let loads = LoadSignal()
    /// Called with the exit code when the client sends `exit`.
    public var onExit: @Sendable (Int32) -> Void = { _ in }

    enum State { case uninitialized, running, shuttingDown }

    // MARK: State (only on `queue`)

    var state = State.uninitialized
    let baseConfiguration: ServerConfiguration
    var initializationOptions: JSONValue?
    var settings: JSONValue?
    var configuration: ServerConfiguration
    var capabilities = ClientCapabilities(nil)
    var root: String?
    var documents: [DocumentURI: Document] = [:]
    var snapshot = Snapshot.empty(root: nil)
    var selectedKindOverride: CostKind?
    var publishedDiagnostics: Set<DocumentURI> = []
    /// Large document notifications are prepared off `queue` (see `DocumentIntake`).
    let documentIntake = DocumentIntake()

    // Loading.
    let loader = SnapshotLoader()
    var watcher: FileWatcher?
    var watchedPaths: [String] = []
    var registeredWatchers: [String] = []
    var pendingReload: DispatchWorkItem?
    var isLoading = false
    var reloadRequested = false
    var reloadWaiters: [RequestReply] = []
    /// Work that waits for the first load (commands sent right after start).
    var afterFirstLoad: [() -> Void] = []
    var progressToken: ProgressToken?
    var retriedBrokenFiles: Set<String> = []
    var progressCounter = 0

    /// The delay that lets a profiler finish writing before its file is read.
    public var debounceInterval = 0.3
    /// Loads still running after this many seconds report `$/progress`.
    public var progressDelay = 0.5
    /// Whether to use inotify (else poll); settable for tests of the fallback.
    public var useInotify = true

    public init(configuration: ServerConfiguration = ServerConfiguration()) {
        baseConfiguration = configuration
        self.configuration = configuration
    }

    // MARK: MessageHandler

    public func handle(notification method: String, message: Data) {
        if takeLargeDocumentNotification(method, message) { return }
        queue.async { self.handle(method: method, body: message, reply: nil) }
    }

    public func handle(request method: String, message: Data, reply: RequestReply) {
        queue.async { self.handle(method: method, body: message, reply: reply) }
    }

    /// The client closed our input: end as `exit` would, after what is queued.
    public func connectionClosed() {
        queue.async { self.exit(ExitNotification()) }
    }

    private func handle(method: String, body: Data, reply: RequestReply?) {
        dispatchPrecondition(condition: .onQueue(queue))
        if waitsForDocument(method, body, reply) { return }
        handleInOrder(method: method, body: body, reply: reply)
    }

    /// Handles a message whose turn it is (see `DocumentIntake`).
    func handleInOrder(method: String, body: Data, reply: RequestReply?) {
        if let reply, reply.isCancelled {
            reply.reply(.failure(.cancelled))
            return
        }
        guard let handler = Self.handlers[method] else {
            if let reply {
                reply.reply(.failure(.methodNotFound(method)))
            } else if !method.hasPrefix("$/") {
                client?.log("ignored unknown notification \(method)", type: .log)
            }
            return
        }
        switch state {
        case .uninitialized where method != InitializeRequest.method && method != ExitNotification.method:
            reply?.reply(.failure(.serverNotInitialized))
            return
        case .running where method == InitializeRequest.method:
            reply?.reply(.failure(.invalidRequest("initialize was already received")))
            return
        case .shuttingDown where method != ExitNotification.method:
            reply?.reply(.failure(.invalidRequest("the server is shutting down")))
            return
        default:
            break
        }
        if handler.isRequest != (reply != nil) {
            reply?.reply(.failure(.invalidRequest("\(method) is a notification, not a request")))
            return
        }
        if Self.tracing {
            let started = ContinuousClock.now
            handler.run(self, body, reply)
            Logger.log("\(method) handled in \(ContinuousClock.now - started)")
        } else {
            handler.run(self, body, reply)
        }
    }

    /// With `PROFILELENS_TRACE=1`, every message's handling time is logged to stderr.
    static let tracing = ProcessInfo.processInfo.environment["PROFILELENS_TRACE"] != nil

    // MARK: Lifecycle

    func initialize(_ request: InitializeRequest) throws(ResponseError) -> InitializeResult {
        capabilities = ClientCapabilities(request.capabilities)
        let rootPath = request.rootUri.flatMap(DocumentPath.path) ?? request.rootPath
            ?? request.workspaceFolders?.first.flatMap { DocumentPath.path($0.uri) }
        root = rootPath.map(FilePath.canonical) ?? FilePath.currentDirectory()
        initializationOptions = request.initializationOptions
        configuration = baseConfiguration.merging(request.initializationOptions)
        snapshot = Snapshot.empty(root: root)
        state = .running
        watcher = FileWatcher(queue: queue, pollInterval: useInotify ? 2.0 : 0.2, useInotify: useInotify) { [weak self] paths in
            self?.filesChanged(paths)
        }
        startReload(reason: "start")
        return InitializeResult(
            capabilities: ServerCapabilities(
                textDocumentSync: .init(openClose: true, change: .incremental, save: true),
                hoverProvider: true,
                codeLensProvider: .init(resolveProvider: false),
                inlayHintProvider: true,
                workspaceSymbolProvider: true,
                executeCommandProvider: .init(commands: ServerCommand.allCases.map(\.rawValue))),
            serverInfo: .init(name: "profilelens", version: "0.1.0"))
    }

    func initialized(_ notification: InitializedNotification) {
        registerClientWatchers()
    }

    func shutdown(_ request: ShutdownRequest) throws(ResponseError) -> VoidResponse {
        state = .shuttingDown
        pendingReload?.cancel()
        pendingReload = nil
        loads.installed(generation: snapshot.generation, stillBusy: isLoading)
        return VoidResponse()
    }

    func exit(_ notification: ExitNotification) {
        watcher?.stop()
        watcher = nil
        onExit(state == .shuttingDown ? 0 : 1)
    }

    // MARK: Documents

    func didOpen(_ notification: DidOpenTextDocumentNotification) {
        let item = notification.textDocument
        documents[item.uri] = Document(uri: item.uri, path: DocumentPath.path(item.uri).map(FilePath.canonical),
                                       version: item.version, text: item.text)
        publishDiagnostics(for: item.uri)
    }

    func didChange(_ notification: DidChangeTextDocumentNotification) {
        guard let document = documents[notification.textDocument.uri] else { return }
        for change in notification.contentChanges { document.apply(change) }
        if let version = notification.textDocument.version { document.version = version }
        publishDiagnostics(for: document.uri)
    }

    func didClose(_ notification: DidCloseTextDocumentNotification) {
        documents[notification.textDocument.uri] = nil
        if publishedDiagnostics.remove(notification.textDocument.uri) != nil {
            client?.send(PublishDiagnosticsNotification(uri: notification.textDocument.uri, version: nil, diagnostics: []))
        }
    }

    func didSave(_ notification: DidSaveTextDocumentNotification) {}

    // MARK: Configuration

    func didChangeConfiguration(_ notification: DidChangeConfigurationNotification) {
        let section = notification.settings?["profilelens"] ?? notification.settings
        settings = section
        let old = configuration
        configuration = baseConfiguration.merging(initializationOptions).merging(section)
        if configuration.needsReload(comparedTo: old) {
            scheduleReload(reason: "configuration changed", delay: 0)
        } else if configuration != old {
            refreshClient()
        }
    }

    /// The kind lenses, hints and "hottest" use: chosen by command, else configured, else CPU.
    var selectedKind: CostKind? {
        let query = snapshot.query
        if let kind = selectedKindOverride, query.kinds.contains(kind) { return kind }
        if let name = configuration.kind, let kind = loadedKind(named: name) { return kind }
        return query.defaultKind
    }

    /// A loaded kind by name or alias ("cpu", "lock", or a custom sample type's name).
    func loadedKind(named name: String) -> CostKind? {
        let kinds = snapshot.query.kinds
        guard let kind = CostKind.named(name) ?? kinds.first(where: { $0.id == name }), kinds.contains(kind) else { return nil }
        return kind
    }
}
