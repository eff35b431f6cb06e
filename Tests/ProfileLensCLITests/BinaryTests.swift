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

    /// Runs the binary and reports its exit status and peak memory. stdin comes from a file
    /// holding `input`; stdout and stderr go to files.
    ///
    /// The peak is measured by a small Python parent that starts the binary and reaps it with
    /// `wait4`: on Linux a child spawned straight from this (large) test process inherits the
    /// test process's peak in its `ru_maxrss` when it execs, which would hide the binary's own.
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
        let peakPath = dir + "/peak"
        let measure = """
            import os, subprocess, sys
            p = subprocess.Popen(sys.argv[2:])
            _, status, usage = os.wait4(p.pid, 0)
            open(sys.argv[1], "w").write(str(usage.ru_maxrss))
            sys.exit(os.waitstatus_to_exitcode(status) & 0xFF if os.waitstatus_to_exitcode(status) >= 0 else 128 - os.waitstatus_to_exitcode(status))
            """
        let argv = (["python3", "-c", measure, peakPath, Self.binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "python3", &actions, nil, argv, environ)
        try #require(spawned == 0, "cannot start python3 to run \(Self.binary)")
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        var exit = (status >> 8) & 0xFF
        if exit >= 128 { exit = 128 - exit }
        let peakKiB = Double((try? String(contentsOfFile: peakPath, encoding: .utf8)).flatMap { Int($0) } ?? -1)
        return Run(status: exit, stdout: FileManager.default.contents(atPath: outPath) ?? Data(),
                   stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
                   peakMiB: peakKiB / 1024)
    }

    @Test func aGzipBombOfZerosIsRefusedAtOnce() throws {
        let result = try run(["lines", "--json", Fixtures.path("hostile/zeros-1gib.gz")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("zeros-1gib.gz: not a valid pprof profile: invalid field number 0"))
        #expect(result.peakMiB > 0 && result.peakMiB < 64, "peak \(result.peakMiB) MiB")
    }

    @Test func aGzipBombOfValidFieldsStopsAtTheCapWithoutTheMemory() throws {
        let result = try run(["lines", "--json", Fixtures.path("hostile/unknown-fields-1gib.pb.gz")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("decompressed size exceeds the limit of 1 GiB"), "\(result.stderr)")
        #expect(result.peakMiB > 0 && result.peakMiB < 64, "peak \(result.peakMiB) MiB")
        let smaller = try run(["lines", "--json", "--max-decompressed", "16", Fixtures.path("hostile/unknown-fields-1gib.pb.gz")])
        #expect(smaller.stderr.contains("more than the decompression limit of 16 MiB"), "\(smaller.stderr)")
    }

    /// Truncated profiles (from the hostile check) whose string table lost its entries, so that
    /// their sample types all read as "": the repeats get names of their own instead of
    /// trapping where the groups and kinds of a profile set assumed one column per type.
    @Test(arguments: ["repeated-sample-types-cpu.pb", "repeated-sample-types-allocs.pb"])
    func repeatedSampleTypesAreRenamed(file: String) throws {
        for command in ["lines", "top"] {
            let result = try run([command, Fixtures.path("hostile/" + file)])
            #expect(result.status == 0, "\(command): \(result.stderr.suffix(400))")
            #expect(result.stderr.contains("sample types repeat; the repeats read as #2/"), "\(result.stderr)")
        }
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

    /// What `top` tells a user on stderr about the choices it made (issue #9).
    @Test func topSaysWhatItChose() throws {
        let parity = Fixtures.path("parity/")
        let stripped = try run(["top", parity + "stripped.pb"])
        #expect(stripped.status == 0)
        #expect(stripped.stderr.contains("the profile has no symbols"))
        #expect(String(decoding: stripped.stdout, as: UTF8.self).contains("[app]"))
        // pprof's default type for a .NET profile is its last, all-zero lock_time: say so.
        let dotnet = try run(["top", parity + "zero-valued-type.dotnet.pb"])
        #expect(dotnet.stderr.contains("lock_time is zero in every sample; types with values: cpu"))
        // Two programs: the first is shown, and the other named.
        let programs = try run(["top", parity + "two-programs.go.pb", parity + "two-programs.python.pb", "-n", "3"])
        #expect(programs.stderr.contains("2 programs: checkout (Go) with 1 profile, python3.11 (Python) with 1 profile; showing checkout (Go)"))
        let python = try run(["top", parity + "two-programs.go.pb", parity + "two-programs.python.pb", "--program", "python"])
        #expect(String(decoding: python.stdout, as: UTF8.self).contains("Showing nodes accounting for 2000ms, 100% of 2000ms total"))
    }

    /// `lines --json` lists a line whose cum is 0 but whose flat is not (negative values).
    @Test func linesListFlatOnlyLines() throws {
        let result = try run(["lines", Fixtures.path("parity/delta-negative.pb"), "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let files = try #require(json["files"] as? [String: [String: [String: [Int]]]])
        #expect(files["/build/deltaapp/cache/cache.go"]?["12"]?["flat"] == [1, 4096])
        #expect(files["/build/deltaapp/cache/cache.go"]?["12"]?["cum"] == [0, 0])
        let functions = try #require(json["functions"] as? [String: Any])
        #expect(!functions.keys.contains { $0.hasPrefix("[") || $0 == "<unknown>" })
    }

    @Test func badArgumentsExitWithUsage() throws {
        let result = try run(["top"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Missing expected argument"))
    }
}
