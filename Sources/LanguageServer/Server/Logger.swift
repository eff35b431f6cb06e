import SystemIO

/// Logging to stderr, which editors show in their language server logs. stdout belongs to the
/// protocol and is never written here.
public enum Logger {
    public static func log(_ message: String) {
        StandardStreams.error("profilelens: " + message + "\n")
    }
}
