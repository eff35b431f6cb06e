import Foundation

/// A counter shared with a test server's threads or event loop.
public final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    public init() {}

    public var value: Int { lock.withLock { count } }

    /// Adds one and returns the new count.
    @discardableResult public func increment() -> Int { lock.withLock { count += 1; return count } }
    public func decrement() { lock.withLock { count -= 1 } }
}
