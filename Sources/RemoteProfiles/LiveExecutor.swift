import Foundation
import SystemIO

/// The thread that live sources run on: every fetch, its decoding and the refresh loops are
/// tasks with this executor as their preference, so they never wait for (or take) a thread of
/// Swift's shared cooperative pool, whose few threads (one per core) may all be busy. The
/// thread runs at a lower priority than the threads that answer the editor, so that hovers go
/// first when the cores are busy (a CPU profile's service is busy by definition).
final class LiveExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = LiveExecutor()

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []

    private init() {
        let thread = Thread { [unowned self] in
            Processes.lowerCurrentThreadPriority()
            run()
        }
        thread.name = "profilelens-live"
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.withLock {
                while jobs.isEmpty { condition.wait() }
                swap(&batch, &jobs)
            }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
