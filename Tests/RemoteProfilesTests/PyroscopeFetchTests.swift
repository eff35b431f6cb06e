import Foundation
import PprofFormat
import ProfileModel
import Testing
import TestSupport
@testable import RemoteProfiles

/// Fetching from the Pyroscope stand-in over loopback: what goes on the wire, what comes back,
/// and every failure as an error that names the server.
@Suite struct PyroscopeFetchTests {
    static let cpu = "process_cpu:cpu:nanoseconds:cpu:nanoseconds"
    static let inuse = "memory:inuse_space:bytes:space:bytes"
    static let selector = #"{service_name="liveshop"}"#

    static func entries(cpu: String = "liveshop-mixed.cpu.pb") -> [PyroscopeStandin.Entry] { PyroscopeStandin.liveshop(cpu: cpu) }

    /// Fetches on the live executor, blocking this thread: timings are then the fetch's own,
    /// whatever the other tests do with the shared pool's threads.
    func fetch(_ query: PyroscopeQuery, environment: [String: String] = [:], timeout: Double = 10) throws(ProfileLoadError) -> [LoadedProfile] {
        try LiveFetcher.fetchAll([.pyroscope(query)], options: FetchOptions(environment: environment, pyroscopeTimeout: timeout))[0].get()
    }

    func total(_ profile: LoadedProfile) -> Int64 { profile.profile.samples.values.reduce(0, +) }

    @Test func everyKindOfTheRangeWithHeadersTenancyAndToken() throws {
        let standin = try PyroscopeStandin(entries: Self.entries(), tenant: "team-a", token: "s3cret")
        let query = PyroscopeQuery(url: standin.url, selector: Self.selector, tenant: "team-a")
        let profiles = try fetch(query, environment: ["PROFILELENS_PYROSCOPE_TOKEN": "s3cret"])
        #expect(profiles.map(\.profile.kindHint) == ["cpu", "inuse"])
        #expect(total(profiles[0]) == 1_610_000_000)
        #expect(profiles[0].profile.sampleTypes == [ValueType(type: "cpu", unit: "nanoseconds")])
        let calls = standin.calls
        #expect(calls.map(\.method) == ["ProfileTypes", "SelectMergeStacktraces", "SelectMergeStacktraces", "SelectMergeStacktraces"])
        // The goshop block type is listed too (ProfileTypes takes no selector); it matches nothing here.
        for call in calls {
            #expect(call.error == nil)
            #expect(call.headers["content-type"] == "application/proto")
            #expect(call.headers["connect-protocol-version"] == "1")
            #expect(call.headers["x-scope-orgid"] == "team-a")
            #expect(call.headers["authorization"] == "Bearer s3cret")
        }
        let select = calls[1]
        #expect(select.string(1) == Self.cpu && select.string(2) == Self.selector && select.int(6) == 4 && select.fields[5] == nil)
        let (start, end) = (try #require(select.int(3)), try #require(select.int(4)))
        #expect(end - start == 3_600_000)
        #expect(abs(Double(end) - Date().timeIntervalSince1970 * 1000) < 60_000)
    }

    @Test func typesRestrictTheFetchAndTypeIDsSkipProfileTypes() throws {
        let standin = try PyroscopeStandin(entries: Self.entries())
        let cpuOnly = try fetch(PyroscopeQuery(url: standin.url, selector: Self.selector, types: ["cpu"]))
        #expect(cpuOnly.map(\.profile.kindHint) == ["cpu"])
        let block = try fetch(PyroscopeQuery(url: standin.url, selector: #"{service_name="goshop"}"#,
                                                   types: ["block:delay:nanoseconds:contentions:count"]))
        // The type id says block, although the stacks are those of a mutex profile.
        #expect(block.count == 1 && block[0].profile.kindHint == "block")
        #expect(KindRecognizer.classify(block[0].profile).map(\.kind) == [.block])
        #expect(standin.calls.last?.method == "SelectMergeStacktraces" && standin.calls.count == 3)
        #expect(throws: ProfileLoadError.self) {
            _ = try fetch(PyroscopeQuery(url: standin.url, selector: Self.selector, types: ["wall"]))
        }
    }

    @Test func basicAuthAndProfilecliVariables() throws {
        let standin = try PyroscopeStandin(entries: Self.entries(), tenant: "t", basic: "user:pw")
        let query = PyroscopeQuery(url: standin.url, selector: Self.selector, types: ["cpu"])
        let profiles = try fetch(query, environment: ["PROFILECLI_USERNAME": "user", "PROFILECLI_PASSWORD": "pw", "PROFILECLI_TENANT_ID": "t",
                                                            "PROFILECLI_TOKEN": "ignored"])
        #expect(profiles.count == 1)
        #expect(standin.calls.last?.headers["authorization"] == "Basic " + Data("user:pw".utf8).base64EncodedString())
        #expect(standin.calls.last?.headers["x-scope-orgid"] == "t")
        do {
            _ = try fetch(query, environment: ["PROFILECLI_TENANT_ID": "t", "PROFILELENS_PYROSCOPE_TOKEN": "nope"])
            Issue.record("a wrong credential succeeded")
        } catch {
            #expect(error.file == standin.url + "/querier.v1.QuerierService/ProfileTypes")
            #expect(error.message == "HTTP 401 Unauthorized unauthenticated: invalid or missing basic auth credentials")
        }
        do {
            _ = try fetch(query, environment: ["PROFILECLI_USERNAME": "user", "PROFILECLI_PASSWORD": "pw"])
            Issue.record("a missing tenant succeeded")
        } catch {
            #expect(error.message.contains("401") && error.message.contains("no org id"))
        }
    }

    @Test func aServerBeforeV22IsAskedWithSelectMergeProfileBehindAPrefix() throws {
        let prefix = "/api/datasources/proxy/uid/abc"
        let standin = try PyroscopeStandin(entries: Self.entries(), prefix: prefix, old: true)
        let fetcher = LiveFetcher(.pyroscope(PyroscopeQuery(url: standin.url + "/", selector: Self.selector, types: ["cpu"])),
                                  options: FetchOptions(environment: [:]))
        let profiles = try fetcher.fetchBlocking()
        #expect(profiles.count == 1 && total(profiles[0]) == 1_610_000_000)
        #expect(standin.calls.map(\.method) == ["ProfileTypes", "SelectMergeStacktraces", "SelectMergeProfile"])
        // The next fetch remembers the server's age.
        _ = try fetcher.fetchBlocking()
        #expect(standin.calls.map(\.method).suffix(2) == ["ProfileTypes", "SelectMergeProfile"])
    }

    @Test func serverErrorsPassTheirMessageOn() throws {
        let standin = try PyroscopeStandin(entries: Self.entries())
        do {
            _ = try fetch(PyroscopeQuery(url: standin.url, selector: #"service_name="liveshop""#, types: ["cpu"]))
            Issue.record("a malformed selector succeeded")
        } catch {
            #expect(error.message.contains("HTTP 400") && error.message.contains("must be in braces"))
        }
        standin.inject(.status(500))
        do {
            _ = try fetch(PyroscopeQuery(url: standin.url, selector: Self.selector))
            Issue.record("an HTTP 500 succeeded")
        } catch {
            #expect(error.message == "HTTP 500 Internal Server Error internal: injected failure 500")
        }
    }

    /// A URL that is some other web server: its page's title, not its HTML.
    @Test func aWebPageIsNamedByItsTitle() throws {
        let server = try TestHTTPServer { _ in
            .reply(status: 404, headers: [("Content-Type", "text/html; charset=utf-8")],
                   body: Array("<!DOCTYPE html><html><head><title>Page not found</title></head><body>\(String(repeating: "<div>x</div>", count: 50))</body></html>".utf8))
        }
        do {
            _ = try fetch(PyroscopeQuery(url: server.url, selector: Self.selector))
            Issue.record("a web page succeeded")
        } catch {
            #expect(error.message.hasSuffix("HTTP 404 Not Found: an HTML page titled 'Page not found', not a Pyroscope answer"), "\(error)")
        }
    }

    @Test func aTruncatedBodyIsAnErrorNotHalfTheNumbers() throws {
        let standin = try PyroscopeStandin(entries: Self.entries())
        let query = PyroscopeQuery(url: standin.url, selector: Self.selector, types: [Self.cpu])
        standin.inject(.truncate)
        do {
            let profiles = try fetch(query)
            Issue.record("a truncated body gave \(profiles.count) profiles")
        } catch {
            #expect(error.message.contains("cut short"), "\(error)")
            #expect(error.file.hasSuffix("SelectMergeStacktraces"))
        }
        // The same connection pool serves the next request.
        #expect(try fetch(query).count == 1)
    }

    @Test func aStalledServerTimesOutWithinTheDeadline() throws {
        let standin = try PyroscopeStandin(entries: Self.entries())
        standin.inject(.stall(30))
        let started = Date()
        do {
            _ = try fetch(PyroscopeQuery(url: standin.url, selector: Self.selector), timeout: 1.5)
            Issue.record("a stalled server answered")
        } catch {
            #expect(error.message.contains("timed out"), "\(error)")
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 1.4 && elapsed < 5, "\(elapsed) s")
    }

    @Test func aRefusedConnectionNamesTheServer() throws {
        let port = TestHTTPServer.freePort()
        do {
            _ = try fetch(PyroscopeQuery(url: "http://127.0.0.1:\(port)", selector: Self.selector))
            Issue.record("nothing listens, yet it succeeded")
        } catch {
            #expect(error.description.contains("127.0.0.1:\(port)"))
            #expect(error.message.contains("connection refused"), "\(error)")
        }
    }

    @Test func bodiesOverTheCapAreRefused() throws {
        let standin = try PyroscopeStandin(entries: Self.entries())
        let fetcher = LiveFetcher(.pyroscope(PyroscopeQuery(url: standin.url, selector: Self.selector, types: [Self.cpu])),
                                  options: FetchOptions(maxBytes: 4096, environment: [:]))
        do {
            _ = try fetcher.fetchBlocking()
            Issue.record("an 8 KB answer passed a 4 KB cap")
        } catch {
            #expect(error.message.contains("larger than the limit"), "\(error)")
        }
    }
}
