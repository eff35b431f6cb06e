import Foundation

/// When snapshots are installed, for whoever waits on it outside the server's queue: tests and
/// the fuzzer wait for a load to finish here rather than sleeping or reading log text.
public final class LoadSignal: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var generation = 0
    private var busy = false

    /// The generation of the snapshot in use (0 before the first load).
    public var installedGeneration: Int { condition.withLock { generation } }

    func loadStarted() {
        condition.withLock { busy = true }
    }

    func installed(generation: Int, stillBusy: Bool) {
        condition.withLock {
            self.generation = generation
            busy = stillBusy
            condition.broadcast()
        }
    }

    /// Waits until a snapshot of at least `generation` is in use; false on timeout.
    @discardableResult
    public func wait(forGeneration generation: Int, timeout: Double = 30) -> Bool {
        wait(timeout) { self.generation >= generation }
    }

    /// Waits until no load is running or scheduled; false on timeout.
    @discardableResult
    public func waitUntilIdle(timeout: Double = 30) -> Bool {
        wait(timeout) { !self.busy }
    }

    private func wait(_ timeout: Double, until done: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !done() {
            if !condition.wait(until: deadline) { return done() }
        }
        return true
    }
}
