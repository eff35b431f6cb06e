import Foundation
import JSONRPC
import LanguageServerProtocol
import ProfileModel
import ProfileQuery
import SystemIO

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
    /// The workspace folders, canonical, in the client's order (the first is where relative
    /// settings resolve).
    var roots: [String] = []
    var documents: [DocumentURI: Document] = [:]
    var snapshot = Snapshot.empty(roots: [])
    /// Whether annotations compare with the baseline, when one is configured
    /// (`profilelens.toggleBaseline` switches it without reloading).
    var comparisonEnabled = true
    /// Changes whenever what the annotations show changes (a new snapshot, the comparison
    /// switched): the documents' caches are keyed by it.
    var viewGeneration = 0

    /// Which moment of a series the annotations show (`profilelens.selectWindow`).
    var window: SeriesWindow = .all
    var windowedQuery: (generation: Int, query: CostQuery)?

    /// What requests read: the snapshot's numbers, compared with the baseline unless that is
    /// switched off, at the selected window of a series.
    var query: CostQuery {
        let whole = seriesQuery
        guard window != .all else { return whole }
        if let cached = windowedQuery, cached.generation == viewGeneration { return cached.query }
        let profiles = whole.profiles
        let windowed = MappedProfiles(profileSet: profiles.profileSet.window(window, kind: selectedKind(in: whole)),
                                      resolutions: profiles.resolutions, mapper: profiles.mapper,
                                      sourceMismatches: profiles.sourceMismatches)
        let query = CostQuery(windowed, comparison: whole.comparison)
        windowedQuery = (viewGeneration, query)
        return query
    }

    /// The whole series' numbers: what trends and windows are taken from.
    var seriesQuery: CostQuery { comparisonEnabled ? snapshot.query : snapshot.plainQuery }
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
    /// Whether the user was told that no profile was found (told once, not at every reload).
    var toldNoProfiles = false
    /// Settings problems already shown, so that a reload does not show them again.
    var shownSettingProblems: Set<String> = []
    /// Polls the editor's process (`processId` from `initialize`) and ends the server when it
    /// is gone: an editor that crashed never sends `exit`.
    var parentMonitor: DispatchSourceTimer?
    /// Live sources (pprof endpoints, Pyroscope): see `LiveSources.swift`.
    var live = LiveState()

    /// The delay that lets a profiler finish writing before its file is read.
    public var debounceInterval = 0.3
    /// Loads still running after this many seconds report `$/progress`.
    public var progressDelay = 0.5
    /// Whether to use inotify (else poll); settable for tests of the fallback.
    public var useInotify = true
    /// How often the editor's process is checked for.
    public var parentPollInterval = 2.0
    /// Whether configured live sources (URLs, Pyroscope) are fetched; the fuzzer turns it off,
    /// so that no input it makes up sends traffic anywhere.
    public var fetchesLiveSources = true

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
        let folders = (request.workspaceFolders ?? []).compactMap { DocumentPath.path($0.uri) }
        if !folders.isEmpty {
            roots = Self.unique(folders.map(FilePath.canonical))
        } else {
            let rootPath = request.rootUri.flatMap(DocumentPath.path) ?? request.rootPath
            roots = [rootPath.map(FilePath.canonical) ?? FilePath.currentDirectory()]
        }
        initializationOptions = request.initializationOptions
        applyConfiguration()
        snapshot = Snapshot.empty(roots: roots)
        state = .running
        if let pid = request.processId { watchParent(pid) }
        watcher = FileWatcher(queue: queue, pollInterval: useInotify ? 2.0 : 0.2, useInotify: useInotify) { [weak self] paths in
            self?.filesChanged(paths)
        }
        startReload(reason: "start")
        startLiveSources()
        return InitializeResult(
            capabilities: ServerCapabilities(
                textDocumentSync: .init(openClose: true, change: .incremental, save: true),
                hoverProvider: true,
                codeLensProvider: .init(resolveProvider: false),
                inlayHintProvider: true,
                workspaceSymbolProvider: true,
                executeCommandProvider: .init(commands: ServerCommand.allCases.map(\.rawValue)),
                workspace: .init(workspaceFolders: .init(supported: true, changeNotifications: true))),
            serverInfo: .init(name: "profilelens", version: "0.1.0"))
    }

    func initialized(_ notification: InitializedNotification) {
        registerClientWatchers()
    }

    func shutdown(_ request: ShutdownRequest) throws(ResponseError) -> VoidResponse {
        state = .shuttingDown
        stopLiveSources()
        pendingReload?.cancel()
        pendingReload = nil
        loads.installed(generation: snapshot.generation, stillBusy: isLoading)
        return VoidResponse()
    }

    func exit(_ notification: ExitNotification) {
        watcher?.stop()
        watcher = nil
        parentMonitor?.cancel()
        parentMonitor = nil
        stopLiveSources()
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
        applyConfiguration()
        if configuration.liveSourcesChanged(comparedTo: old) { startLiveSources() }
        if configuration.needsReload(comparedTo: old) {
            scheduleReload(reason: "configuration changed", delay: 0)
        } else if configuration != old {
            // A new `kind` moves the peak window, as selectKind does.
            viewChanged()
        }
    }

    /// What the annotations are computed from changed without a new snapshot (the window, the
    /// kind, the baseline switch, the settings): the per-view caches are dropped (they are
    /// keyed by `viewGeneration`) and the editor is asked to redraw.
    func viewChanged() {
        viewGeneration += 1
        refreshClient()
    }

    /// Rebuilds the configuration from the command line, `initializationOptions` and the
    /// settings, and shows each setting that was refused (once: reloads do not repeat it).
    func applyConfiguration() {
        var problems: [String] = []
        configuration = baseConfiguration.merging(initializationOptions, problems: &problems).merging(settings, problems: &problems)
        for problem in problems where shownSettingProblems.insert(problem).inserted {
            queue.async { [weak self] in
                self?.client?.send(ShowMessageNotification(type: .warning, message: "ProfileLens: " + problem))
            }
        }
    }

    // MARK: Workspace folders

    func didChangeWorkspaceFolders(_ notification: DidChangeWorkspaceFoldersNotification) {
        let removed = Set(notification.event.removed.compactMap { DocumentPath.path($0.uri) }.map(FilePath.canonical))
        let added = notification.event.added.compactMap { DocumentPath.path($0.uri) }.map(FilePath.canonical)
        let next = Self.unique(roots.filter { !removed.contains($0) } + added)
        guard next != roots else { return }
        roots = next
        scheduleReload(reason: "workspace folders changed", delay: 0)
    }

    static func unique(_ paths: [String]) -> [String] {
        var seen: Set<String> = []
        return paths.filter { seen.insert($0).inserted }
    }

    /// Ends the server when the editor's process is gone, as the specification asks of
    /// servers given a `processId`; checked every few seconds off the request path.
    func watchParent(_ pid: Int) {
        guard pid > 0, pid <= Int(Int32.max), Processes.isAlive(Int32(pid)) else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + parentPollInterval, repeating: parentPollInterval)
        timer.setEventHandler { [weak self] in
            guard let self, !Processes.isAlive(Int32(pid)) else { return }
            Logger.log("the editor (process \(pid)) has exited; exiting")
            self.parentMonitor?.cancel()
            self.parentMonitor = nil
            self.exit(ExitNotification())
        }
        parentMonitor = timer
        timer.resume()
    }

    /// The kind lenses, hints and "hottest" use: chosen by command, else configured, else CPU.
    var selectedKind: CostKind? { selectedKind(in: seriesQuery) }

    func selectedKind(in query: CostQuery) -> CostKind? {
        if let kind = selectedKindOverride, query.kinds.contains(kind) { return kind }
        if let name = configuration.kind, let kind = loadedKind(named: name) { return kind }
        return query.defaultKind
    }

    /// A loaded kind by name or alias ("cpu", "lock", or a custom sample type's name).
    func loadedKind(named name: String) -> CostKind? {
        let kinds = seriesQuery.kinds
        if let kind = CostKind.named(name) ?? kinds.first(where: { $0.id == name }) { return kinds.contains(kind) ? kind : nil }
        // A sample type (`alloc_space`, `inuse_objects`, `delay`): the kind of the first source
        // that shows it.
        let set = seriesQuery.profileSet
        return set.sources.first { source in
            [source.valueType, source.countType].contains { $0.map { set.groups[source.group].index.sampleTypes[$0].type == name } ?? false }
        }?.kind
    }
}
