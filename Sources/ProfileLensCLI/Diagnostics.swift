import Foundation
import ProfileQuery
import SystemIO

/// An error that ends a command with exit code 1 and its message on stderr.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// Writing to the standard streams. Reports go to stdout, everything else to stderr.
enum Diagnostics {
    static func warn(_ message: String) {
        StandardStreams.error("profilelens: warning: " + message + "\n")
    }

    /// Writes text to stdout in one call, unbuffered, so that nothing interleaves with it.
    static func output(_ text: String) {
        StandardStreams.output(text)
    }
}

/// Encodes a value as JSON on stdout, with sorted keys so that output is stable.
func writeJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(value)
    data.append(0x0A)
    StandardStreams.output(String(decoding: data, as: UTF8.self))
}

/// Phase timings for benchmarks: with `PROFILELENS_TIMINGS=1` in the environment, a command
/// prints how long loading, indexing and output took, and the load+index throughput, to stderr.
struct PhaseTimer {
    private let enabled = getenv("PROFILELENS_TIMINGS") != nil
    private var last = ContinuousClock.now
    private var phases: [(String, Duration)] = []

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        phases.append((phase, now - last))
        last = now
        // The resident size so far (peak and now; heap and mapped files), to see which phase
        // takes the memory.
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            let memory = status.split(separator: "\n").filter { ["VmHWM", "VmRSS", "RssAnon", "RssFile"].contains(where: $0.hasPrefix) }
            StandardStreams.error("after \(phase): " + memory.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }.joined(separator: ", ") + "\n")
        }
    }

    func report(bytes: Int) {
        guard enabled else { return }
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
        let loadAndIndex = phases.filter { $0.0 == "load" || $0.0 == "index" }.map { ms($0.1) }.reduce(0, +)
        let throughput = loadAndIndex > 0 ? Double(bytes) / 1e6 / (loadAndIndex / 1000) : 0
        var line = phases.map { "\($0.0)=\(PrintfNumber.string("%.1f", ms($0.1)))ms" }.joined(separator: " ")
        line += " uncompressed=\(PrintfNumber.string("%.1f", Double(bytes) / 1e6))MB"
        line += " load+index=\(PrintfNumber.string("%.1f", throughput))MB/s"
        StandardStreams.error("timings: " + line + "\n")
    }
}
