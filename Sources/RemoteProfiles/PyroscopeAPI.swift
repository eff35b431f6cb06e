import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PprofFormat

/// The messages of Pyroscope's `querier.v1.QuerierService` that ProfileLens uses, by the field
/// numbers of `api/querier/v1/querier.proto` and `api/types/v1/types.proto`.
enum PyroscopeMessages {
    /// `ProfileTypesRequest { int64 start = 1; int64 end = 2; }`, milliseconds since the epoch.
    static func profileTypesRequest(start: Int64, end: Int64) -> [UInt8] {
        var w = ProtoMessage.Writer()
        w.int64(1, start)
        w.int64(2, end)
        return w.bytes
    }

    /// `SelectMergeStacktracesRequest`: profile_typeID = 1, label_selector = 2, start = 3,
    /// end = 4, format = 6 (PROFILE_FORMAT_PPROF = 4). `optional int64 max_nodes = 5` is left
    /// out entirely, so that the server cuts no line away.
    static func selectMergeStacktracesRequest(type: String, selector: String, start: Int64, end: Int64) -> [UInt8] {
        var w = ProtoMessage.Writer()
        w.string(1, type)
        w.string(2, selector)
        w.int64(3, start)
        w.int64(4, end)
        w.int64(6, 4)
        return w.bytes
    }

    /// `SelectMergeProfileRequest`: profile_typeID = 1, label_selector = 2, start = 3, end = 4;
    /// no max_nodes (5).
    static func selectMergeProfileRequest(type: String, selector: String, start: Int64, end: Int64) -> [UInt8] {
        var w = ProtoMessage.Writer()
        w.string(1, type)
        w.string(2, selector)
        w.int64(3, start)
        w.int64(4, end)
        return w.bytes
    }

    /// `ProfileTypesResponse { repeated types.v1.ProfileType profile_types = 1; }` with
    /// `ProfileType { ID = 1; name = 2; sample_type = 4; sample_unit = 5; period_type = 6;
    /// period_unit = 7; }`. Types whose id is not of the five-part form are skipped.
    static func profileTypes(_ bytes: [UInt8]) throws(DecodeError) -> [PyroscopeType] {
        var types: [PyroscopeType] = []
        try ProtoMessage.forEachField(in: bytes) { (field, value) throws(DecodeError) in
            guard field == 1 else { return }
            guard case .bytes(let range) = value else { throw DecodeError("ProfileTypesResponse field 1 is not a message") }
            var parts = ["", "", "", "", "", ""]
            try ProtoMessage.forEachField(in: bytes, range: range) { (field, value) throws(DecodeError) in
                let slot: Int
                switch field {
                case 1: slot = 0
                case 2: slot = 1
                case 4: slot = 2
                case 5: slot = 3
                case 6: slot = 4
                case 7: slot = 5
                default: return
                }
                guard let text = ProtoMessage.string(value, in: bytes) else { throw DecodeError("ProfileType field \(field) is not a string") }
                parts[slot] = text
            }
            let id = parts[0].isEmpty ? parts[1 ... 5].joined(separator: ":") : parts[0]
            if let type = PyroscopeType(id: id), !types.contains(type) { types.append(type) }
        }
        return types
    }

    /// What `SelectMergeStacktraces` answered with `format = PPROF`.
    enum MergedProfile: Equatable {
        /// The `pprof` field (5) is absent: a server before v2.2, which knows no PPROF format.
        case notSupported
        /// `pprof.profile` (a `google.v1.Profile`, uncompressed) at this range of the body;
        /// empty when nothing matched.
        case profile(Range<Int>)
    }

    /// `SelectMergeStacktracesResponse { ...; PprofProfile pprof = 5; }` with
    /// `PprofProfile { google.v1.Profile profile = 1; }`.
    static func mergedProfile(_ bytes: [UInt8]) throws(DecodeError) -> MergedProfile {
        var pprof: Range<Int>?
        try ProtoMessage.forEachField(in: bytes) { (field, value) throws(DecodeError) in
            guard field == 5 else { return }
            guard case .bytes(let range) = value else { throw DecodeError("SelectMergeStacktracesResponse field 5 is not a message") }
            pprof = range
        }
        guard let pprof else { return .notSupported }
        var profile = pprof.lowerBound ..< pprof.lowerBound
        try ProtoMessage.forEachField(in: bytes, range: pprof) { (field, value) throws(DecodeError) in
            guard field == 1 else { return }
            guard case .bytes(let range) = value else { throw DecodeError("PprofProfile field 1 is not a message") }
            profile = range
        }
        return .profile(profile)
    }
}

/// Calls of Pyroscope's query API over the Connect protocol (unary, `application/proto`):
/// `POST <url>/querier.v1.QuerierService/<Method>`. Errors come back as JSON
/// `{"code", "message"}` with an HTTP status; their message is passed on.
struct PyroscopeConnection: Sendable {
    let query: PyroscopeQuery
    let credentials: PyroscopeCredentials
    let timeout: Double
    let maxBytes: Int

    static let service = "querier.v1.QuerierService"

    func call(_ method: String, _ message: [UInt8]) async throws(ProfileLoadError) -> [UInt8] {
        let url = "\(query.baseURL)/\(Self.service)/\(method)"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/proto")
        request.headers.add(name: "Connect-Protocol-Version", value: "1")
        request.headers.add(name: "Connect-Timeout-Ms", value: String(Int(timeout * 1000)))
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: HTTPTransport.userAgent)
        if let tenant = credentials.tenant { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        if let authorization = credentials.authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(message)
        let reply = try await HTTPTransport.send(request, client: HTTPTransport.direct, url: url, timeout: timeout, maxBytes: maxBytes)
        guard reply.status == 200 else { throw ProfileLoadError(file: url, message: Self.errorText(reply)) }
        do {
            return try reply.decodedBody(limit: maxBytes)
        } catch {
            throw ProfileLoadError(file: url, message: "cannot decompress the answer: \(error)")
        }
    }

    /// `HTTP 401 unauthenticated: invalid or missing bearer token`, from Connect's JSON error,
    /// else the status and any short text the server (or a proxy) sent.
    static func errorText(_ reply: HTTPReply) -> String {
        var text = "HTTP \(reply.statusText)"
        if let body = try? reply.decodedBody(limit: 1 << 20), body.count <= 1 << 20,
           let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            let code = json["code"] as? String
            let message = (json["message"] as? String).map { String($0.prefix(500)) }
            if let code { text += " \(code)" }
            if let message, !message.isEmpty { text += ": \(message)" }
            return text
        }
        let body = reply.bodyText
        let contentType = (reply.header("content-type") ?? "").lowercased()
        if contentType.hasPrefix("text/html") {
            // A web page (a proxy's, or another server's) says little but its title.
            return text + ": an HTML page" + (htmlTitle(reply.body).map { " titled '\($0)'" } ?? "") + ", not a Pyroscope answer"
        }
        if !body.isEmpty, contentType.hasPrefix("text/") { text += ": \(body)" }
        return text
    }

    /// The text of a page's `<title>`, when it has a short one.
    static func htmlTitle(_ body: [UInt8]) -> String? {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        guard let open = text.range(of: "<title>", options: .caseInsensitive),
              let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound ..< text.endIndex) else { return nil }
        let title = text[open.upperBound ..< close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        return title.isEmpty || title.count > 120 ? nil : title
    }
}
