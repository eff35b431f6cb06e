import Foundation
import PprofFormat

/// A Grafana Pyroscope query: the server, a label selector, a time range and the profile types.
///
/// `url` is the server's base URL; a path prefix is kept, so Grafana's data-source proxy works
/// (`https://grafana.example.net/api/datasources/proxy/uid/<uid>`). Credentials never come from
/// here (not from command lines, not from editor settings) but from the environment
/// (`PyroscopeCredentials`).
public struct PyroscopeQuery: Sendable, Hashable {
    public var url: String
    /// A Pyroscope label selector, with braces: `{service_name="checkout", namespace="prod"}`.
    public var selector: String
    /// `X-Scope-OrgID`; `PROFILECLI_TENANT_ID` when nil.
    public var tenant: String?
    /// Grafana time expressions: `now-1h` (the default), `now-30m`, `now`, RFC 3339, epoch ms.
    public var from: String
    public var until: String
    /// Kinds, sample types or type ids to fetch; every kind in the range when empty.
    public var types: [String]
    /// A duration (`5m`, `1h`): the range is split into steps of this length, one merged
    /// profile per step and type, the points of a series. Nil: one profile for the range.
    public var step: String?

    public init(url: String, selector: String, tenant: String? = nil, from: String = "now-1h", until: String = "now",
                types: [String] = [], step: String? = nil) {
        self.url = url
        self.selector = selector
        self.tenant = tenant
        self.from = from
        self.until = until
        self.types = types
        self.step = step
    }

    /// This query over another range (a baseline: the same services, yesterday).
    public func over(from: String, until: String) -> PyroscopeQuery {
        var query = self
        query.from = from
        query.until = until
        return query
    }

    /// The most steps one query may be split into: each is one call per type.
    public static let maxSteps = 1000

    /// The step in milliseconds, or nil for one profile; an error names what is wrong.
    public func stepMilliseconds() throws(ProfileLoadError) -> Int64? {
        guard let step else { return nil }
        let text = step.trimmingCharacters(in: .whitespaces).lowercased()
        guard let milliseconds = TimeExpression.duration(text[...]), milliseconds >= 1000 else {
            throw ProfileLoadError(file: url, message: "invalid step '\(step)': use a duration of at least a second, like 30s, 5m or 1h")
        }
        return milliseconds
    }

    /// The base URL without a trailing slash.
    public var baseURL: String {
        var base = url.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// Checks what can be checked before asking the server: the URL and the times.
    public func validated() throws(ProfileLoadError) -> TimeRange {
        guard PprofEndpoint.isURL(baseURL), let parsed = URL(string: baseURL), parsed.host?.isEmpty == false else {
            throw ProfileLoadError(file: url, message: "not an http:// or https:// URL of a Pyroscope server")
        }
        guard !selector.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ProfileLoadError(file: url, message: "no label selector: give --query '{service_name=\"...\"}'")
        }
        let range: TimeRange
        do {
            range = TimeRange(from: try TimeExpression(from), until: try TimeExpression(until))
        } catch {
            throw ProfileLoadError(file: url, message: error.description)
        }
        if try stepMilliseconds() != nil, let (start, end) = try? range.resolve() {
            // Too many steps is a mistake in the settings, not a failure to retry.
            _ = try windows(start: start, end: end)
        }
        return range
    }

    /// The windows to ask for in `start ..< end` (milliseconds): the whole range, or one per
    /// step (the last one shorter when the step does not divide the range).
    public func windows(start: Int64, end: Int64) throws(ProfileLoadError) -> [(start: Int64, end: Int64)] {
        guard let step = try stepMilliseconds() else { return [(start, end)] }
        let count = (end - start + step - 1) / step
        guard count <= Int64(Self.maxSteps) else {
            throw ProfileLoadError(file: url, message: "a step of \(self.step ?? "") splits \(from) to \(until) into \(count) queries; at most \(Self.maxSteps) are allowed: use a longer step")
        }
        return stride(from: start, to: end, by: Int(step)).map { ($0, min($0 + step, end)) }
    }

    /// How hovers name the source: `Pyroscope {service_name="checkout"} · last 1h`.
    public var name: String {
        "Pyroscope \(selector) · \(rangeDescription)" + (step.map { " every \($0)" } ?? "")
    }

    /// `last 1h`, `now-2h to now-1h`, or the times as given when they are not valid.
    private var rangeDescription: String {
        (try? validated())?.description ?? "\(from) to \(until)"
    }

    /// The name a fetched profile of `type` carries (status lists, warnings): with the range,
    /// so that a baseline query of the same server and selector names its own profiles.
    func profileName(_ type: PyroscopeType) -> String {
        "\(baseURL) \(selector) \(type.id) \(rangeDescription)"
    }
}

/// Pyroscope credentials from the environment, as Pyroscope's `profilecli` takes them:
/// `PROFILELENS_PYROSCOPE_USERNAME` + `PROFILELENS_PYROSCOPE_PASSWORD` (basic auth, which wins
/// when a token is set too), else `PROFILELENS_PYROSCOPE_TOKEN` (`Authorization: Bearer`, what
/// Grafana Cloud and service-account tokens need); when all are unset, `PROFILECLI_USERNAME` /
/// `PROFILECLI_PASSWORD`, else `PROFILECLI_TOKEN`. The tenant: the query's, else
/// `PROFILECLI_TENANT_ID`.
public struct PyroscopeCredentials: Sendable, Equatable {
    public let authorization: String?
    public let tenant: String?

    public init(query: PyroscopeQuery, environment: [String: String]) {
        func value(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        func basic(_ user: String?, _ password: String?) -> String? {
            guard user != nil || password != nil else { return nil }
            return "Basic " + Data("\(user ?? ""):\(password ?? "")".utf8).base64EncodedString()
        }
        if let auth = basic(value("PROFILELENS_PYROSCOPE_USERNAME"), value("PROFILELENS_PYROSCOPE_PASSWORD")) {
            authorization = auth
        } else if let token = value("PROFILELENS_PYROSCOPE_TOKEN") {
            authorization = "Bearer " + token
        } else if let auth = basic(value("PROFILECLI_USERNAME"), value("PROFILECLI_PASSWORD")) {
            authorization = auth
        } else if let token = value("PROFILECLI_TOKEN") {
            authorization = "Bearer " + token
        } else {
            authorization = nil
        }
        let given = query.tenant?.trimmingCharacters(in: .whitespaces)
        tenant = given.flatMap { $0.isEmpty ? nil : $0 } ?? value("PROFILECLI_TENANT_ID")
    }
}
