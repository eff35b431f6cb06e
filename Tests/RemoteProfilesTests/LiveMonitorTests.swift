import Foundation
import PprofFormat
import Testing
import TestSupport
@testable import RemoteProfiles

/// The refresh loop: changed and unchanged results, failure streaks, backoff, stopping.
@Suite struct LiveMonitorTests {
    final class Updates: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [LiveMonitor.Update] = []

        func append(_ update: LiveMonitor.Update) { lock.withLock { list.append(update) } }
        var all: [LiveMonitor.Update] { lock.withLock { list } }

        /// The outcomes so far as words: changed, unchanged, failed+ (first of a streak), failed.
        var words: [String] {
            all.map {
                switch $0.outcome {
                case .changed: return "changed"
                case .unchanged: return "unchanged"
                case .failed(_, let first): return first ? "failed+" : "failed"
                }
            }
        }

        func wait(timeout: Double = 15, until done: ([String]) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if done(words) { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return done(words)
        }
    }

    @Test func refreshesReportChangesOnceAndFailuresOncePerStreak() throws {
        let standin = try PyroscopeStandin(entries: PyroscopeFetchTests.entries())
        let updates = Updates()
        let query = PyroscopeQuery(url: standin.url, selector: PyroscopeFetchTests.selector, types: ["cpu"])
        let monitor = LiveMonitor(sources: [.pyroscope(query)], interval: 0.2, options: FetchOptions(environment: [:])) { updates.append($0) }
        monitor.start()
        defer { monitor.stop() }
        #expect(updates.wait { $0.count >= 3 })
        #expect(updates.words.prefix(3) == ["changed", "unchanged", "unchanged"])
        standin.replace(PyroscopeFetchTests.entries(cpu: "liveshop-beta.cpu.pb"))
        #expect(updates.wait { $0.last == "changed" && $0.count > 3 })
        let before = updates.words.count
        standin.inject(.status(503), count: 3)
        func streak(_ words: [String]) -> ArraySlice<String>? {
            let tail = Array(words.dropFirst(before))
            guard let first = tail.firstIndex(of: "failed+"), let end = tail[first...].firstIndex(of: "unchanged") else { return nil }
            return tail[first ... end]
        }
        #expect(updates.wait { streak($0) != nil })
        #expect(streak(updates.words) == ["failed+", "failed", "failed", "unchanged"], "\(updates.words)")
        let failure = updates.all.dropFirst(before).first { if case .failed = $0.outcome { true } else { false } }
        if case .failed(let error, _) = failure?.outcome {
            #expect(error.message.contains("503"))
        }
    }

    @Test func stoppedMonitorsDeliverNothing() throws {
        let server = try TestHTTPServer { _ in .stall(seconds: 1, then: .text(500, "no")) }
        let updates = Updates()
        let monitor = LiveMonitor(sources: [.endpoint(try PprofEndpoint(server.url + "/debug/pprof/heap"))], interval: 0.1,
                                  options: FetchOptions(environment: [:])) { updates.append($0) }
        monitor.start()
        Thread.sleep(forTimeInterval: 0.3)
        monitor.stop()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(updates.words.isEmpty)
    }

    @Test func refreshNowFetchesAtOnce() throws {
        let standin = try PyroscopeStandin(entries: PyroscopeFetchTests.entries())
        let updates = Updates()
        let query = PyroscopeQuery(url: standin.url, selector: PyroscopeFetchTests.selector, types: ["cpu"])
        let monitor = LiveMonitor(sources: [.pyroscope(query)], interval: 3600, options: FetchOptions(environment: [:])) { updates.append($0) }
        monitor.start()
        defer { monitor.stop() }
        #expect(updates.wait { $0.count == 1 })
        monitor.refreshNow()
        #expect(updates.wait(timeout: 5) { $0 == ["changed", "unchanged"] })
    }

    @Test func backoffDoublesUpToTheInterval() {
        #expect((1 ... 6).map { LiveMonitor.backoff(failures: $0, interval: 10) } == [1, 2, 4, 8, 10, 10])
        #expect(LiveMonitor.backoff(failures: 3, interval: 3) == 3)
        #expect(LiveMonitor.backoff(failures: 100, interval: 0) == 60)
    }

    @Test func sameNumbersIgnoresTimestamps() throws {
        var profile = TestProfile()
        profile.samples = [(stack: [[.init("main.hot", "/src/main.go", 7)]], values: [3, 30])]
        let a = try ProfileParser.decode(profile.encode()).profile
        profile.timeNanos += 60_000_000_000
        let b = try ProfileParser.decode(profile.encode()).profile
        #expect(a.timeNanos != b.timeNanos)
        #expect(ProfileComparison.sameNumbers(a, b))
        profile.samples[0].values = [4, 40]
        #expect(!ProfileComparison.sameNumbers(a, try ProfileParser.decode(profile.encode()).profile))
    }
}
