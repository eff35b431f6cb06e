import Foundation
import JSONRPC
import LanguageServerProtocol
import ProfileModel
import ProfileQuery
import SystemIO

/// Loading profiles off the request path, watching them, and telling the client when the
/// numbers change.
extension ProfileLensServer {
    /// Reloads after `delay` seconds without further calls: writers that are still writing
    /// produce a burst of events, and we read the file once they stop.
    func scheduleReload(reason: String, delay: Double? = nil) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard state == .running else { return }
        pendingReload?.cancel()
        loads.loadStarted()
        let work = DispatchWorkItem { [weak self] in
            self?.pendingReload = nil
            self?.startReload(reason: reason)
        }
        pendingReload = work
        queue.asyncAfter(deadline: .now() + (delay ?? debounceInterval), execute: work)
    }

    func startReload(reason: String) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard state == .running else { return }
        if isLoading {
            reloadRequested = true
            return
        }
        isLoading = true
        loads.loadStarted()
        let config = configuration
        let roots = self.roots
        let live = (profiles: self.live.loadedProfiles, baseline: self.live.baselineProfiles, origins: self.live.origins)
        let started = Date()
        progressCounter += 1
        let attempt = progressCounter
        // Loads that take long show progress, when the client takes it.
        queue.asyncAfter(deadline: .now() + progressDelay) { [weak self] in
            guard let self, self.isLoading, self.progressCounter == attempt else { return }
            self.beginProgress()
        }
        // Each load runs on a thread of its own, at a lower priority, so that it leaves the CPU
        // to requests.
        let thread = Thread { [weak self] in
            guard let self else { return }
            Processes.lowerCurrentThreadPriority()
            let (snapshot, watched) = self.loader.load(config, roots: roots, live: live.profiles, liveBaseline: live.baseline,
                                                         liveOrigins: live.origins)
            let seconds = Date().timeIntervalSince(started)
            self.queue.async { self.finishReload(snapshot, watched: watched, reason: reason, seconds: seconds) }
        }
        thread.name = "profilelens-load"
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func finishReload(_ next: Snapshot, watched: [String], reason: String, seconds: Double) {
        dispatchPrecondition(condition: .onQueue(queue))
        isLoading = false
        endProgress()
        let previous = snapshot
        snapshot = next
        viewGeneration += 1
        for document in documents.values {
            document.cachedFunctions = nil
            document.cachedLines = nil
        }
        var message = "\(reason): \(next.summary) in \(Int(seconds * 1000)) ms"
        if previous.generation > 0, previous.summary != next.summary { message += " (was: \(previous.summary))" }
        let unmapped = next.query.profiles.unmapped
        if !unmapped.isEmpty {
            message += "; \(unmapped.count) profile files map to no file here, e.g. \(unmapped.prefix(3).joined(separator: ", "))"
        }
        for (error, kept) in next.failures {
            let text = kept ? "\(error.description); keeping its previous version" : error.description
            client?.send(ShowMessageNotification(type: .warning, message: "ProfileLens: " + text))
            Logger.log(text)
            // A profiler may still be writing the file: try once more shortly.
            if !retriedBrokenFiles.contains(error.file) {
                retriedBrokenFiles.insert(error.file)
                scheduleReload(reason: "retry after a broken profile", delay: 1.0)
            }
        }
        if next.failures.isEmpty { retriedBrokenFiles = [] }
        tellAboutDiscovery(next)
        checkKindSetting(next)
        for member in next.query.profileSet.members {
            for warning in member.warnings { client?.log("\(member.path): \(warning)", type: .warning) }
        }
        for (path, reason) in next.query.profiles.sourceMismatches.sorted(by: { $0.key < $1.key }) {
            client?.log("\(path): \(reason)", type: .warning)
        }
        let programs = next.query.profileSet.programs
        if programs.count > 1 {
            client?.log("profiles of \(programs.count) programs, each with its own totals: \(programs.map(\.description).joined(separator: ", "))")
        }
        if watched != watchedPaths {
            watchedPaths = watched
            watcher?.watch(watched)
            registerClientWatchers()
        }
        refreshClient()
        // Logged last, so that whoever waits for this message sees the refresh requests too.
        client?.log(message)
        Logger.log(message)
        if reloadRequested {
            reloadRequested = false
            scheduleReload(reason: "changed during the last load")
        }
        loads.installed(generation: next.generation, stillBusy: isLoading || pendingReload != nil)
        for waiter in reloadWaiters { waiter.reply(statusValue()) }
        reloadWaiters = []
        let waiting = afterFirstLoad
        afterFirstLoad = []
        for work in waiting { work() }
    }

    /// Says once, when discovery found no profile, where it looked and how to name profiles;
    /// quiet again once profiles appear (a later empty folder says so again).
    private func tellAboutDiscovery(_ next: Snapshot) {
        guard let discovery = next.discovery else { return }
        guard next.files.isEmpty && next.failures.isEmpty else {
            toldNoProfiles = false
            return
        }
        guard !toldNoProfiles else { return }
        toldNoProfiles = true
        let searched = discovery.searched.map { FilePath.abbreviatingHome($0) }.joined(separator: ", ")
        var message = "ProfileLens: no profiles found"
        if !discovery.searched.isEmpty {
            message += " in \(searched) (looked for *.pprof, *.pb.gz, *.prof, cpu.out-style files and profiles/ folders)"
        }
        if !discovery.tooBroad.isEmpty {
            message += (discovery.searched.isEmpty ? "" : ";") + " \(discovery.tooBroad.map { FilePath.abbreviatingHome($0) }.joined(separator: ", ")) "
                + "is not searched (it holds every project's files)"
        }
        message += "; set \"profiles\" to the files or folders to load."
        if !discovery.searched.isEmpty { message += " New profiles there load by themselves." }
        client?.send(ShowMessageNotification(type: .info, message: message))
        Logger.log(message)
    }

    /// Says once per value when the `kind` setting names no loaded kind, with what is loaded.
    private func checkKindSetting(_ next: Snapshot) {
        guard let name = configuration.kind, !next.query.kinds.isEmpty, loadedKind(named: name) == nil else { return }
        let loaded = next.query.kinds.map(\.id).joined(separator: ", ")
        let problem: String
        if CostKind.named(name) != nil {
            problem = "\"kind\": \"\(name)\" is not in the loaded profiles (loaded: \(loaded)); showing \(selectedKind?.id ?? "nothing")"
        } else {
            problem = "\"kind\": \"\(name)\" is not a kind; use one of \(CostKind.wellKnown.map(\.id).joined(separator: ", ")) "
                + "or a sample type of the profiles (loaded: \(loaded))"
        }
        if shownSettingProblems.insert(problem).inserted {
            client?.send(ShowMessageNotification(type: .warning, message: "ProfileLens: " + problem))
        }
    }

    /// Asks the client to fetch lenses and hints again, and republishes diagnostics. The open
    /// documents' lenses and hints are computed first, so the requests the refresh triggers
    /// find them ready.
    func refreshClient() {
        for (uri, document) in documents {
            _ = try? encodedLenses(uri)
            _ = cachedInlayHints(uri, document: document)
        }
        if capabilities.codeLensRefresh { client?.send(CodeLensRefreshRequest()) }
        if capabilities.inlayHintRefresh { client?.send(InlayHintRefreshRequest()) }
        for uri in documents.keys { publishDiagnostics(for: uri) }
    }

    /// Files changed under a watched folder: reload if one of them is (or could be) a profile.
    func filesChanged(_ paths: [String]) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard state == .running else { return }
        let sources = Set(snapshot.files)
        let relevant = paths.filter { path in
            sources.contains(path) || watchedPaths.contains(path) || watchedPaths.contains((path as NSString).deletingLastPathComponent)
        }
        guard !relevant.isEmpty else { return }
        scheduleReload(reason: "\(FilePath.lastComponent(relevant[0])) changed")
    }

    func didChangeWatchedFiles(_ notification: DidChangeWatchedFilesNotification) {
        filesChanged(notification.changes.compactMap { DocumentPath.path($0.uri) })
    }

    /// Lets the client watch the profile sources too, when it offers to.
    func registerClientWatchers() {
        guard capabilities.watchedFilesRegistration, state == .running, !watchedPaths.isEmpty,
              watchedPaths != registeredWatchers else { return }
        registeredWatchers = watchedPaths
        let watchers: [JSONValue] = watchedPaths.map { path in
            let pattern = FilePath.isDirectory(path) ? path + "/*" : path
            return .object(["globPattern": .string(pattern)])
        }
        let registration = RegisterCapabilityRequest.Registration(
            id: "profilelens-watch-\(watchedPaths.hashValue)", method: DidChangeWatchedFilesNotification.method,
            registerOptions: .object(["watchers": .array(watchers)]))
        client?.send(RegisterCapabilityRequest(registrations: [registration]))
    }

    private func beginProgress() {
        guard capabilities.workDoneProgress, let client else { return }
        let token = ProgressToken.string("profilelens-load-\(progressCounter)")
        progressToken = token
        client.send(CreateWorkDoneProgressRequest(token: token)) { [weak self] _ in
            guard let self else { return }
            self.queue.async {
                guard self.progressToken == token else { return }
                client.send(ProgressNotification(token: token, value: .init(kind: .begin, title: "Loading profiles")))
            }
        }
    }

    private func endProgress() {
        guard let token = progressToken else { return }
        progressToken = nil
        client?.send(ProgressNotification(token: token, value: .init(kind: .end, message: snapshot.summary)))
    }
}
