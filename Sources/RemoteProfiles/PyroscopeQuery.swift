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

    public init(url: String, selector: String, tenant: String? = nil, from: String = "now-1h", until: String = "now",
                types: [String] = []) {
        self.url = url
        self.selector = selector
        self.tenant = tenant
        self.from = from
        self.until = until
        self.types = types
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
        do {
            return TimeRange(from: try TimeExpression(from), until: try TimeExpression(until))
        } catch {
            throw ProfileLoadError(file: url, message: error.description)
        }
    }

    /// How hovers name the source: `Pyroscope {service_name="checkout"} · last 1h`.
    public var name: String {
        let range = (try? validated())?.description ?? "\(from) to \(until)"
        return "Pyroscope \(selector) · \(range)"
    }

    /// The name a fetched profile of `type` carries (status lists, warnings).
    func profileName(_ type: PyroscopeType) -> String {
        "\(baseURL) \(selector) \(type.id)"
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
