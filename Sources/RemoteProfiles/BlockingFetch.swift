import Foundation
import PprofFormat

extension LiveFetcher {
    /// Fetches every source once, concurrently (CPU profiles of one host still one at a time),
    /// blocking the calling thread until all are done: for the terminal commands, which have
    /// nothing else to do meanwhile. One result per source, in order.
    ///
    /// The first `failFast` sources are the ones the caller needs first (the current profiles,
    /// before a baseline): as soon as one of them fails after all before it have succeeded,
    /// that failure is the one the caller reports, so the others are cancelled rather than
    /// waited for (a baseline's 30-second CPU window, a server that hangs).
    public static func fetchAll(_ sources: [LiveSource], options: FetchOptions,
                                failFast: Int = 0) -> [Result<[LoadedProfile], ProfileLoadError>] {
        // Nothing to fetch (a command on files only): no task, no executor thread.
        guard !sources.isEmpty else { return [] }
        let results = LockedValue([Result<[LoadedProfile], ProfileLoadError>?](repeating: nil, count: sources.count))
        let done = DispatchSemaphore(value: 0)
        // Detached: a task started from the main thread must not need the main actor, which
        // this thread holds while it waits; on the live executor, it needs no thread of the
        // shared pool either (callers may be blocking one).
        Task.detached(executorPreference: LiveExecutor.shared) {
            await withTaskGroup(of: Void.self) { group in
                for (i, source) in sources.enumerated() {
                    group.addTask {
                        let result: Result<[LoadedProfile], ProfileLoadError>
                        do throws(ProfileLoadError) { result = .success(try await LiveFetcher(source, options: options).fetch()) } catch { result = .failure(error) }
                        results.update { $0[i] = result }
                    }
                }
                while await group.next() != nil {
                    if Self.decidingFailure(results.value.prefix(failFast)) { group.cancelAll() }
                }
            }
            done.signal()
        }
        done.wait()
        return results.value.map { $0 ?? .failure(ProfileLoadError(file: "", message: "not fetched")) }
    }

    /// Whether the first of `results` that is not a success has failed (rather than not ended yet).
    private static func decidingFailure(_ results: ArraySlice<Result<[LoadedProfile], ProfileLoadError>?>) -> Bool {
        for result in results {
            switch result {
            case .success?: continue
            case .failure?: return true
            case nil: return false
            }
        }
        return false
    }
}

extension LiveFetcher {
    /// `fetch()` on the live executor, blocking the calling thread until it is done.
    public func fetchBlocking() throws(ProfileLoadError) -> [LoadedProfile] {
        let result = LockedValue<Result<[LoadedProfile], ProfileLoadError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached(executorPreference: LiveExecutor.shared) {
            let outcome: Result<[LoadedProfile], ProfileLoadError>
            do throws(ProfileLoadError) { outcome = .success(try await self.fetch()) } catch { outcome = .failure(error) }
            result.update { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try (result.value ?? .failure(ProfileLoadError(file: source.url, message: "not fetched"))).get()
    }
}
