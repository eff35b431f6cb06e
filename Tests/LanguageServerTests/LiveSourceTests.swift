import Foundation
import LanguageServer
import LanguageServerProtocol
import Testing
import TestSupport

/// A workspace holding liveshop's sources, and the lines the tests hover on.
struct LiveshopWorkspace {
    let root: String

    init() {
        root = Fixtures.temporaryDirectory("liveshop-ws")
        let source = Fixtures.path("corpus/liveshop/src")
        for file in ["go.mod", "main.go", "hot/hot.go", "cache/cache.go"] {
            try? FileManager.default.createDirectory(atPath: (root + "/" + file as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            try? FileManager.default.copyItem(atPath: source + "/" + file, toPath: root + "/" + file)
        }
    }

    var hot: String { root + "/hot/hot.go" }
    var cache: String { root + "/cache/cache.go" }

    /// The 0-based line holding `marker` in `path`.
    func line(_ path: String, _ marker: String) -> Int {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "\n").firstIndex { $0.contains(marker) } ?? -1
    }

    var alpha: Int { line(hot, "alpha hot line") }
    var beta: Int { line(hot, "beta hot line") }
    var steady: Int { line(cache, "steady line") }

    func client(options: JSONValue) throws -> TestLSPClient {
        let client = TestLSPClient()
        try client.initialize(root: root, options: options)
        client.open(hot)
        client.open(cache)
        return client
    }
}

/// Live sources in the daemon: fetched off the request path on the refresh interval, swapped in
/// like reloaded files, their failures kept apart from their numbers.
@Suite struct LiveSourceTests {
    static let selector = #"{service_name="liveshop"}"#

    static func pyroscope(_ url: String, extra: [String: JSONValue] = [:]) -> JSONValue {
        var query: [String: JSONValue] = ["url": .string(url), "query": .string(selector), "tenant": "team-a"]
        for (key, value) in extra { query[key] = value }
        return .object(query)
    }

    func sourceStatus(_ client: TestLSPClient) -> JSONValue? {
        (try? client.command("profilelens.status"))?["sources"]?.arrayValue?.first
    }

    /// Waits until the hover text (empty without a hover) satisfies `matches`.
    func waitForText(_ client: TestLSPClient, _ path: String, line: Int, timeout: Double = 15, _ matches: (String) -> Bool) -> Bool {
        poll(timeout) { matches((try? client.hover(path, line: line)).flatMap { $0 } ?? "") ? true : nil } ?? false
    }

    func refreshes(_ client: TestLSPClient) -> Int {
        client.peer.requestsReceived.filter { $0.method == CodeLensRefreshRequest.method }.count
    }

    @Test func pyroscopeNumbersArriveRefreshAndNameTheirSource() throws {
        let standin = try PyroscopeStandin(entries: PyroscopeStandin.liveshop(), tenant: "team-a")
        let ws = LiveshopWorkspace()
        let client = try ws.client(options: ["pyroscope": Self.pyroscope(standin.url), "refresh": 0.3])
        defer { _ = client.shutdownAndExit() }
        let hover = try #require(client.waitForHover(ws.hot, line: ws.alpha) { $0.contains("CPU") })
        #expect(hover.contains(#"from Pyroscope {service_name="liveshop"} · last 1h · fetched "#), "\(hover)")
        #expect(client.waitForHover(ws.cache, line: ws.steady) { $0.contains("In-use") } != nil)
        // Unchanged results: no new snapshot and nothing sent to the editor.
        let generation = client.loadedGeneration
        let (refreshCount, callCount) = (refreshes(client), standin.calls.count)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(standin.calls.count >= callCount + 6, "fetched again on the interval")
        #expect(client.loadedGeneration == generation)
        #expect(refreshes(client) == refreshCount)
        // New data: a new snapshot, a refresh, and the numbers replaced.
        standin.replace(PyroscopeStandin.liveshop(cpu: "liveshop-beta.cpu.pb"))
        #expect(client.waitForHover(ws.hot, line: ws.beta) { $0.contains("CPU") } != nil)
        #expect(waitForText(client, ws.hot, line: ws.alpha) { !$0.contains("CPU") })
        #expect(poll(5) { refreshes(client) > refreshCount ? true : nil } == true)
        let status = try client.command("profilelens.status")
        let source = try #require(status["sources"]?.arrayValue?.first)
        #expect(source["state"] == "ok")
        #expect(source["url"]?.stringValue == standin.url)
        #expect(status["kinds"] == ["cpu", "inuse"])
    }

    /// A `{"from", "until"}` baseline is the Pyroscope query over that range: the hovers show
    /// the change against it, and both sides refresh on the interval.
    @Test func aPyroscopeRangeBaselineRefreshesWithTheCurrentRange() throws {
        func entries(current: String, baseline: String) -> [PyroscopeStandin.Entry] {
            [PyroscopeStandin.Entry(service: "liveshop", typeID: PyroscopeStandin.cpuType, file: Fixtures.path("live/pyroscope/" + current), ago: 600),
             PyroscopeStandin.Entry(service: "liveshop", typeID: PyroscopeStandin.cpuType, file: Fixtures.path("live/pyroscope/" + baseline), ago: 5400)]
        }
        let standin = try PyroscopeStandin(entries: entries(current: "liveshop-mixed.cpu.pb", baseline: "liveshop-alpha.cpu.pb"), tenant: "team-a")
        let ws = LiveshopWorkspace()
        let client = try ws.client(options: ["pyroscope": Self.pyroscope(standin.url, extra: ["types": ["cpu"]]),
                                             "baseline": ["from": "now-2h", "until": "now-1h"], "refresh": 0.3])
        defer { _ = client.shutdownAndExit() }
        let beta = try #require(client.waitForHover(ws.hot, line: ws.beta) { $0.contains("vs baseline") || $0.contains("new") })
        #expect(beta.contains("new"), "\(beta)")
        let alpha = try #require(client.waitForHover(ws.hot, line: ws.alpha) { $0.contains("vs baseline") })
        #expect(alpha.contains("CPU") && alpha.contains("-"), "\(alpha)")
        // Each side is named by its own query and range.
        let compared = try #require(alpha.range(of: "compared with "), "\(alpha)")
        let current = alpha[..<compared.lowerBound], baseline = alpha[compared.upperBound...]
        #expect(current.contains("Pyroscope {service_name=\"liveshop\"} · last 1h") && !current.contains("now-2h"), "\(alpha)")
        #expect(baseline.hasPrefix("Pyroscope {service_name=\"liveshop\"} · now-2h to now-1h"), "\(alpha)")
        let ranges = standin.calls.filter { $0.method == "SelectMergeStacktraces" }.map { ($0.int(4) ?? 0) - ($0.int(3) ?? 0) }
        #expect(Set(ranges) == [3_600_000])
        let status = try client.command("profilelens.status")
        #expect(status["sources"]?.arrayValue?.count == 2, "\(status)")
        // The baseline range's profile changes: the next refresh compares with it.
        standin.replace(entries(current: "liveshop-mixed.cpu.pb", baseline: "liveshop-beta.cpu.pb"))
        #expect(waitForText(client, ws.hot, line: ws.beta) { $0.contains("vs baseline") && !$0.contains("new") })
        #expect(try client.command("profilelens.toggleBaseline")["comparing"] == .bool(false))
        #expect(try client.hover(ws.hot, line: ws.beta).map { !$0.contains("vs baseline") && $0.contains("CPU") } == true)
        // A range baseline without a Pyroscope query says why it cannot be used.
        client.send(DidChangeConfigurationNotification(settings: ["profilelens": ["baseline": ["from": "now-2h"], "pyroscope": .array([]),
                                                                                 "profiles": [.string(Fixtures.path("live/pyroscope/liveshop-mixed.cpu.pb"))]]]))
        #expect(poll(10) { client.shownMessages.contains { $0.contains("no pyroscope query is configured") } ? true : nil } == true,
                "\(client.shownMessages)")
    }

    /// With a `history`, an endpoint's fetches are the points of a series: the heap endpoint of
    /// a leaking service, fetched twelve times, shows the leak's trend on its line, and the leak
    /// finder opens it; the in-use numbers are the latest fetch's.
    @Test func keptFetchesOfAnEndpointAreASeries() throws {
        let snapshots = (0 ..< 12).map { i in
            Array(FileManager.default.contents(atPath: Fixtures.path(String(format: "corpus/liveshop/profiles/heaps/heap-%02d.pb.gz", i))) ?? Data())
        }
        let served = LockedCounter()
        // Twelve snapshots, then the endpoint fails: the kept series stays the twelve (a failure
        // keeps the last good numbers), where refetching the last snapshot would flatten the
        // trend while the test waits to see it.
        let server = try TestHTTPServer { _ in
            let next = served.increment() - 1
            guard next < snapshots.count else { return .text(503, "no more snapshots") }
            return .reply(status: 200, headers: [("Content-Type", "application/octet-stream")], body: snapshots[next])
        }
        let ws = LiveshopWorkspace()
        let client = try ws.client(options: ["profiles": [.string(server.url + "/debug/pprof/heap")], "refresh": 0.15, "history": 12,
                                             "pathMappings": [["from": "/home/ci/work/liveshop", "to": .string(ws.root)]]])
        defer { _ = client.shutdownAndExit() }
        let leakLine = ws.line(ws.cache, "leak line")
        let leak = try #require(client.waitForHover(ws.cache, line: leakLine, timeout: 30) {
            served.value >= 13 && $0.contains("· growing") && $0.contains("5.20MB total")
        })
        #expect(leak.contains("In-use ▁"), "\(leak)")
        let suspect = try client.command("profilelens.hottest", ["scope": "workspace", "kind": "inuse", "by": "growth"])
        #expect(suspect["range"]?["start"]?["line"]?.numberValue == Double(leakLine))
        // Without a history each fetch replaces the last: no series, no trend.
        client.send(DidChangeConfigurationNotification(settings: ["profilelens": ["history": 1]]))
        #expect(waitForText(client, ws.cache, line: leakLine) { $0.contains("5.20MB total") && !$0.contains("growing") })
    }

    @Test func aFailingSourceKeepsItsNumbersSaysSoOnceAndRecovers() throws {
        let standin = try PyroscopeStandin(entries: PyroscopeStandin.liveshop(), tenant: "team-a")
        let ws = LiveshopWorkspace()
        let client = try ws.client(options: ["pyroscope": Self.pyroscope(standin.url), "refresh": 0.3])
        defer { _ = client.shutdownAndExit() }
        #expect(client.waitForHover(ws.hot, line: ws.alpha) { $0.contains("CPU") } != nil)
        let generation = client.loadedGeneration
        for fault in [PyroscopeStandin.Fault.status(500), .truncate, .status(401)] {
            let shown = client.shownMessages.count
            standin.inject(fault, count: 4)
            #expect(poll(5) { client.shownMessages.count > shown ? true : nil } == true)
            #expect(try client.hover(ws.hot, line: ws.alpha)?.contains("CPU") == true)
            // The streak ends when a fetch succeeds again.
            #expect(poll(10) { sourceStatus(client)?["state"] == "ok" ? true : nil } == true)
            #expect(sourceStatus(client)?["failures"]?.numberValue == 0)
            #expect(client.loggedMessages.contains { $0.hasPrefix("Pyroscope") && $0.contains(": fetched again after") },
                    "the recovery is logged: \(client.loggedMessages.suffix(3))")
            #expect(client.shownMessages.count == shown + 1, "one message per failure streak: \(client.shownMessages)")
        }
        #expect(client.loadedGeneration == generation, "failures never replace numbers")
        // A server that goes away and comes back.
        standin.stop()
        // The first failure may be the pooled connection closing; the next ones are refusals.
        let source = try #require(poll(10) { () -> JSONValue? in
            guard let status = sourceStatus(client), status["error"]?.stringValue?.contains("connection refused") == true else { return nil }
            return status
        }, "\(String(describing: sourceStatus(client)))")
        #expect(source["state"] == "failing")
        #expect(source["error"]?.stringValue?.contains("connection refused") == true, "\(source)")
        #expect(source["error"]?.stringValue?.contains("127.0.0.1:\(standin.port)") == true)
        #expect(source["failingSince"]?.stringValue != nil)
        #expect(try client.hover(ws.hot, line: ws.alpha)?.contains("CPU") == true)
        try standin.restart()
        #expect(poll(10) { sourceStatus(client)?["state"] == "ok" ? true : nil } == true)
    }

    @Test func aStalledSourceNeverHoldsUpRequests() throws {
        let standin = try PyroscopeStandin(entries: PyroscopeStandin.liveshop(), tenant: "team-a")
        let ws = LiveshopWorkspace()
        let client = try ws.client(options: ["pyroscope": Self.pyroscope(standin.url), "refresh": 0.2])
        defer { _ = client.shutdownAndExit() }
        #expect(client.waitForHover(ws.hot, line: ws.alpha) { $0.contains("CPU") } != nil)
        standin.inject(.stall(10), count: 1)
        Thread.sleep(forTimeInterval: 0.5)
        var worst = 0.0
        for _ in 0 ..< 50 {
            let started = Date()
            _ = try client.hover(ws.hot, line: ws.alpha)
            worst = max(worst, Date().timeIntervalSince(started))
        }
        #expect(worst < 0.05, "\(worst * 1000) ms")
    }

    @Test func settingsChooseTypesAndAChangedQueryDropsTheOldNumbers() throws {
        let standin = try PyroscopeStandin(entries: PyroscopeStandin.liveshop(), tenant: "team-a")
        let ws = LiveshopWorkspace()
        let client = try ws.client(options: ["pyroscope": Self.pyroscope(standin.url, extra: ["types": ["inuse"]]), "refresh": 60])
        defer { _ = client.shutdownAndExit() }
        #expect(client.waitForHover(ws.cache, line: ws.steady) { $0.contains("In-use") } != nil)
        #expect(try client.hover(ws.hot, line: ws.alpha) == nil)
        #expect(!standin.calls.contains { $0.string(1) == PyroscopeStandin.cpuType })
        client.send(DidChangeConfigurationNotification(settings: ["profilelens": ["pyroscope": Self.pyroscope(standin.url, extra: ["types": "cpu"])]]))
        #expect(client.waitForHover(ws.hot, line: ws.alpha) { $0.contains("CPU") } != nil)
        #expect(waitForText(client, ws.cache, line: ws.steady) { !$0.contains("In-use") })
    }

    @Test func aServerThatMustNotFetchDoesNot() throws {
        let standin = try PyroscopeStandin(entries: PyroscopeStandin.liveshop())
        let ws = LiveshopWorkspace()
        let client = TestLSPClient(configure: { $0.fetchesLiveSources = false })
        defer { _ = client.shutdownAndExit() }
        try client.initialize(root: ws.root, options: ["pyroscope": Self.pyroscope(standin.url), "refresh": 0.2])
        #expect(client.waitForLoad())
        Thread.sleep(forTimeInterval: 0.8)
        #expect(standin.calls.isEmpty)
    }

    @Test(.enabled(if: GoService.enabled, Comment(rawValue: GoService.skipMessage)))
    func aGoServiceRefreshedFailingAndBack() throws {
        let service = try GoService(hot: "alpha")
        defer { service.kill() }
        let ws = LiveshopWorkspace()
        let cpu = service.base + "/profile?seconds=1"
        let client = try ws.client(options: ["profiles": [.string(cpu), .string(service.base + "/heap")], "refresh": 1])
        defer { _ = client.shutdownAndExit() }
        let hover = try #require(client.waitForHover(ws.hot, line: ws.alpha, timeout: 20) { $0.contains("CPU") })
        #expect(hover.contains("from 127.0.0.1:\(service.port)/debug/pprof/profile · fetched"), "\(hover)")
        #expect(client.waitForHover(ws.cache, line: ws.steady, timeout: 20) { $0.contains("In-use") || $0.contains("Alloc") } != nil)
        try service.setHot("beta")
        #expect(client.waitForHover(ws.hot, line: ws.beta, timeout: 20) { $0.contains("CPU") } != nil)
        #expect(waitForText(client, ws.hot, line: ws.alpha, timeout: 20) { !$0.contains("CPU") })
        let shown = client.shownMessages.count
        service.kill()
        Thread.sleep(forTimeInterval: 4)
        #expect(try client.hover(ws.hot, line: ws.beta)?.contains("CPU") == true)
        #expect((1 ... 2).contains(client.shownMessages.count - shown), "\(client.shownMessages)")
        let status = try client.command("profilelens.status")
        #expect(status["sources"]?.arrayValue?.allSatisfy { $0["state"] == "failing" } == true, "\(status)")
        let restarted = try GoService(hot: "alpha", port: service.port)
        defer { restarted.kill() }
        #expect(client.waitForHover(ws.hot, line: ws.alpha, timeout: 20) { $0.contains("CPU") } != nil)
    }
}
