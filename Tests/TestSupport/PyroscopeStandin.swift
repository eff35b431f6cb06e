import Foundation

/// A stand-in for Grafana Pyroscope's query API, written for the tests: the Connect protocol
/// (unary, POST, `application/proto`) at `<prefix>/querier.v1.QuerierService/<Method>` for
/// `ProfileTypes`, `SelectMergeStacktraces` and `SelectMergeProfile`.
///
/// It decodes every request by the field numbers of Pyroscope's `querier.proto` with a reader
/// of its own (not the client's), records what it decoded, and refuses what Pyroscope refuses:
/// a missing tenant (401) or a wrong one (403), wrong credentials (401), another content type
/// (415), a type id without five parts, a range not in epoch milliseconds, a selector without
/// braces (400). `old` plays a server before v2.2, whose `SelectMergeStacktraces` knows no
/// PPROF format. Faults are queued: the next calls fail with a status, stall, or are cut short.
public final class PyroscopeStandin: @unchecked Sendable {
    /// A profile the stand-in serves: one sample type (as Pyroscope returns a merged profile),
    /// for a service, covering `[now - ago, now - ago + span)` seconds.
    public struct Entry: Sendable {
        public var service: String
        public var typeID: String
        public var bytes: [UInt8]
        public var ago: Double
        public var span: Double

        public init(service: String, typeID: String, file: String, ago: Double = 600, span: Double = 60) {
            self.service = service
            self.typeID = typeID
            bytes = Array(FileManager.default.contents(atPath: file) ?? Data())
            self.ago = ago
            self.span = span
        }
    }

    public static let cpuType = "process_cpu:cpu:nanoseconds:cpu:nanoseconds"
    public static let inuseType = "memory:inuse_space:bytes:space:bytes"

    /// liveshop's CPU (`cpu`, 600 s ago) and in-use memory (300 s ago), and goshop's mutex
    /// profile listed as a block type (600 s ago): the fixtures of `Tests/Fixtures/live/pyroscope`.
    public static func liveshop(cpu: String = "liveshop-mixed.cpu.pb") -> [Entry] {
        [Entry(service: "liveshop", typeID: cpuType, file: Fixtures.path("live/pyroscope/" + cpu), ago: 600),
         Entry(service: "liveshop", typeID: inuseType, file: Fixtures.path("live/pyroscope/liveshop-heap.inuse_space.pb"), ago: 300),
         Entry(service: "goshop", typeID: "block:delay:nanoseconds:contentions:count",
               file: Fixtures.path("live/pyroscope/goshop-mutex.delay.pb"), ago: 600)]
    }

    public enum Fault: Sendable {
        case status(Int)
        case stall(Double)
        case truncate
    }

    /// A decoded request: the method, lower-cased headers, and its fields by number.
    public struct Call: Sendable {
        public let method: String
        public let headers: [String: String]
        public let fields: [Int: [TestProtoReader.Value]]
        public let error: String?

        public func string(_ field: Int) -> String? { fields[field]?.last?.string }
        public func int(_ field: Int) -> Int64? { fields[field]?.last?.int }
    }

    public var prefix = ""
    public var tenant: String?
    public var token: String?
    /// `user:password` for basic auth.
    public var basic: String?
    public var old = false

    private let lock = NSLock()
    private var entries: [Entry] = []
    private var faults: [(Fault, Int)] = []
    private var recorded: [Call] = []
    private let start = Date().timeIntervalSince1970
    private var server: TestHTTPServer!

    public init(entries: [Entry], prefix: String = "", tenant: String? = nil, token: String? = nil, basic: String? = nil,
                old: Bool = false) throws {
        self.entries = entries
        self.prefix = prefix
        self.tenant = tenant
        self.token = token
        self.basic = basic
        self.old = old
        server = try TestHTTPServer { [weak self] request in
            self?.handle(request) ?? .text(500, "gone")
        }
    }

    public var url: String { server.url + prefix }
    public var port: Int { server.port }
    public func stop() { server.stop() }
    /// Listens again on the same port after `stop`.
    public func restart() throws { try server.start() }

    public var calls: [Call] { lock.withLock { recorded } }

    public func replace(_ entries: [Entry]) { lock.withLock { self.entries = entries } }

    /// The next `count` query calls (of any method) fail so.
    public func inject(_ fault: Fault, count: Int = 1) { lock.withLock { faults.append((fault, count)) } }

    static let service = "/querier.v1.QuerierService/"

    struct Refusal: Error {
        let status: Int
        let code: String
        let message: String
    }

    private func handle(_ request: TestHTTPRequest) -> TestHTTPResponse {
        guard request.path.hasPrefix(prefix + Self.service) else { return .text(404, "404 page not found\n") }
        let method = String(request.path.dropFirst(prefix.count + Self.service.count))
        guard request.method == "POST" else { return error(Refusal(status: 405, code: "unimplemented", message: "use POST")) }
        let fault = lock.withLock { () -> Fault? in
            guard !faults.isEmpty else { return nil }
            faults[0].1 -= 1
            let fault = faults[0].0
            if faults[0].1 <= 0 { faults.removeFirst() }
            return fault
        }
        var fields: [Int: [TestProtoReader.Value]] = [:]
        do {
            if case .status(let status) = fault {
                let code = [401: "unauthenticated", 403: "permission_denied", 503: "unavailable"][status] ?? "internal"
                throw Refusal(status: status, code: code, message: "injected failure \(status)")
            }
            try checkAccess(request.headers)
            guard (request.headers["content-type"] ?? "").split(separator: ";").first == "application/proto" else {
                throw Refusal(status: 415, code: "unknown", message: "unsupported content type \(request.headers["content-type"] ?? "")")
            }
            guard let decoded = TestProtoReader.fields(request.body) else {
                throw Refusal(status: 400, code: "invalid_argument", message: "unmarshal request: malformed protobuf")
            }
            fields = decoded
            let body = try answer(method, fields)
            record(Call(method: method, headers: request.headers, fields: fields, error: nil))
            let reply = TestHTTPResponse.reply(status: 200, headers: [("Content-Type", "application/proto")], body: body)
            switch fault {
            case .stall(let seconds): return .stall(seconds: seconds, then: reply)
            case .truncate: return .truncate(status: 200, headers: [("Content-Type", "application/proto")], body: body)
            default: return reply
            }
        } catch let refusal as Refusal {
            record(Call(method: method, headers: request.headers, fields: fields, error: refusal.message))
            return error(refusal)
        } catch {
            return .text(500, "\(error)")
        }
    }

    private func record(_ call: Call) { lock.withLock { recorded.append(call) } }

    private func error(_ refusal: Refusal) -> TestHTTPResponse {
        let json = try? JSONSerialization.data(withJSONObject: ["code": refusal.code, "message": refusal.message])
        return .reply(status: refusal.status, headers: [("Content-Type", "application/json")], body: Array(json ?? Data()))
    }

    private func checkAccess(_ headers: [String: String]) throws {
        if let tenant {
            guard let given = headers["x-scope-orgid"], !given.isEmpty else { throw Refusal(status: 401, code: "unauthenticated", message: "no org id") }
            guard given == tenant else { throw Refusal(status: 403, code: "permission_denied", message: "unknown tenant") }
        }
        let authorization = headers["authorization"] ?? ""
        if let token, authorization != "Bearer " + token {
            throw Refusal(status: 401, code: "unauthenticated", message: "invalid or missing bearer token")
        }
        if let basic, authorization != "Basic " + Data(basic.utf8).base64EncodedString() {
            throw Refusal(status: 401, code: "unauthenticated", message: "invalid or missing basic auth credentials")
        }
    }

    private func answer(_ method: String, _ fields: [Int: [TestProtoReader.Value]]) throws -> [UInt8] {
        let snapshot = lock.withLock { entries }
        func covers(_ entry: Entry, _ from: Int64, _ to: Int64) -> Bool {
            let begin = Int64((start - entry.ago) * 1000), end = begin + Int64(entry.span * 1000)
            return end > from && begin < to
        }
        switch method {
        case "ProfileTypes":
            // ProfileTypesRequest { int64 start = 1; int64 end = 2; }
            let from = fields[1]?.last?.int ?? 0, to = fields[2]?.last?.int ?? 0
            var ids: [String] = []
            for entry in snapshot where (to == 0 || covers(entry, from, to)) && !ids.contains(entry.typeID) { ids.append(entry.typeID) }
            var writer = ProtoWriter()
            for id in ids.sorted() {
                let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                writer.message(1) { type in
                    type.string(1, id)
                    type.string(2, parts[0])
                    type.string(4, parts[1])
                    type.string(5, parts[2])
                    type.string(6, parts[3])
                    type.string(7, parts[4])
                }
            }
            return writer.bytes
        case "SelectMergeStacktraces", "SelectMergeProfile":
            // profile_typeID = 1, label_selector = 2, start = 3, end = 4 in both requests.
            let type = fields[1]?.last?.string ?? "", selector = fields[2]?.last?.string ?? ""
            let from = fields[3]?.last?.int ?? 0, to = fields[4]?.last?.int ?? 0
            guard type.split(separator: ":", omittingEmptySubsequences: false).count == 5 else {
                throw Refusal(status: 400, code: "invalid_argument", message: "profile type must be <name>:<type>:<unit>:<period_type>:<period_unit>")
            }
            guard from > 0, to > from, from >= 1_000_000_000_000, to <= 100_000_000_000_000 else {
                throw Refusal(status: 400, code: "invalid_argument", message: "start and end are milliseconds since the epoch")
            }
            let labels = try Self.matchers(selector)
            let picked = snapshot.first { entry in
                entry.typeID == type && covers(entry, from, to) && labels.allSatisfy { $0.name != "service_name" || $0.value == entry.service }
            }
            if method == "SelectMergeProfile" { return picked?.bytes ?? [] }
            var writer = ProtoWriter()
            if old || fields[6]?.last?.int != 4 {
                // A flame graph: FlameGraph { names = 1; total = 3; } in field 1.
                writer.message(1) { $0.string(1, "total"); $0.int(3, 1) }
            } else {
                // PprofProfile pprof = 5 { google.v1.Profile profile = 1; }; present but empty when nothing matched.
                writer.message(5) { pprof in if let picked { pprof.bytes(1, picked.bytes) } }
            }
            return writer.bytes
        default:
            throw Refusal(status: 404, code: "unimplemented", message: "\(method) is not implemented by the stand-in")
        }
    }

    /// `{service_name="checkout", env="prod"}`: name and value of each `=` matcher.
    static func matchers(_ selector: String) throws -> [(name: String, value: String)] {
        let text = selector.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("{"), text.hasSuffix("}") else {
            throw Refusal(status: 400, code: "invalid_argument", message: "parse error: label selector '\(selector)' must be in braces")
        }
        return text.dropFirst().dropLast().split(separator: ",").compactMap { matcher in
            let parts = matcher.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return (parts[0].trimmingCharacters(in: .whitespaces), parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" ")))
        }
    }
}

/// Protobuf fields read by hand, independently of the code under test.
public enum TestProtoReader {
    public enum Value: Sendable {
        case varint(UInt64)
        case bytes([UInt8])

        public var int: Int64? { if case .varint(let v) = self { return Int64(bitPattern: v) } else { return nil } }
        public var string: String? { if case .bytes(let b) = self { return String(decoding: b, as: UTF8.self) } else { return nil } }
    }

    /// Every field of a message by number, or nil when the bytes are not a well-formed message.
    public static func fields(_ bytes: [UInt8]) -> [Int: [Value]]? {
        var fields: [Int: [Value]] = [:]
        var i = 0
        func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count, shift < 64 {
                let byte = bytes[i]
                i += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
            return nil
        }
        while i < bytes.count {
            guard let key = varint(), key >> 3 > 0 else { return nil }
            let field = Int(key >> 3)
            switch key & 7 {
            case 0:
                guard let value = varint() else { return nil }
                fields[field, default: []].append(.varint(value))
            case 2:
                guard let length = varint(), length <= UInt64(bytes.count - i) else { return nil }
                fields[field, default: []].append(.bytes(Array(bytes[i ..< i + Int(length)])))
                i += Int(length)
            default:
                return nil
            }
        }
        return fields
    }
}
