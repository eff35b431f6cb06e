import Foundation
import Testing
import TestSupport
import RemoteProfiles
@testable import ProfileLensCLI

/// `top`, `list` and `lines` on live sources: pprof endpoint URLs as PROFILE arguments, and
/// `--pyroscope URL --query SELECTOR` with `--from`, `--until`, `--tenant` and `--type`.
/// Nested in `CommandTests`, whose `.serialized` then covers both: they share file descriptor 1.
extension CommandTests {
@Suite struct LiveCommandTests {
    static let selector = #"{service_name="liveshop"}"#
    static let cpuType = "process_cpu:cpu:nanoseconds:cpu:nanoseconds"

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let names = ["PROFILELENS_PYROSCOPE_TOKEN", "PROFILELENS_PYROSCOPE_USERNAME", "PROFILELENS_PYROSCOPE_PASSWORD",
                     "PROFILECLI_TOKEN", "PROFILECLI_USERNAME", "PROFILECLI_PASSWORD", "PROFILECLI_TENANT_ID"]
        let saved = names.map { name in (name, getenv(name).map { String(cString: $0) }) }
        for name in names { unsetenv(name) }
        for (name, value) in environment { setenv(name, value, 1) }
        defer {
            for (name, value) in saved {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }
        return try captureStandardOutput {
            var command = try ProfileLensCommand.parseAsRoot(arguments)
            try command.run()
        }
    }

    func failure(_ arguments: [String], environment: [String: String] = [:]) -> String {
        do {
            _ = try run(arguments, environment: environment)
            return "succeeded"
        } catch {
            return ProfileLensCommand.message(for: error)
        }
    }

    static func entries() -> [PyroscopeStandin.Entry] {
        [PyroscopeStandin.Entry(service: "liveshop", typeID: cpuType, file: Fixtures.path("live/pyroscope/liveshop-mixed.cpu.pb"), ago: 600),
         PyroscopeStandin.Entry(service: "liveshop", typeID: cpuType, file: Fixtures.path("live/pyroscope/liveshop-alpha.cpu.pb"), ago: 5400),
         PyroscopeStandin.Entry(service: "liveshop", typeID: "memory:inuse_space:bytes:space:bytes",
                                file: Fixtures.path("live/pyroscope/liveshop-heap.inuse_space.pb"), ago: 300)]
    }

    @Test func topFromPyroscopeWithTenantAndToken() throws {
        let standin = try PyroscopeStandin(entries: Self.entries(), tenant: "team-a", token: "s3cret")
        let out = try run(["top", "--pyroscope", standin.url, "--tenant", "team-a", "--query", Self.selector, "--type", "cpu", "-n", "5"],
                          environment: ["PROFILELENS_PYROSCOPE_TOKEN": "s3cret"])
        #expect(out.contains("Type: cpu\n") && out.contains("Total samples = 1610ms"), "\(out)")
        #expect(out.contains("example.com/liveshop/hot.Alpha"))
        let last = try #require(standin.calls.last)
        #expect(last.method == "SelectMergeStacktraces" && last.string(1) == Self.cpuType && last.string(2) == Self.selector)
        #expect(last.headers["authorization"] == "Bearer s3cret" && last.headers["x-scope-orgid"] == "team-a")
        #expect(standin.calls.filter { $0.method == "SelectMergeStacktraces" }.count == 1, "--type cpu fetches one type")
        // profilecli's variables, with no --tenant.
        let profilecli = try run(["top", "--pyroscope", standin.url, "--query", Self.selector, "--type", "cpu"],
                                 environment: ["PROFILECLI_TOKEN": "s3cret", "PROFILECLI_TENANT_ID": "team-a"])
        #expect(profilecli.contains("hot.Alpha"))
        let wrong = failure(["top", "--pyroscope", standin.url, "--tenant", "team-a", "--query", Self.selector],
                            environment: ["PROFILELENS_PYROSCOPE_TOKEN": "wrong"])
        #expect(wrong == "\(standin.url)/querier.v1.QuerierService/ProfileTypes: HTTP 401 Unauthorized unauthenticated: invalid or missing bearer token")
    }

    @Test func linesWithTimeRangesAndList() throws {
        let standin = try PyroscopeStandin(entries: Self.entries())
        func totals(_ extra: [String]) throws -> [Int64] {
            let out = try run(["lines", "--pyroscope", standin.url, "--query", Self.selector, "--type", "cpu", "--json"] + extra)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            return (json["totals"] as? [NSNumber])?.map(\.int64Value) ?? []
        }
        #expect(try totals([]) == [1_610_000_000])
        #expect(try totals(["--from", "now-2h", "--until", "now-1h"]) == [1_440_000_000])
        let last = try #require(standin.calls.last)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(abs((last.int(4) ?? 0) - (now - 3_600_000)) < 60_000 && (last.int(4) ?? 0) - (last.int(3) ?? 0) == 3_600_000)
        let from = Int64(Date().timeIntervalSince1970 * 1000) - 7_200_000
        #expect(try totals(["--from", String(from), "--until", "now-1h"]) == [1_440_000_000])
        // Every kind without --type: CPU and in-use memory side by side.
        let all = try run(["lines", "--pyroscope", standin.url, "--query", Self.selector])
        #expect(all.contains(#""type":"inuse_space""#) && all.contains(#""type":"cpu""#))
        let ws = Fixtures.temporaryDirectory("liveshop-list")
        try FileManager.default.createDirectory(atPath: ws + "/hot", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/liveshop/src/hot/hot.go"), toPath: ws + "/hot/hot.go")
        let list = try run(["list", "--pyroscope", standin.url, "--query", Self.selector, "--type", "cpu", "--function", "hot.Alpha", "--root", ws])
        let row = try #require(list.split(separator: "\n").first { $0.contains("alpha hot line") })
        #expect(!row.trimmingCharacters(in: .whitespaces).hasPrefix("."), "\(row)")
    }

    @Test func aServerBeforeV22AndErrors() throws {
        let prefix = "/api/datasources/proxy/uid/abc"
        let old = try PyroscopeStandin(entries: Self.entries(), prefix: prefix, old: true)
        let out = try run(["top", "--pyroscope", old.url, "--query", Self.selector, "--type", "cpu", "-n", "5"])
        #expect(out.contains("hot.Alpha"))
        #expect(old.calls.contains { $0.method == "SelectMergeProfile" })
        #expect(failure(["top", "--pyroscope", old.url, "--query", #"service_name="liveshop""#, "--type", "cpu"]).contains("must be in braces"))
        #expect(failure(["top", "--pyroscope", old.url]).contains("--pyroscope needs --query"))
        #expect(failure(["top", "--query", Self.selector]).contains("need --pyroscope"))
        #expect(failure(["top"]).contains("Missing expected argument"))
        #expect(failure(["top", "--pyroscope", old.url, "--query", Self.selector, "--from", "yesterday"]).contains("invalid time 'yesterday'"))
        #expect(failure(["lines", "--pyroscope", old.url, "--query", #"{service_name="nobody"}"#, "--type", "cpu"])
            .contains("no profiles of type cpu match {service_name=\"nobody\"} (last 1h)"))
    }

    @Test func endpointURLsAreProfileArguments() throws {
        let profile = Array(FileManager.default.contents(atPath: Fixtures.path("corpus/goshop/profiles/cpu.pb.gz")) ?? Data())
        let server = try TestHTTPServer { request in
            request.path == "/debug/pprof/profile"
                ? .reply(status: 200, headers: [("Content-Type", "application/octet-stream")], body: profile)
                : .text(404, "Unknown profile\n", headers: [("X-Go-Pprof", "1")])
        }
        let url = server.url + "/debug/pprof/profile?seconds=1"
        let out = try run(["top", url, "-n", "3"])
        #expect(out.contains("230ms 21.50% 85.98%      960ms 89.72%  example.com/goshop/pricing.discount"), "\(out)")
        // A URL beside a file: the same sample types are summed.
        let both = try run(["lines", "--json", url, Fixtures.path("corpus/goshop/profiles/cpu.pb.gz")])
        #expect(both.contains(#""totals":[214,2140000000]"#))
        #expect(failure(["top", server.url + "/debug/pprof/nonexistent"]) == "\(server.url)/debug/pprof/nonexistent: server response: 404 Not Found - Unknown profile")
        let dead = TestHTTPServer.freePort()
        let refused = failure(["top", "http://127.0.0.1:\(dead)/debug/pprof/heap"])
        #expect(refused.contains("127.0.0.1:\(dead)") && refused.contains("connection refused"), "\(refused)")
        #expect(failure(["top", "http://exa mple.com/x"]).contains("not a valid http:// or https:// URL"))
    }

    /// The current profiles' endpoints and the baseline's are fetched at once: two answers that
    /// each take 1.5 s arrive together, in about 1.5 s rather than 3.
    @Test func currentAndBaselineAreFetchedTogether() throws {
        let heap = Array(try #require(FileManager.default.contents(atPath: Fixtures.path("corpus/goshop/profiles/heap.pb.gz"))))
        let allocs = Array(try #require(FileManager.default.contents(atPath: Fixtures.path("corpus/goshop/profiles/allocs.pb.gz"))))
        let arrivals = ArrivalLog()
        let server = try TestHTTPServer { request in
            arrivals.record(request.path)
            let body = request.path.hasSuffix("/heap") ? heap : allocs
            return .stall(seconds: 1.5, then: .reply(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body))
        }
        let out = try run(["lines", "--json", server.url + "/debug/pprof/heap", "--base", server.url + "/debug/pprof/allocs"])
        #expect(out.contains(#""totals":"#))
        let times = arrivals.times
        #expect(Set(times.map(\.path)) == ["/debug/pprof/heap", "/debug/pprof/allocs"], "\(times)")
        if let first = times.first, let last = times.last {
            #expect(last.at.timeIntervalSince(first.at) < 1.0, "the baseline was asked for only after the current profile came: \(times)")
        }
    }

    /// A current endpoint that fails is reported at once: the baseline's fetch, which would take
    /// 20 s, is cancelled rather than waited for.
    @Test func aFailingCurrentSourceDoesNotWaitForTheBaseline() throws {
        let heap = Array(try #require(FileManager.default.contents(atPath: Fixtures.path("corpus/goshop/profiles/heap.pb.gz"))))
        let server = try TestHTTPServer { request in
            request.path.hasSuffix("/heap")
                ? .stall(seconds: 20, then: .reply(status: 200, headers: [("Content-Type", "application/octet-stream")], body: heap))
                : .text(404, "Unknown profile\n", headers: [("X-Go-Pprof", "1")])
        }
        let started = Date()
        let message = failure(["top", server.url + "/debug/pprof/nonexistent", "--base", server.url + "/debug/pprof/heap"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(message == "\(server.url)/debug/pprof/nonexistent: server response: 404 Not Found - Unknown profile", "\(message)")
        #expect(elapsed < 10, "the failure waited \(elapsed) s for the baseline")
    }

    /// `--base-from`/`--base-until`: the same query over an earlier range is the baseline, and
    /// the numbers are those of the two ranges' profiles compared as files.
    @Test func aPyroscopeBaselineIsTheQueryOverAnotherRange() throws {
        let standin = try PyroscopeStandin(entries: Self.entries())
        let live = try run(["top", "--pyroscope", standin.url, "--query", Self.selector, "--type", "cpu",
                            "--from", "now-1h", "--base-from", "now-2h", "--base-until", "now-1h", "-n", "8"])
        let files = try run(["top", Fixtures.path("live/pyroscope/liveshop-mixed.cpu.pb"),
                             "--base", Fixtures.path("live/pyroscope/liveshop-alpha.cpu.pb"), "-n", "8"])
        func rows(_ out: String) -> [Substring] { Array(out.split(separator: "\n").drop { !$0.contains("flat%") }) }
        #expect(!rows(files).isEmpty && rows(live) == rows(files), "\(live)\n---\n\(files)")
        #expect(live.contains("hot.Beta") && live.contains("-"), "\(live)")
        // Both ranges are fetched at once, in either order: the baseline's is the earlier one.
        func baselineCall(after start: Int) throws -> PyroscopeStandin.Call {
            try #require(standin.calls.dropFirst(start).filter { $0.method == "SelectMergeStacktraces" }.min { ($0.int(4) ?? 0) < ($1.int(4) ?? 0) })
        }
        let base = try baselineCall(after: 0)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(abs((base.int(4) ?? 0) - (now - 3_600_000)) < 60_000 && (base.int(4) ?? 0) - (base.int(3) ?? 0) == 3_600_000)
        // Without --base-until the baseline range is as long as the current one.
        let before = standin.calls.count
        _ = try run(["lines", "--json", "--pyroscope", standin.url, "--query", Self.selector, "--type", "cpu",
                     "--from", "now-30m", "--base-from", "now-2h"])
        let shifted = try baselineCall(after: before)
        #expect((shifted.int(4) ?? 0) - (shifted.int(3) ?? 0) == 1_800_000)
        #expect(abs((shifted.int(3) ?? 0) - (now - 7_200_000)) < 60_000)
        #expect(ComparisonOptions.shiftedUntil(PyroscopeQuery(url: standin.url, selector: Self.selector, from: "now-1h"), baseFrom: "now-25h") == "now-24h")
        #expect(ComparisonOptions.shiftedUntil(PyroscopeQuery(url: standin.url, selector: Self.selector, from: "now-90m", until: "now-30m"), baseFrom: "now-1d") == "now-23h")
        #expect(failure(["top", Fixtures.path("live/pyroscope/liveshop-mixed.cpu.pb"), "--base-from", "now-2h"]).contains("give --pyroscope URL"))
        #expect(failure(["top", "--pyroscope", standin.url, "--query", Self.selector, "--type", "cpu", "--base-from", "now-9h",
                         "--base-until", "now-8h"]).contains("the baseline: \(standin.url): no profile type matching cpu in now-9h to now-8h"))
        // A range that ends before it starts says so, not that a time cannot be read.
        let backwards = failure(["top", "--pyroscope", standin.url, "--query", Self.selector, "--base-from", "now-8h", "--base-until", "now-9h"])
        #expect(backwards.contains("invalid range now-8h to now-9h: the end is not after the start") && !backwards.contains("RFC 3339"), "\(backwards)")
    }

    /// `growth --step`: one merged profile per step of the range, the points of a series; the
    /// leak found is the one the snapshots as files show, with the same values.
    @Test func growthOverPyroscopeSteps() throws {
        let heaps = (0 ..< 12).map { String(format: "heap-%02d", $0) }
        let entries = heaps.enumerated().map { i, name in
            PyroscopeStandin.Entry(service: "liveshop", typeID: PyroscopeStandin.inuseType,
                                   file: Fixtures.path("live/pyroscope/heaps/\(name).inuse_space.pb.gz"),
                                   ago: Double(3600 - 300 * i - 150), span: 1)
        }
        let standin = try PyroscopeStandin(entries: entries)
        let live = try run(["growth", "--pyroscope", standin.url, "--query", Self.selector, "--type", "inuse",
                            "--from", "now-1h", "--step", "5m", "--json"])
        let calls = standin.calls.filter { $0.method == "SelectMergeStacktraces" }
        #expect(calls.count == 12 && calls.allSatisfy { ($0.int(4) ?? 0) - ($0.int(3) ?? 0) == 300_000 })
        let files = try run(["growth", "--json", "--type", "inuse_space"] + heaps.map { Fixtures.path("corpus/liveshop/profiles/heaps/\($0).pb.gz") })
        func suspects(_ out: String) throws -> [(Int, [Int64])] {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            let lines = try #require(json["lines"] as? [[String: Any]])
            return lines.map { (($0["line"] as? NSNumber)?.intValue ?? -1, (($0["values"] as? [NSNumber]) ?? []).map(\.int64Value)) }
        }
        let (ours, theirs) = (try suspects(live), try suspects(files))
        #expect(!theirs.isEmpty && ours.first?.0 == theirs.first?.0 && ours.first?.1 == theirs.first?.1, "\(live)")
        // The points are the steps' windows, at their starts, whatever times the server gives.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(live.utf8)) as? [String: Any])
        let times = ((json["times"] as? [NSNumber]) ?? []).map(\.int64Value)
        #expect(times == calls.compactMap { $0.int(3) }.sorted(), "\(times)")
        #expect(failure(["growth", "--pyroscope", standin.url, "--query", Self.selector, "--step", "0s"]).contains("invalid step '0s'"))
        #expect(failure(["growth", "--pyroscope", standin.url, "--query", Self.selector, "--from", "now-30d", "--step", "1m"])
            .contains("at most 1000 are allowed"))
        #expect(failure(["growth", Fixtures.path("live/pyroscope/liveshop-mixed.cpu.pb"), "--step", "5m"]).contains("need --pyroscope"))
    }

    @Test(.enabled(if: GoService.enabled, Comment(rawValue: GoService.skipMessage)))
    func aRealGoService() throws {
        let service = try GoService(hot: "alpha")
        defer { service.kill() }
        let url = service.base + "/profile?seconds=1"
        #expect(try run(["top", url, "-n", "10"]).contains("hot.Alpha"))
        let ws = Fixtures.temporaryDirectory("liveshop-list")
        try FileManager.default.createDirectory(atPath: ws + "/hot", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/liveshop/src/hot/hot.go"), toPath: ws + "/hot/hot.go")
        let list = try run(["list", url, "--function", "hot.Alpha", "--root", ws])
        let row = try #require(list.split(separator: "\n").first { $0.contains("alpha hot line") })
        #expect(!row.trimmingCharacters(in: .whitespaces).hasPrefix("."), "\(row)")
        #expect(failure(["top", service.base + "/nonexistent"]).lowercased().contains("unknown profile"))
        #expect(try run(["top", service.base + "/mutex", service.base + "/block", "--type", "block", "-n", "1"]).contains("Type: delay"))
    }
}
}

/// When a test server saw each request.
final class ArrivalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(path: String, at: Date)] = []

    func record(_ path: String) { lock.withLock { entries.append((path, Date())) } }
    var times: [(path: String, at: Date)] { lock.withLock { entries } }
}
