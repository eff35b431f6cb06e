import Foundation
import PprofFormat
import ProfileModel
import Testing
import TestSupport
@testable import RemoteProfiles

/// Pyroscope's messages by field number, its type ids and kinds, Grafana time expressions and
/// profilecli's credentials: the parts that need no server.
@Suite struct PyroscopeMessageTests {
    @Test func selectMergeStacktracesAsksForPprofWithoutMaxNodes() throws {
        let bytes = PyroscopeMessages.selectMergeStacktracesRequest(type: "process_cpu:cpu:nanoseconds:cpu:nanoseconds",
                                                                    selector: #"{service_name="x"}"#, start: 1_700_000_000_000, end: 1_700_003_600_000)
        let fields = try #require(TestProtoReader.fields(bytes))
        #expect(fields[1]?.first?.string == "process_cpu:cpu:nanoseconds:cpu:nanoseconds")
        #expect(fields[2]?.first?.string == #"{service_name="x"}"#)
        #expect(fields[3]?.first?.int == 1_700_000_000_000)
        #expect(fields[4]?.first?.int == 1_700_003_600_000)
        #expect(fields[6]?.first?.int == 4)
        // max_nodes (5) is optional: an encoded 0 would be present and could cut lines away.
        #expect(fields[5] == nil)
        #expect(Set(fields.keys) == [1, 2, 3, 4, 6])
        let fallback = try #require(TestProtoReader.fields(PyroscopeMessages.selectMergeProfileRequest(type: "t:a:b:c:d", selector: "{}", start: 1, end: 2)))
        #expect(Set(fallback.keys) == [1, 2, 3, 4])
        let types = try #require(TestProtoReader.fields(PyroscopeMessages.profileTypesRequest(start: 5, end: 6)))
        #expect(types[1]?.first?.int == 5 && types[2]?.first?.int == 6)
    }

    @Test func profileTypesResponseDecodes() throws {
        var writer = ProtoWriter()
        writer.message(1) { $0.string(1, "process_cpu:cpu:nanoseconds:cpu:nanoseconds"); $0.string(2, "process_cpu") }
        // No ID: built from the parts.
        writer.message(1) { $0.string(2, "memory"); $0.string(4, "alloc_space"); $0.string(5, "bytes"); $0.string(6, "space"); $0.string(7, "bytes") }
        writer.message(1) { $0.string(1, "not-a-type-id") }
        writer.uint(9, 1)
        let types = try PyroscopeMessages.profileTypes(writer.bytes)
        #expect(types.map(\.id) == ["process_cpu:cpu:nanoseconds:cpu:nanoseconds", "memory:alloc_space:bytes:space:bytes"])
    }

    @Test func mergedProfileFieldsAndThePreV22Shape() throws {
        // Field 5 absent (a flame graph only): a server before v2.2.
        var old = ProtoWriter()
        old.message(1) { $0.string(1, "total"); $0.int(3, 7) }
        #expect(try PyroscopeMessages.mergedProfile(old.bytes) == .notSupported)
        // Field 5 present and empty (`2a 00`): nothing matched.
        #expect(try PyroscopeMessages.mergedProfile([0x2A, 0x00]) == .profile(2 ..< 2))
        var full = ProtoWriter()
        full.message(5) { $0.bytes(1, [0x0A, 0x04, 0x08, 0x03]) }
        guard case .profile(let range) = try PyroscopeMessages.mergedProfile(full.bytes) else { Issue.record("no profile"); return }
        #expect(Array(full.bytes[range]) == [0x0A, 0x04, 0x08, 0x03])
        // Hostile lengths are errors, never traps.
        #expect(throws: DecodeError.self) { try PyroscopeMessages.mergedProfile([0x2A, 0x7F, 0x01]) }
        #expect(throws: DecodeError.self) { try PyroscopeMessages.profileTypes([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) }
        #expect(throws: DecodeError.self) { try PyroscopeMessages.mergedProfile([0x2B]) }
    }

    @Test func typeIDsMapToKinds() {
        func kind(_ id: String) -> String? { PyroscopeType(id: id)?.kind.id }
        #expect(kind("process_cpu:cpu:nanoseconds:cpu:nanoseconds") == "cpu")
        #expect(kind("process_cpu:samples:count::milliseconds") == "cpu")
        #expect(kind("memory:alloc_space:bytes:space:bytes") == "alloc")
        #expect(kind("memory:alloc_objects:count:space:bytes") == "alloc")
        #expect(kind("memory:inuse_space:bytes:space:bytes") == "inuse")
        // Go's mutex and block profiles have the same sample types: the name tells them apart.
        #expect(kind("mutex:delay:nanoseconds:contentions:count") == "mutex")
        #expect(kind("mutex:contentions:count:contentions:count") == "mutex")
        #expect(kind("block:delay:nanoseconds:contentions:count") == "block")
        #expect(kind("goroutine:goroutine:count:goroutine:count") == "goroutine")
        #expect(kind("goroutines:goroutine:count:goroutine:count") == "goroutine")
        #expect(kind("wall:wall:nanoseconds:wall:nanoseconds") == "wall")
        #expect(kind("wall:samples:count:wall:microseconds") == "wall")
        #expect(kind("memory:alloc_in_new_tlab_bytes:bytes:space:bytes") == "alloc")
        #expect(kind("memory:live:count:objects:count") == "inuse")
        #expect(kind("process_cpu:lock_time:nanoseconds:cpu:nanoseconds") == "mutex")
        #expect(kind("process_cpu:exception:count:cpu:nanoseconds") == "exception")
        #expect(kind("process_cpu:alloc_size:bytes:cpu:nanoseconds") == "alloc")
        #expect(kind("thread_lifetime:thread_lifetime_timeline:nanoseconds:cpu:nanoseconds") == "thread_lifetime_timeline")
        #expect(PyroscopeType(id: "cpu") == nil)
    }

    @Test func oneTypePerKindUnlessRestricted() {
        let available = ["process_cpu:samples:count:cpu:nanoseconds", "process_cpu:cpu:nanoseconds:cpu:nanoseconds",
                         "memory:alloc_objects:count:space:bytes", "memory:alloc_space:bytes:space:bytes",
                         "memory:inuse_objects:count:space:bytes", "memory:inuse_space:bytes:space:bytes",
                         "mutex:delay:nanoseconds:contentions:count", "block:delay:nanoseconds:contentions:count",
                         "goroutine:goroutine:count:goroutine:count", "goroutines:goroutine:count:goroutine:count"].compactMap(PyroscopeType.init(id:))
        #expect(PyroscopeType.select(available).map(\.id) == [
            "process_cpu:cpu:nanoseconds:cpu:nanoseconds", "memory:alloc_space:bytes:space:bytes", "memory:inuse_space:bytes:space:bytes",
            "mutex:delay:nanoseconds:contentions:count", "block:delay:nanoseconds:contentions:count", "goroutine:goroutine:count:goroutine:count"])
        #expect(PyroscopeType.select(available, restrictions: ["cpu"]).map(\.id) == ["process_cpu:cpu:nanoseconds:cpu:nanoseconds"])
        #expect(PyroscopeType.select(available, restrictions: ["alloc"]).map(\.id) == ["memory:alloc_space:bytes:space:bytes"])
        #expect(PyroscopeType.select(available, restrictions: ["alloc_objects"]).map(\.id) == ["memory:alloc_objects:count:space:bytes"])
        #expect(PyroscopeType.select(available, restrictions: ["block", "cpu"]).map(\.id) == [
            "process_cpu:cpu:nanoseconds:cpu:nanoseconds", "block:delay:nanoseconds:contentions:count"])
        #expect(PyroscopeType.select(available, restrictions: ["samples"]).map(\.id) == ["process_cpu:samples:count:cpu:nanoseconds"])
        #expect(PyroscopeType.select(available, restrictions: ["wall"]).isEmpty)
        #expect(PyroscopeType.select([], restrictions: ["x:y:z:a:b"]).map(\.id) == ["x:y:z:a:b"])
    }

    @Test func grafanaTimeExpressions() throws {
        let now: Int64 = 1_700_000_000_000
        #expect(try TimeExpression("now").resolve(now: now) == now)
        #expect(try TimeExpression("now-1h").resolve(now: now) == now - 3_600_000)
        #expect(try TimeExpression("now-30m").resolve(now: now) == now - 1_800_000)
        #expect(try TimeExpression("now-1h30m").resolve(now: now) == now - 5_400_000)
        #expect(try TimeExpression("now-2d").resolve(now: now) == now - 172_800_000)
        #expect(try TimeExpression("1700000000123").resolve(now: 0) == 1_700_000_000_123)
        #expect(try TimeExpression("1700000000").resolve(now: 0) == 1_700_000_000_000)
        #expect(try TimeExpression("2023-11-14T22:13:20Z").resolve(now: 0) == 1_700_000_000_000)
        #expect(try TimeExpression("2023-11-14T23:13:20.5+01:00").resolve(now: 0) == 1_700_000_000_500)
        for bad in ["yesterday", "now-", "now-1x", "now-h", "", "2023-13-45"] {
            #expect(throws: TimeExpressionError.self) { try TimeExpression(bad) }
        }
        let range = TimeRange(from: try TimeExpression("now-1h"), until: .now)
        #expect(range.description == "last 1h")
        let (start, end) = try range.resolve(now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(end - start == 3_600_000 && end == now)
        #expect(throws: TimeExpressionError.self) { try TimeRange(from: .now, until: try TimeExpression("now-1h")).resolve() }
        #expect(TimeRange(from: try TimeExpression("now-2h"), until: try TimeExpression("now-1h")).description == "now-2h to now-1h")
    }

    @Test func credentialsComeFromTheEnvironmentInProfilecliOrder() {
        let query = PyroscopeQuery(url: "http://x", selector: "{}")
        func auth(_ env: [String: String], _ q: PyroscopeQuery = PyroscopeQuery(url: "http://x", selector: "{}")) -> PyroscopeCredentials {
            PyroscopeCredentials(query: q, environment: env)
        }
        #expect(auth([:]) == PyroscopeCredentials(query: query, environment: [:]))
        #expect(auth([:]).authorization == nil && auth([:]).tenant == nil)
        #expect(auth(["PROFILELENS_PYROSCOPE_TOKEN": "t"]).authorization == "Bearer t")
        // Basic auth wins when both are set.
        #expect(auth(["PROFILELENS_PYROSCOPE_TOKEN": "t", "PROFILELENS_PYROSCOPE_USERNAME": "u", "PROFILELENS_PYROSCOPE_PASSWORD": "p"])
            .authorization == "Basic dTpw")
        // Ours before profilecli's.
        #expect(auth(["PROFILELENS_PYROSCOPE_TOKEN": "t", "PROFILECLI_TOKEN": "c", "PROFILECLI_USERNAME": "u"]).authorization == "Bearer t")
        #expect(auth(["PROFILECLI_TOKEN": "c"]).authorization == "Bearer c")
        #expect(auth(["PROFILECLI_TOKEN": "c", "PROFILECLI_USERNAME": "u", "PROFILECLI_PASSWORD": "p"]).authorization == "Basic dTpw")
        #expect(auth(["PROFILECLI_TENANT_ID": "team"]).tenant == "team")
        #expect(auth(["PROFILECLI_TENANT_ID": "team"], PyroscopeQuery(url: "http://x", selector: "{}", tenant: "mine")).tenant == "mine")
        #expect(auth(["PROFILELENS_PYROSCOPE_TOKEN": ""]).authorization == nil)
    }

    @Test func queriesAreCheckedBeforeAsking() {
        #expect(throws: ProfileLoadError.self) { try PyroscopeQuery(url: "pyroscope:4040", selector: "{}").validated() }
        #expect(throws: ProfileLoadError.self) { try PyroscopeQuery(url: "http://x", selector: " ").validated() }
        #expect(throws: ProfileLoadError.self) { try PyroscopeQuery(url: "http://x", selector: "{}", from: "then").validated() }
        let query = PyroscopeQuery(url: "https://grafana.example.net/api/datasources/proxy/uid/abc/", selector: #"{service_name="checkout"}"#)
        #expect(query.baseURL == "https://grafana.example.net/api/datasources/proxy/uid/abc")
        #expect(query.name == #"Pyroscope {service_name="checkout"} · last 1h"#)
    }

    @Test func endpointURLsFollowGoToolPprofRules() throws {
        #expect(PprofEndpoint.isURL("http://127.0.0.1:6060/debug/pprof/heap"))
        #expect(PprofEndpoint.isURL("HTTPS://example.net/x"))
        #expect(!PprofEndpoint.isURL("profiles/cpu.pb.gz"))
        let cpu = try PprofEndpoint("http://127.0.0.1:6060/debug/pprof/profile?seconds=10")
        #expect(cpu.isCPU && cpu.seconds == 10 && cpu.timeout == 20 && cpu.name == "127.0.0.1:6060/debug/pprof/profile")
        #expect(try PprofEndpoint("http://127.0.0.1:6060/debug/pprof/heap").timeout == 65)
        #expect(try PprofEndpoint("http://h:1/debug/pprof/mutex?seconds=abc").seconds == nil)
        #expect(try PprofEndpoint("http://h/debug/pprof/block").kindHint == "block")
        #expect(try PprofEndpoint("https://h/debug/pprof/block").name == "h:443/debug/pprof/block")
        #expect(PprofEndpoint.kindHint(disposition: #"attachment; filename="mutex-delta""#) == "mutex")
        for bad in ["http://", "http:///nohost", "http://exa mple.com/", "http://h:99999/x"] {
            #expect(throws: ProfileLoadError.self) { try PprofEndpoint(bad) }
        }
    }

    @Test func kindHintsOverrideStackSniffing() throws {
        // goshop's mutex profile charges its delay to Unlock frames, which reads as a mutex
        // profile; a source that says "block" is believed.
        var decoded = try ProfileParser.decode(Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("corpus/goshop/profiles/mutex.pb.gz")))))
        #expect(KindRecognizer.classify(decoded.profile).map(\.kind) == [.mutex, .mutex])
        decoded.profile.kindHint = "block"
        #expect(KindRecognizer.classify(decoded.profile).map(\.kind) == [.block, .block])
        #expect(KindRecognizer.classify(decoded.profile).map(\.measure) == [.count, .value])
    }
}
