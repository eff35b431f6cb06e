import Foundation

/// liveshop, the Go service of `Tests/Fixtures/corpus/liveshop/src`, serving `net/http/pprof` on
/// 127.0.0.1: built with `go build` once per test run into a temporary folder, started on a
/// free port. `GET /mode?hot=alpha|beta|mixed` switches its hot function.
///
/// Without Go the tests that need it are skipped with a message, except under CI (the `CI`
/// environment variable), where they fail: CI installs Debian's golang-go and must run them.
public final class GoService: @unchecked Sendable {
    public let port: Int
    public let process: Process

    /// Whether `go` is on the PATH.
    public static let goAvailable: Bool = which("go") != nil

    /// Whether the tests that need Go run: always under CI (where a missing Go then fails them).
    public static let enabled = goAvailable || ProcessInfo.processInfo.environment["CI"] != nil
    public static let skipMessage = "Go is not installed (apt-get install golang-go): skipping the tests against a real net/http/pprof service"

    /// The built binary, or why it could not be built.
    public static let binary: Result<String, BuildError> = {
        guard let go = which("go") else { return .failure(BuildError(message: "go is not on the PATH (CI needs golang-go)")) }
        let out = Fixtures.temporaryDirectory("liveshop-bin") + "/liveshop"
        let build = Process()
        build.executableURL = URL(fileURLWithPath: go)
        build.arguments = ["build", "-o", out, "."]
        build.currentDirectoryURL = URL(fileURLWithPath: Fixtures.path("corpus/liveshop/src"))
        let errors = Pipe()
        build.standardError = errors
        build.standardOutput = FileHandle.nullDevice
        do { try build.run() } catch { return .failure(BuildError(message: "cannot run go: \(error)")) }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        build.waitUntilExit()
        guard build.terminationStatus == 0 else { return .failure(BuildError(message: "go build failed: \(text)")) }
        return .success(out)
    }()

    public struct BuildError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Starts the service with `hot` burning CPU, and waits until it accepts connections.
    public init(hot: String = "alpha", port: Int = TestHTTPServer.freePort()) throws {
        let binary = try Self.binary.get()
        self.port = port
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-serve", "127.0.0.1:\(port)", "-hot", hot]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard Self.waitForPort(port, timeout: 20) else {
            process.terminate()
            throw BuildError(message: "liveshop did not start listening on \(port)")
        }
    }

    deinit { kill() }

    public var base: String { "http://127.0.0.1:\(port)/debug/pprof" }

    /// Switches the hot function (`alpha`, `beta`, `mixed`), with a plain HTTP/1.0 request.
    public func setHot(_ hot: String) throws {
        let fd = Self.connectLocally(port)
        guard fd >= 0 else { throw BuildError(message: "cannot connect to liveshop on \(port)") }
        defer { close(fd) }
        let request = Array("GET /mode?hot=\(hot) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0, String(decoding: buffer.prefix(count), as: UTF8.self).contains("200 OK") else {
            throw BuildError(message: "liveshop did not switch to \(hot)")
        }
    }

    /// Ends the service at once, as a crash would.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    public static func waitForPort(_ port: Int, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let fd = connectLocally(port)
            if fd >= 0 {
                close(fd)
                return true
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// A TCP connection to 127.0.0.1:`port`: its descriptor, or -1 when nothing listens there.
    static func connectLocally(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if connected != 0 {
            close(fd)
            return -1
        }
        return fd
    }

    static func which(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
