import Foundation

/// Polls `probe` every 50 ms until it gives a value or `timeout` seconds pass; the last try
/// comes after the deadline. For what the server does by itself (a fetch, a reload, a
/// message). A probe must not call into a `JSONRPCTestPeer.wait` predicate: the peer's lock
/// is not recursive.
public func poll<T>(_ timeout: Double, _ probe: () -> T?) -> T? {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if let value = probe() { return value }
        Thread.sleep(forTimeInterval: 0.05)
    } while Date() < deadline
    return probe()
}
