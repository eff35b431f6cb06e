import AsyncHTTPClient
import Foundation
import PprofFormat

/// A Go service's `net/http/pprof` endpoint (or anything that serves a pprof profile over
/// HTTP): `http://127.0.0.1:6060/debug/pprof/profile?seconds=10`, `.../heap`, `.../mutex`.
///
/// Fetched as `go tool pprof` fetches it: a timeout of 1.5 × `seconds` (60 s without it) plus
/// 5 s; a `text/plain` error body from Go (`X-Go-Pprof: 1`) is the server's message; one CPU
/// profile request at a time per host and port, since Go's CPU profiler serves one at a time.
public struct PprofEndpoint: Sendable, Hashable {
    public let url: String
    let host: String
    let port: Int
    let path: String
    /// The `seconds` query parameter when it is a positive integer.
    public let seconds: Int?

    /// Whether `text` is an `http://` or `https://` URL rather than a file path.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    public init(_ text: String) throws(ProfileLoadError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard Self.isURL(trimmed), let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty,
              let scheme = components.scheme?.lowercased() else {
            throw ProfileLoadError(file: text, message: "not a valid http:// or https:// URL")
        }
        if let port = components.port, !(1 ... 65535).contains(port) {
            throw ProfileLoadError(file: text, message: "invalid port \(port)")
        }
        url = trimmed
        self.host = host
        port = components.port ?? (scheme == "https" ? 443 : 80)
        path = components.path.isEmpty ? "/" : components.path
        let value = components.queryItems?.last(where: { $0.name == "seconds" })?.value
        seconds = value.flatMap { Int32($0) }.flatMap { $0 > 0 ? Int($0) : nil }
    }

    /// 1.5 × `seconds`, or 60 s, plus 5 s: `go tool pprof`'s rule.
    public var timeout: Double {
        (seconds.map { Double($0) * 1.5 } ?? 60) + 5
    }

    /// The profile's name: the last component of the path (`profile`, `heap`, `mutex`).
    var profileName: String {
        path.split(separator: "/").last.map(String.init) ?? ""
    }

    /// Go's CPU profile: the profiler runs once per process, so requests for it wait their turn.
    public var isCPU: Bool { profileName == "profile" }

    /// `host:port`, which CPU requests are serialised on.
    var hostKey: String { "\(host.lowercased()):\(port)" }

    /// The kind that the path names where the samples cannot tell: Go's mutex and block
    /// profiles have the same sample types.
    var kindHint: String {
        let name = profileName.lowercased()
        return name == "mutex" || name == "block" ? name : ""
    }

    /// How hovers name it: `127.0.0.1:6060/debug/pprof/profile`.
    public var name: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(hostPart):\(port)\(path)"
    }

    /// Fetches and decodes the profile. `maxBytes` caps the body and its decompression.
    public func fetch(maxBytes: Int) async throws(ProfileLoadError) -> LoadedProfile {
        if isCPU {
            await HostGate.cpu.acquire(hostKey)
            let result: Result<LoadedProfile, ProfileLoadError>
            do throws(ProfileLoadError) { result = .success(try await fetchNow(maxBytes: maxBytes)) } catch { result = .failure(error) }
            await HostGate.cpu.release(hostKey)
            return try result.get()
        }
        return try await fetchNow(maxBytes: maxBytes)
    }

    private func fetchNow(maxBytes: Int) async throws(ProfileLoadError) -> LoadedProfile {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: HTTPTransport.userAgent)
        let reply = try await HTTPTransport.send(request, client: HTTPTransport.following, url: url, timeout: timeout, maxBytes: maxBytes)
        let contentType = (reply.header("content-type") ?? "").lowercased()
        guard reply.status == 200 else {
            // Go's pprof handlers answer errors as text with `X-Go-Pprof: 1`; show that text.
            var message = "server response: \(reply.statusText)"
            let text = reply.bodyText
            if contentType.contains("text/plain"), !text.isEmpty { message += " - \(text)" }
            throw ProfileLoadError(file: url, message: message)
        }
        // Plain text may be a legacy profile (`?debug=1` of Go's heap, mutex and block handlers),
        // read as a file of it would be; other text (an HTML page) is no profile.
        let isText = contentType.hasPrefix("text/")
        let answeredText = "the server answered text, not a pprof profile: \(reply.bodyText.prefix(120))"
        if isText, !contentType.hasPrefix("text/plain") { throw ProfileLoadError(file: url, message: answeredText) }
        let body: [UInt8]
        do {
            body = try reply.decodedBody(limit: maxBytes)
        } catch {
            throw ProfileLoadError(file: url, message: "cannot decompress the answer: \(error)")
        }
        do {
            var decoded = try ProfileParser.decode(body, options: DecodeOptions(maxDecompressedBytes: maxBytes))
            decoded.profile.kindHint = kindHint.isEmpty ? Self.kindHint(disposition: reply.header("content-disposition")) : kindHint
            return LoadedProfile(path: url, profile: decoded.profile, warnings: decoded.warnings, wasCompressed: decoded.wasCompressed,
                                 uncompressedByteCount: decoded.uncompressedByteCount, modificationTime: Date().timeIntervalSince1970)
        } catch {
            // Text the legacy readers recognised but could not read says why (a goroutine dump,
            // a cut-short profile); any other text is no profile at all.
            throw ProfileLoadError(file: url, message: isText ? answeredText + " (\(error))" : "not a valid pprof profile: \(error)")
        }
    }

    /// Go names the profile in `Content-Disposition: attachment; filename="mutex"` (or
    /// `mutex-delta`), which still tells mutex from block behind a proxy that renames paths.
    static func kindHint(disposition: String?) -> String {
        guard let disposition, let range = disposition.range(of: "filename=") else { return "" }
        let name = disposition[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\" ;")).lowercased()
        if name.hasPrefix("mutex") { return "mutex" }
        if name.hasPrefix("block") { return "block" }
        return ""
    }
}

/// One holder at a time per key: Go's CPU profiler serves one profile at a time per process, and
/// a second request fails at once ("cpu profiling already in use").
actor HostGate {
    static let cpu = HostGate()

    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ key: String) async {
        if busy.insert(key).inserted { return }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    /// Hands the key to the next waiter, if any.
    func release(_ key: String) {
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            next.resume()
        } else {
            busy.remove(key)
        }
    }
}
