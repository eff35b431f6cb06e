import Foundation
import PprofFormat

/// Fetches live sources on an interval, each on a task of its own, and says what came of it.
///
/// A source is fetched again `interval` seconds after its last fetch started (at once when a
/// fetch took longer): fetches of one source never overlap, so a hanging server delays only its
/// own next fetch. A result equal in its numbers to the last one is reported as `unchanged`
/// (the caller then sends nothing to the editor). A failure is retried with backoff (1 s, 2 s,
/// 4 s, ... up to the interval), and `firstOfStreak` marks the first failure after a success, so
/// that the caller can say it once. Nothing here touches the caller's state: `deliver` is
/// called from the tasks, and the caller moves the update to its own queue.
public final class LiveMonitor: Sendable {
    public struct Update: Sendable {
        public enum Outcome: Sendable {
            /// New numbers (or the first ones).
            case changed([LoadedProfile])
            /// The same numbers as the last fetch.
            case unchanged
            case failed(ProfileLoadError, firstOfStreak: Bool)
        }

        public let source: LiveSource
        public let outcome: Outcome
        /// When the fetch ended, in seconds since 1970.
        public let time: Double
    }

    public let sources: [LiveSource]
    public let interval: Double
    private let options: FetchOptions
    private let deliver: @Sendable (Update) -> Void
    private let sleepers: [Sleeper]
    private let tasks = LockedValue<[Task<Void, Never>]>([])

    /// `interval` 0 fetches each source once (retrying failures until one succeeds).
    public init(sources: [LiveSource], interval: Double, options: FetchOptions, deliver: @escaping @Sendable (Update) -> Void) {
        self.sources = sources
        self.interval = max(0, interval)
        self.options = options
        self.deliver = deliver
        sleepers = sources.map { _ in Sleeper() }
    }

    deinit { stop() }

    public func start() {
        let started = zip(sources, sleepers).map { source, sleeper in
            let fetcher = LiveFetcher(source, options: options)
            return Task.detached(executorPreference: LiveExecutor.shared) { [interval, deliver] in
                await Self.run(fetcher, interval: interval, sleeper: sleeper, deliver: deliver)
            }
        }
        tasks.update { $0 += started }
    }

    /// Fetches every source now rather than at its next turn (a running fetch is not repeated).
    public func refreshNow() {
        for sleeper in sleepers { sleeper.wake() }
    }

    /// Cancels every fetch; nothing is delivered after a cancelled fetch ends.
    public func stop() {
        let running = tasks.update { tasks -> [Task<Void, Never>] in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        for sleeper in sleepers { sleeper.wake() }
    }

    /// The backoff after `failures` failures in a row: 1, 2, 4, 8 ... seconds, at most `interval`.
    public static func backoff(failures: Int, interval: Double) -> Double {
        let delay = pow(2, Double(min(max(failures - 1, 0), 16)))
        return interval > 0 ? min(delay, interval) : min(delay, 60)
    }

    private static func run(_ fetcher: LiveFetcher, interval: Double, sleeper: Sleeper,
                            deliver: @Sendable (Update) -> Void) async {
        var last: [LoadedProfile]?
        var failures = 0
        while !Task.isCancelled {
            let started = Date()
            let delay: Double
            do {
                let profiles = try await fetcher.fetch()
                if Task.isCancelled { return }
                let now = Date().timeIntervalSince1970
                if let last, ProfileComparison.sameNumbers(last, profiles) {
                    deliver(Update(source: fetcher.source, outcome: .unchanged, time: now))
                } else {
                    last = profiles
                    deliver(Update(source: fetcher.source, outcome: .changed(profiles), time: now))
                }
                failures = 0
                if interval == 0 { return }
                delay = max(0, interval - Date().timeIntervalSince(started))
            } catch {
                if Task.isCancelled { return }
                failures += 1
                deliver(Update(source: fetcher.source, outcome: .failed(error, firstOfStreak: failures == 1),
                               time: Date().timeIntervalSince1970))
                delay = backoff(failures: failures, interval: interval)
            }
            await sleeper.sleep(seconds: delay)
        }
    }
}

/// A sleep that `wake()` (or the task's cancellation) ends early.
final class Sleeper: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, Never>?
        var turn = 0
        var wakeRequested = false
    }

    private let state = LockedValue(State())

    func sleep(seconds: Double) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let turn = state.update { state -> Int? in
                    if state.wakeRequested {
                        state.wakeRequested = false
                        return nil
                    }
                    state.turn += 1
                    state.continuation = continuation
                    return state.turn
                }
                guard let turn else { return continuation.resume() }
                DispatchQueue.global().asyncAfter(deadline: .now() + max(0, seconds)) { [self] in
                    resume(turn: turn)
                }
            }
        } onCancel: {
            wake()
        }
    }

    /// Ends the current sleep, or the next one at once if none is running.
    func wake() {
        let continuation = state.update { state -> CheckedContinuation<Void, Never>? in
            guard let continuation = state.continuation else {
                state.wakeRequested = true
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume()
    }

    private func resume(turn: Int) {
        let continuation = state.update { state -> CheckedContinuation<Void, Never>? in
            guard state.turn == turn, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return continuation
        }
        continuation?.resume()
    }
}

/// Whether two fetches carry the same numbers: everything but the profiles' timestamps.
public enum ProfileComparison {
    public static func sameNumbers(_ a: [LoadedProfile], _ b: [LoadedProfile]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.path == $1.path && sameNumbers($0.profile, $1.profile) }
    }

    public static func sameNumbers(_ a: Profile, _ b: Profile) -> Bool {
        a.sampleTypes == b.sampleTypes && a.defaultSampleType == b.defaultSampleType && a.periodType == b.periodType
            && a.period == b.period && a.kindHint == b.kindHint && a.strings == b.strings
            && a.samples.valuesPerSample == b.samples.valuesPerSample && a.samples.values == b.samples.values
            && a.samples.locationStart == b.samples.locationStart && a.samples.stacks == b.samples.stacks
            && a.samples.labelStart == b.samples.labelStart && a.samples.labels == b.samples.labels
            && a.locations.mapping == b.locations.mapping && a.locations.address == b.locations.address
            && a.locations.lineStart == b.locations.lineStart && a.locations.lineFunction == b.locations.lineFunction
            && a.locations.lineNumber == b.locations.lineNumber && a.functions.name == b.functions.name
            && a.functions.sameSystemNames(as: b.functions) && a.functions.filename == b.functions.filename
            && a.functions.startLine == b.functions.startLine && a.mappings == b.mappings
    }
}
