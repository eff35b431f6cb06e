import Foundation
import PprofFormat

/// A place profiles are fetched from, beside files: a pprof endpoint or a Pyroscope query.
public enum LiveSource: Sendable, Hashable {
    case endpoint(PprofEndpoint)
    case pyroscope(PyroscopeQuery)

    /// A stable identity: the endpoint's URL, or the query's server, selector and types.
    public var id: String {
        switch self {
        case .endpoint(let endpoint): return endpoint.url
        case .pyroscope(let query):
            return "pyroscope \(query.baseURL) \(query.selector) \(query.tenant ?? "") \(query.from) \(query.until) \(query.types.joined(separator: ","))"
                + (query.step.map { " step \($0)" } ?? "")
        }
    }

    /// How hovers and messages name it: `127.0.0.1:6060/debug/pprof/profile`,
    /// `Pyroscope {service_name="checkout"} · last 1h`.
    public var name: String {
        switch self {
        case .endpoint(let endpoint): return endpoint.name
        case .pyroscope(let query): return query.name
        }
    }

    /// The URL that status reports show (and that errors name).
    public var url: String {
        switch self {
        case .endpoint(let endpoint): return endpoint.url
        case .pyroscope(let query): return query.baseURL
        }
    }
}

/// What a fetch needs besides the source.
public struct FetchOptions: Sendable {
    /// The cap on a body and on its decompression, in bytes (`maxDecompressedMiB`).
    public var maxBytes: Int
    /// Where Pyroscope credentials come from (the process environment by default).
    public var environment: [String: String]
    /// How long one Pyroscope call may take, headers and body.
    public var pyroscopeTimeout: Double

    public init(maxBytes: Int = 1 << 30, environment: [String: String] = ProcessInfo.processInfo.environment,
                pyroscopeTimeout: Double = 60) {
        self.maxBytes = maxBytes
        self.environment = environment
        self.pyroscopeTimeout = pyroscopeTimeout
    }
}

/// Fetches one source again and again, remembering what it learnt about the server (a
/// Pyroscope before v2.2 is asked with `SelectMergeProfile` straight away the next time).
public final class LiveFetcher: Sendable {
    public let source: LiveSource
    let options: FetchOptions
    private let state = LockedValue(PyroscopeServerState())

    struct PyroscopeServerState {
        /// The server answered `SelectMergeStacktraces` without its `pprof` field.
        var predatesPprofFormat = false
    }

    public init(_ source: LiveSource, options: FetchOptions) {
        self.source = source
        self.options = options
    }

    /// The source's profiles now: one for an endpoint, one per profile type for Pyroscope
    /// (each carries one sample type). Every call of a cycle must succeed, or the whole fetch
    /// fails: a half-fetched set never replaces a whole one.
    public func fetch() async throws(ProfileLoadError) -> [LoadedProfile] {
        switch source {
        case .endpoint(let endpoint):
            return [try await endpoint.fetch(maxBytes: options.maxBytes)]
        case .pyroscope(let query):
            return try await fetchPyroscope(query)
        }
    }

    private func fetchPyroscope(_ query: PyroscopeQuery) async throws(ProfileLoadError) -> [LoadedProfile] {
        let range = try query.validated()
        let (start, end): (Int64, Int64)
        do { (start, end) = try range.resolve() } catch { throw ProfileLoadError(file: query.baseURL, message: error.description) }
        let connection = PyroscopeConnection(query: query, credentials: PyroscopeCredentials(query: query, environment: options.environment),
                                             timeout: options.pyroscopeTimeout, maxBytes: options.maxBytes)
        let types: [PyroscopeType]
        let explicit = query.types.compactMap(PyroscopeType.init(id:))
        if !query.types.isEmpty, explicit.count == query.types.count {
            types = explicit
        } else {
            let body = try await connection.call("ProfileTypes", PyroscopeMessages.profileTypesRequest(start: start, end: end))
            let available: [PyroscopeType]
            do { available = try PyroscopeMessages.profileTypes(body) } catch {
                throw ProfileLoadError(file: query.baseURL, message: "ProfileTypes: malformed answer: \(error)")
            }
            types = PyroscopeType.select(available, restrictions: query.types)
            if types.isEmpty, !query.types.isEmpty {
                let names = available.map(\.id).joined(separator: ", ")
                throw ProfileLoadError(file: query.baseURL, message: "no profile type matching \(query.types.joined(separator: ", ")) in \(range); the server has \(names.isEmpty ? "none" : names) there")
            }
        }
        // One merged profile per type, or per type and step: a range split into steps gives
        // the points of a series, each stamped with its window.
        let windows = try query.windows(start: start, end: end)
        var profiles: [LoadedProfile] = []
        for type in types {
            for window in windows {
                if var profile = try await mergedProfile(type, connection: connection, start: window.start, end: window.end) {
                    if windows.count > 1 { profile.path += " @ " + Self.timestamp(window.start) }
                    profiles.append(profile)
                }
            }
        }
        return profiles
    }

    static func timestamp(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// One type's merged profile, or nil when nothing matched.
    private func mergedProfile(_ type: PyroscopeType, connection: PyroscopeConnection, start: Int64,
                               end: Int64) async throws(ProfileLoadError) -> LoadedProfile? {
        let query = connection.query
        var body: [UInt8] = []
        var profileRange: Range<Int>?
        if !state.value.predatesPprofFormat {
            body = try await connection.call("SelectMergeStacktraces", PyroscopeMessages.selectMergeStacktracesRequest(
                type: type.id, selector: query.selector, start: start, end: end))
            let merged: PyroscopeMessages.MergedProfile
            do { merged = try PyroscopeMessages.mergedProfile(body) } catch {
                throw ProfileLoadError(file: query.baseURL, message: "SelectMergeStacktraces: malformed answer: \(error)")
            }
            switch merged {
            case .notSupported: state.update { $0.predatesPprofFormat = true }
            case .profile(let range): profileRange = range
            }
        }
        if profileRange == nil {
            // Before v2.2: the deprecated SelectMergeProfile answers the profile itself.
            body = try await connection.call("SelectMergeProfile", PyroscopeMessages.selectMergeProfileRequest(
                type: type.id, selector: query.selector, start: start, end: end))
            profileRange = 0 ..< body.count
        }
        guard let profileRange, !profileRange.isEmpty else { return nil }
        do {
            var decoded = try body.withUnsafeBufferPointer { (all) throws(DecodeError) -> DecodedProfile in
                try ProfileParser.decode(UnsafeBufferPointer(rebasing: all[profileRange]),
                                         options: DecodeOptions(maxDecompressedBytes: options.maxBytes))
            }
            guard decoded.profile.samples.count > 0 else { return nil }
            decoded.profile.kindHint = type.kind.id
            // A merged range is a window, whatever the profiles it merged counted, and whatever
            // time the server gave it (one of the merged profiles', or the request's end): its
            // time is the range's start and its duration the range's length. That makes a
            // series of steps a series of its windows, in their order, summing counters per
            // window rather than subtracting cumulative ones.
            decoded.profile.stamp(timeNanos: start.multipliedReportingOverflow(by: 1_000_000).partialValue,
                                  durationNanos: max(1, (end - start).multipliedReportingOverflow(by: 1_000_000).partialValue))
            return LoadedProfile(path: query.profileName(type), profile: decoded.profile, warnings: decoded.warnings,
                                 wasCompressed: decoded.wasCompressed, uncompressedByteCount: decoded.uncompressedByteCount,
                                 modificationTime: Date().timeIntervalSince1970)
        } catch {
            throw ProfileLoadError(file: query.baseURL, message: "\(type.id): not a valid pprof profile: \(error)")
        }
    }
}

/// A value behind a lock, for the little state that fetches share.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&stored) } }
}
