import Foundation
import PprofFormat
import ProfileModel
import Testing
import TestSupport
@testable import RemoteProfiles

/// pprof endpoints: a server playing Go's handlers for the edge cases, and the real thing
/// (liveshop, built with Go) for what a Go service really sends.
@Suite struct EndpointFetchTests {
    static let cpuProfile = Array(FileManager.default.contents(atPath: Fixtures.path("corpus/goshop/profiles/cpu.pb.gz")) ?? Data())

    /// Fetches on the live executor, blocking this thread (see `PyroscopeFetchTests.fetch`).
    func fetch(_ url: String, maxBytes: Int = 1 << 30) throws(ProfileLoadError) -> LoadedProfile {
        try LiveFetcher.fetchAll([.endpoint(try PprofEndpoint(url))], options: FetchOptions(maxBytes: maxBytes, environment: [:]))[0].get()[0]
    }

    @Test func goErrorTextIsTheMessage() throws {
        let server = try TestHTTPServer { request in
            switch request.path {
            case "/debug/pprof/nonexistent":
                return .text(404, "Unknown profile\n", headers: [("X-Go-Pprof", "1"), ("X-Content-Type-Options", "nosniff")])
            case "/debug/pprof/profile":
                return .text(500, "Could not enable CPU profiling: cpu profiling already in use\n", headers: [("X-Go-Pprof", "1")])
            case "/debug/pprof/heap":
                return .text(200, request.uri.hasSuffix("?debug=1") ? Self.legacyHeap : "no profile here\n")
            default:
                return .reply(status: 502, headers: [("Content-Type", "text/html")], body: Array("<html>bad gateway</html>".utf8))
            }
        }
        func message(_ path: String) -> String {
            do { _ = try fetch(server.url + path); return "succeeded" } catch { return error.description }
        }
        #expect(message("/debug/pprof/nonexistent") == "\(server.url)/debug/pprof/nonexistent: server response: 404 Not Found - Unknown profile")
        #expect(message("/debug/pprof/profile?seconds=1").hasSuffix("server response: 500 Internal Server Error - Could not enable CPU profiling: cpu profiling already in use"))
        #expect(message("/debug/pprof/heap").contains("the server answered text, not a pprof profile"))
        // Go's `?debug=1` text is a legacy profile, read as its file would be.
        let legacy = try fetch(server.url + "/debug/pprof/heap?debug=1")
        #expect(legacy.profile.sampleTypes.map(\.type) == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
        #expect(legacy.profile.samples.count == 2)
        #expect(message("/other").hasSuffix("server response: 502 Bad Gateway"))
    }

    /// A service killed while it profiles closes the connection and then refuses the next: both
    /// are said, in that order (the second alone read as if it never answered at all).
    @Test func aServiceKilledWhileItAnswersSaysSo() throws {
        let server = try TestHTTPServer { _ in .stall(seconds: 10, then: .text(200, "late")) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { server.stop() }
        do {
            _ = try fetch(server.url + "/debug/pprof/profile?seconds=4")
            Issue.record("the fetch succeeded")
        } catch {
            #expect(error.description.hasSuffix(
                "the server closed the connection without answering; tried again on a new connection: could not connect: connection refused"),
                "\(error.description)")
        }
    }

    /// What Go's heap handler answers with `?debug=1`: two records of the legacy text format.
    static let legacyHeap = """
        heap profile: 2: 2048 [3: 3072] @ heap/1048576
        1: 1024 [2: 2048] @ 0x1001 0x2002
        #\t0x1000\tmain.leak+0x10\t/src/main.go:10
        #\t0x2001\tmain.main+0x20\t/src/main.go:20

        1: 1024 [1: 1024] @ 0x2002
        #\t0x2001\tmain.main+0x20\t/src/main.go:20

        """

    @Test func profilesDecodeAndBrokenOnesAreErrors() throws {
        let body = Self.cpuProfile
        let server = try TestHTTPServer { request in
            switch request.path {
            case "/debug/pprof/mutex": return .reply(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body)
            case "/cut": return .truncate(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body)
            case "/garbage": return .reply(status: 200, headers: [("Content-Type", "application/octet-stream")], body: [0x1F, 0x8B, 8, 0, 0, 0])
            default:
                return .reply(status: 200, headers: [("Content-Type", "application/octet-stream"),
                                                     ("Content-Disposition", #"attachment; filename="block""#)], body: body)
            }
        }
        let mutex = try fetch(server.url + "/debug/pprof/mutex")
        #expect(mutex.profile.kindHint == "mutex" && mutex.path == server.url + "/debug/pprof/mutex")
        #expect(mutex.profile.samples.count > 0)
        #expect(try fetch(server.url + "/renamed").profile.kindHint == "block")
        #expect {
            _ = try fetch(server.url + "/cut")
        } throws: { error in
            (error as? ProfileLoadError)?.message.contains("cut short") == true
        }
        #expect {
            _ = try fetch(server.url + "/garbage")
        } throws: { error in
            (error as? ProfileLoadError)?.message.hasPrefix("not a valid pprof profile: truncated gzip data") == true
        }
        #expect {
            _ = try fetch(server.url + "/debug/pprof/mutex", maxBytes: 1000)
        } throws: { error in
            (error as? ProfileLoadError)?.message.contains("larger than the limit of 1000 bytes") == true
        }
    }

    @Test func aSlowEndpointTimesOutAtItsDeadline() throws {
        let server = try TestHTTPServer { _ in .stall(seconds: 30, then: .text(200, "late")) }
        // seconds=1 gives 1.5 s + 5 s.
        let started = Date()
        #expect {
            _ = try fetch(server.url + "/debug/pprof/profile?seconds=1")
        } throws: { error in
            (error as? ProfileLoadError)?.message.contains("within 6.5 s (timed out)") == true
        }
        #expect(Date().timeIntervalSince(started) < 9)
    }

    @Test func cpuProfilesOfOneHostAreFetchedOneAtATime() throws {
        let active = LockedCounter()
        let body = Self.cpuProfile
        let server = try TestHTTPServer { request in
            // Go's CPU profiler refuses a second profile while one runs.
            if active.increment() > 1 {
                active.decrement()
                return .text(500, "Could not enable CPU profiling: cpu profiling already in use\n", headers: [("X-Go-Pprof", "1")])
            }
            return .stall(seconds: 0.3, then: .reply(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body))
        }
        server.onSent = { active.decrement() }
        let urls = ["/debug/pprof/profile?seconds=1", "/debug/pprof/profile?seconds=2", "/x/debug/pprof/profile"].map { server.url + $0 }
        let results = LiveFetcher.fetchAll(urls.map { .endpoint(try! PprofEndpoint($0)) }, options: FetchOptions(environment: [:]))
        for result in results {
            #expect(throws: Never.self) { _ = try result.get() }
        }
    }

    @Test(.enabled(if: GoService.enabled, Comment(rawValue: GoService.skipMessage)))
    func aRealGoService() throws {
        let service = try GoService(hot: "alpha")
        defer { service.kill() }
        let cpu = try fetch(service.base + "/profile?seconds=1")
        #expect(cpu.profile.sampleTypes.map(\.type) == ["samples", "cpu"])
        let functions = cpu.profile.functions.name.map { cpu.profile.strings[Int($0)] }
        #expect(functions.contains("example.com/liveshop/hot.Alpha"))
        let heap = try fetch(service.base + "/heap")
        #expect(heap.profile.sampleTypes.map(\.type) == ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"])
        // Go's mutex and block profiles share their sample types; the path says which is which.
        let (mutex, block) = (try fetch(service.base + "/mutex"), try fetch(service.base + "/block"))
        #expect(mutex.profile.sampleTypes == block.profile.sampleTypes)
        #expect(KindRecognizer.classify(mutex.profile).map(\.kind) == [.mutex, .mutex])
        #expect(KindRecognizer.classify(block.profile).map(\.kind) == [.block, .block])
        #expect {
            _ = try fetch(service.base + "/nonexistent")
        } throws: { error in
            (error as? ProfileLoadError)?.message == "server response: 404 Not Found - Unknown profile"
        }
        // Two CPU profiles of one service at once: serialised, so both succeed.
        let both = LiveFetcher.fetchAll([.endpoint(try PprofEndpoint(service.base + "/profile?seconds=1")),
                                         .endpoint(try PprofEndpoint(service.base + "/profile?seconds=1&x=2"))],
                                        options: FetchOptions(environment: [:]))
        #expect(both.allSatisfy { (try? $0.get()) != nil }, "\(both)")
        service.kill()
        #expect {
            _ = try fetch(service.base + "/heap")
        } throws: { error in
            (error as? ProfileLoadError).map { $0.description.contains("127.0.0.1:\(service.port)") && $0.message.contains("connection refused") } == true
        }
    }
}
