#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Questions about processes and threads.
public enum Processes {
    /// Whether a process with this id exists and has not exited. A process we may not signal
    /// (EPERM) exists; one that exited but was not yet reaped by its parent (a zombie) has
    /// exited, although `kill` still finds it.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        // /proc/PID/stat is "PID (COMMAND) STATE ...": the state follows the last ')'.
        if let bytes = FileSystem.head("/proc/\(pid)/stat", count: 512),
           let close = bytes.lastIndex(of: UInt8(ascii: ")")), close + 2 < bytes.count {
            return bytes[close + 2] != UInt8(ascii: "Z") && bytes[close + 2] != UInt8(ascii: "X")
        }
        #endif
        return true
    }

    /// Lowers the calling thread's scheduling priority, so that background work (loading
    /// profiles) leaves the CPU to requests. On Linux `setpriority` with who = 0 applies to the
    /// calling thread only; elsewhere it would lower the whole process, so it is skipped.
    public static func lowerCurrentThreadPriority() {
        #if os(Linux)
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    /// Makes writes to a closed pipe fail with EPIPE instead of killing the process.
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Duplicates a descriptor (`dup`), or returns -1.
    public static func duplicate(_ descriptor: Int32) -> Int32 { dup(descriptor) }

    /// Points `target` at what `source` refers to (`dup2`).
    @discardableResult
    public static func redirect(_ source: Int32, to target: Int32) -> Bool { dup2(source, target) >= 0 }

    /// Ends the process at once, without running atexit handlers or static destructors that
    /// could race the other threads.
    public static func exitImmediately(_ code: Int32) -> Never { _exit(code) }
}

/// The process's environment variables.
public enum Environment {
    public static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}
