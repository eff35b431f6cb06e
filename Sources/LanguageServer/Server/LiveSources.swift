import Foundation
import LanguageServerProtocol
import PprofFormat
import ProfileModel
import RemoteProfiles

/// What the server knows of its live sources (pprof endpoints, Pyroscope queries). Only
/// touched on the server's queue.
struct LiveState {
    /// How one source is doing, for hovers and `profilelens.status`.
    struct SourceStatus {
        let source: LiveSource
        /// The source's name, worked out once: a Pyroscope query's parses its times, and
        /// every hover on a fetched line shows it.
        let name: String
        /// When the last fetch succeeded (changed or not), in seconds since 1970.
        var lastFetched: Double?
        /// When the numbers last changed.
        var lastChanged: Double?
        var error: String?
        /// When the current failure streak began.
        var failingSince: Double?
        var failures = 0

        init(source: LiveSource) {
            self.source = source
            name = source.name
        }

        /// A fetch succeeded at `time` (changed or not), which ends a failure streak. Returns
        /// the line to log when it ended one.
        mutating func fetched(at time: Double) -> String? {
            let recovered = error == nil ? nil : "\(name): fetched again after \(failures) failures"
            lastFetched = time
            (error, failingSince, failures) = (nil, nil, 0)
            return recovered
        }
    }

    var monitor: LiveMonitor?
    /// Updates from an older monitor (before a configuration change) are ignored.
    var generation = 0
    /// The sources of the current profiles, and those of the baseline.
    var currentSources: [LiveSource] = []
    var baselineSources: [LiveSource] = []
    var sources: [LiveSource] { currentSources + baselineSources }
    /// The last good profiles of each source, by source id.
    var profiles: [String: [LoadedProfile]] = [:]
    /// With a history of more than one fetch: each source's kept fetches, oldest first, each
    /// stamped with its fetch time and named apart, the points of a series.
    var history: [String: [[LoadedProfile]]] = [:]
    var historyLength = 1
    var status: [String: SourceStatus] = [:]
    /// Sources that cannot be used as configured (a malformed URL or time).
    var configurationErrors: [ProfileLoadError] = []

    /// Every current source's last good profiles (or its kept fetches), in the order the
    /// sources were configured.
    var loadedProfiles: [LoadedProfile] { currentSources.flatMap(profiles(of:)) }

    private func profiles(of source: LiveSource) -> [LoadedProfile] {
        guard historyLength > 1, let points = history[source.id], !points.isEmpty else { return profiles[source.id] ?? [] }
        return points.flatMap { $0 }
    }

    /// Keeps a fetch of `source` at `time` as a point of its series, dropping the oldest past
    /// the history's length. Each profile is stamped with the fetch time (a refetched profile
    /// that did not change is a point too: a leak that stopped shows as flat) and named with
    /// it, so that the points stay apart. Whether it kept the fetch (a history is kept only
    /// for current sources, and only when it is longer than one fetch).
    @discardableResult
    mutating func record(_ fetched: [LoadedProfile], of source: LiveSource, at time: Double) -> Bool {
        guard historyLength > 1, currentSources.contains(source) else { return false }
        let nanos = Int64(time * 1e9)
        let stamp = ISO8601DateFormatter.string(from: Date(timeIntervalSince1970: time), timeZone: .gmt,
                                               formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        let point = fetched.map { profile in
            var point = profile
            point.path = profile.path + " @ " + stamp
            point.profile.stamp(timeNanos: nanos, durationNanos: profile.profile.durationNanos)
            return point
        }
        var points = history[source.id] ?? []
        points.append(point)
        if points.count > historyLength { points.removeFirst(points.count - historyLength) }
        history[source.id] = points
        return true
    }

    /// The baseline sources' last good profiles.
    var baselineProfiles: [LoadedProfile] { baselineSources.flatMap { profiles[$0.id] ?? [] } }

    /// The source id of each fetched profile, by profile name.
    var origins: [String: String] {
        var origins: [String: String] = [:]
        for source in sources {
            for profile in profiles[source.id] ?? [] { origins[profile.path] = source.id }
            for profile in (history[source.id] ?? []).joined() { origins[profile.path] = source.id }
        }
        return origins
    }
}

/// Live sources in the server: fetched off the request path by a `LiveMonitor`, their results
/// swapped in as new snapshots exactly as reloaded files are (`scheduleReload`), failures kept
/// apart from the numbers (the last good ones stay).
extension ProfileLensServer {
    /// Starts fetching the configured live sources, stopping any previous ones. Profiles of
    /// sources that are no longer configured are dropped.
    func startLiveSources() {
        dispatchPrecondition(condition: .onQueue(queue))
        stopLiveSources()
        guard state == .running else { return }
        let (current, baseline, errors) = configuration.configuredLiveSources
        let sources = current + baseline
        let ids = Set(sources.map(\.id))
        let dropped = live.profiles.keys.filter { !ids.contains($0) }
        (live.currentSources, live.baselineSources) = (current, baseline)
        live.profiles = live.profiles.filter { ids.contains($0.key) }
        // A new history length starts the series afresh; the numbers shown must follow at once,
        // not at the next good fetch (the source may be down).
        let historyChanged = live.historyLength != configuration.history
        let seriesDropped = historyChanged && !live.history.isEmpty
        if historyChanged { live.history = [:] }
        live.historyLength = configuration.history
        let currentIDs = Set(current.map(\.id))
        live.history = live.history.filter { currentIDs.contains($0.key) }
        live.status = Dictionary(uniqueKeysWithValues: sources.map { source in
            (source.id, live.status[source.id] ?? LiveState.SourceStatus(source: source))
        })
        for error in errors where !live.configurationErrors.contains(error) {
            client?.send(ShowMessageNotification(type: .warning, message: "ProfileLens: \(error.description)"))
            Logger.log(error.description)
        }
        live.configurationErrors = errors
        if !dropped.isEmpty || seriesDropped { scheduleReload(reason: "live sources changed", delay: 0) }
        guard !sources.isEmpty, fetchesLiveSources else { return }
        let generation = live.generation
        let monitor = LiveMonitor(sources: sources, interval: configuration.refresh,
                                  options: FetchOptions(maxBytes: configuration.maxDecompressedMiB << 20)) { [weak self] update in
            guard let self else { return }
            self.queue.async { self.liveUpdate(update, generation: generation) }
        }
        live.monitor = monitor
        monitor.start()
        let when = configuration.refresh > 0 ? "every \(configuration.refresh) s" : "once"
        client?.log("fetching \(sources.count) live source\(sources.count == 1 ? "" : "s") \(when): " + sources.map(\.name).joined(separator: ", "))
    }

    func stopLiveSources() {
        live.monitor?.stop()
        live.monitor = nil
        live.generation += 1
    }

    private func liveUpdate(_ update: LiveMonitor.Update, generation: Int) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard generation == live.generation, state == .running, var status = live.status[update.source.id] else { return }
        let name = update.source.name
        switch update.outcome {
        case .changed(let profiles):
            live.profiles[update.source.id] = profiles
            live.record(profiles, of: update.source, at: update.time)
            if let recovered = status.fetched(at: update.time) { client?.log(recovered) }
            status.lastChanged = update.time
            scheduleReload(reason: "\(name) fetched", delay: 0)
        case .unchanged:
            if let recovered = status.fetched(at: update.time) { client?.log(recovered) }
            if let profiles = live.profiles[update.source.id], live.record(profiles, of: update.source, at: update.time) {
                scheduleReload(reason: "\(name) fetched (a point of its series)", delay: 0)
            }
        case .failed(let error, let firstOfStreak):
            status.error = error.description
            status.failures += 1
            if firstOfStreak || status.failingSince == nil { status.failingSince = update.time }
            let kept = live.profiles[update.source.id] == nil ? "" : "; keeping its last numbers"
            // An endpoint's error starts with its URL already; a query's names only its server,
            // so the query's name (selector and range) goes first.
            var isEndpoint = false
            if case .endpoint = update.source { isEndpoint = error.file == update.source.url }
            let text = (isEndpoint ? error.description : "\(name): \(error.description)") + "\(kept); retrying"
            if firstOfStreak {
                // Once per failure streak, not at every retry.
                client?.send(ShowMessageNotification(type: .warning, message: "ProfileLens: " + text))
                Logger.log(text)
            }
            client?.log(text, type: .warning)
        }
        live.status[update.source.id] = status
    }

    /// `Pyroscope {service_name="checkout"} · last 1h · fetched 12 s ago`, for hovers.
    func liveSourceName(_ id: String) -> String? {
        guard let status = live.status[id] else { return nil }
        guard let fetched = status.lastFetched else { return status.name }
        return "\(status.name) · fetched \(Self.age(Date().timeIntervalSince1970 - fetched)) ago"
    }

    static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        return "\(s / 3600) h"
    }

    /// The live sources for `profilelens.status`: each one's state, error and since when.
    func liveStatusValue() -> JSONValue {
        let formatter = ISO8601DateFormatter()
        func time(_ t: Double?) -> JSONValue { t.map { .string(formatter.string(from: Date(timeIntervalSince1970: $0))) } ?? .null }
        var items: [JSONValue] = live.sources.compactMap { source in
            guard let status = live.status[source.id] else { return nil }
            let state = status.error != nil ? "failing" : status.lastFetched == nil ? "fetching" : "ok"
            return .object([
                "source": .string(status.name), "url": .string(source.url), "state": .string(state),
                "error": status.error.map { .string($0) } ?? .null, "failingSince": time(status.failingSince),
                "failures": .number(Double(status.failures)), "lastFetched": time(status.lastFetched),
                "lastChanged": time(status.lastChanged), "profiles": .number(Double(live.profiles[source.id]?.count ?? 0)),
            ])
        }
        items += live.configurationErrors.map { error in
            .object(["source": .string(error.file), "url": .string(error.file), "state": .string("invalid"),
                     "error": .string(error.message)])
        }
        return .array(items)
    }
}
