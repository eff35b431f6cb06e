import Foundation
import Testing
import TestSupport

/// The built `profilelens` binary, run as users and editors run it: exit codes, peak memory
/// on hostile input, and a protocol stream that nothing else writes into.
@Suite(.serialized) struct BinaryTests {
    /// `swift test` builds the executable beside the tests.
    static let binary: String = {
        let root = URL(fileURLWithPath: Fixtures.root).deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            let path = root.appendingPathComponent(".build/\(configuration)/profilelens").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "profilelens-not-built"
    }()

    struct Run {
        let status: Int32
        let stdout: Data
        let stderr: String
        let peakMiB: Double
    }

    /// Runs the binary with posix_spawn and reaps it with wait4, which gives its own peak
    /// memory (Foundation's Process reaps children itself and loses that). stdin comes from a
    /// file holding `input`; stdout and stderr go to files.
    func run(_ arguments: [String], input: Data = Data()) throws -> Run {
        let dir = Fixtures.temporaryDirectory("binary-run")
        let (inPath, outPath, errPath) = (dir + "/in", dir + "/out", dir + "/err")
        FileManager.default.createFile(atPath: inPath, contents: input)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([Self.binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, Self.binary, &actions, nil, argv, environ)
        try #require(spawned == 0, "cannot start \(Self.binary)")
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -(status & 0x7F)
        return Run(status: exit, stdout: FileManager.default.contents(atPath: outPath) ?? Data(),
                   stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
                   peakMiB: Double(usage.ru_maxrss) / 1024)
    }

    @Test func aGzipBombOfZerosIsRefusedAtOnce() throws {
        let result = try run(["lines", "--json", Fixtures.path("hostile/zeros-1gib.gz")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("zeros-1gib.gz: not a valid pprof profile: invalid field number 0"))
        #expect(result.peakMiB < 64, "peak \(result.peakMiB) MiB")
    }

    @Test func aGzipBombOfValidFieldsStopsAtTheCapWithoutTheMemory() throws {
        let result = try run(["lines", "--json", Fixtures.path("hostile/unknown-fields-1gib.pb.gz")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("decompressed size exceeds the limit of 1 GiB"), "\(result.stderr)")
        #expect(result.peakMiB < 64, "peak \(result.peakMiB) MiB")
        let smaller = try run(["lines", "--json", "--max-decompressed", "16", Fixtures.path("hostile/unknown-fields-1gib.pb.gz")])
        #expect(smaller.stderr.contains("more than the decompression limit of 16 MiB"), "\(smaller.stderr)")
    }

    @Test func serveWritesNothingButProtocolToStdout() throws {
        func frame(_ text: String) -> Data { Data("Content-Length: \(text.utf8.count)\r\n\r\n\(text)".utf8) }
        var input = frame(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file:///nonexistent","capabilities":{},"initializationOptions":{"profiles":["/nonexistent/cpu.pb.gz"]}}}"#)
        input += Data("Content-Length: 9\r\n\r\n{not json".utf8)
        input += frame(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#)
        input += frame(#"{"jsonrpc":"2.0","method":"exit"}"#)
        let result = try run(["serve"], input: input)
        #expect(result.status == 0)
        // Every byte of stdout belongs to a well-formed frame.
        var rest = result.stdout[...]
        var messages = 0
        while !rest.isEmpty {
            guard let end = rest.firstRange(of: Data("\r\n\r\n".utf8)) else { Issue.record("stray bytes: \(String(decoding: rest, as: UTF8.self))"); break }
            let header = String(decoding: rest[rest.startIndex ..< end.lowerBound], as: UTF8.self)
            let length = try #require(Int(header.replacingOccurrences(of: "Content-Length: ", with: "")))
            let body = rest[end.upperBound ..< end.upperBound + length]
            #expect((try? JSONSerialization.jsonObject(with: body)) != nil)
            rest = rest[(end.upperBound + length)...]
            messages += 1
        }
        #expect(messages >= 3)
    }

    @Test func aBodyCutShortByTheEndOfInputExits() throws {
        let input = Data("Content-Length: 100\r\n\r\n{\"jsonrpc\":".utf8)
        let result = try run(["serve"], input: input)
        #expect(result.status == 1)
    }

    @Test func badArgumentsExitWithUsage() throws {
        let result = try run(["top"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Missing expected argument"))
    }
}
