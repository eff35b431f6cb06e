import LanguageServerProtocol
import PprofFormat
import ProfileModel
import RemoteProfiles

/// Everything a user can configure, from the command line (`serve --profile --map ...`),
/// `initializationOptions`, or `workspace/didChangeConfiguration` (section `profilelens`):
///
/// ```json
/// {"profiles": ["profiles/", "cpu.pb.gz"], "pathMappings": [{"from": "/home/ci/work/app", "to": ""}],
///  "kind": "cpu", "hintThreshold": 1.0, "diagnostics": false, "diagnosticThreshold": 5.0,
///  "maxDecompressedMiB": 1024, "discover": true, "refresh": 60,
///  "pyroscope": {"url": "https://pyroscope.example.net", "query": "{service_name=\"checkout\"}",
///                "tenant": "team-a", "from": "now-1h", "until": "now", "types": ["cpu", "alloc"]}}
/// ```
/// `profiles` may name `http://` and `https://` URLs of pprof endpoints beside files;
/// `pyroscope` may also be a list of such queries. Credentials never come from settings.
public struct ServerConfiguration: Sendable, Equatable {
    /// Profile files or folders, relative to the workspace root, and URLs of pprof endpoints.
    public var profiles: [String] = []
    /// Grafana Pyroscope queries, fetched beside the files.
    public var pyroscope: [PyroscopeQuery] = []
    /// Seconds between fetches of the live sources (endpoints, Pyroscope); 0 fetches once.
    public var refresh: Double = 60
    public var pathMappings: [PathMapping] = []
    /// The kind lenses and hints show ("cpu", "alloc", "mutex", ...); CPU when loaded if nil.
    public var kind: String?
    /// Lines whose total is at least this percentage of the kind's total get an inlay hint.
    public var hintThreshold: Double = 1.0
    /// Publish hot lines as Information diagnostics.
    public var diagnostics = false
    /// The share of the total (percent) a line needs to become a diagnostic.
    public var diagnosticThreshold: Double = 5.0
    public var maxDecompressedMiB = 1024
    /// Look for profiles in the workspace when none are configured.
    public var discover = true

    public init() {}

    /// This configuration with the keys present in `json` replacing its own.
    public func merging(_ json: JSONValue?) -> ServerConfiguration {
        guard let json, case .object = json else { return self }
        var result = self
        if let list = json["profiles"]?.arrayValue {
            result.profiles = list.compactMap(\.stringValue)
        } else if let single = json["profiles"]?.stringValue {
            result.profiles = [single]
        }
        if let list = json["pathMappings"]?.arrayValue {
            result.pathMappings = list.compactMap { item in
                if let from = item["from"]?.stringValue { return PathMapping(from: from, to: item["to"]?.stringValue ?? "") }
                return item.stringValue.flatMap(PathMapping.init(argument:))
            }
        }
        if let kind = json["kind"]?.stringValue { result.kind = kind.isEmpty ? nil : kind }
        if let value = json["hintThreshold"]?.numberValue, value >= 0, value <= 100 { result.hintThreshold = value }
        if let value = json["diagnostics"]?.boolValue { result.diagnostics = value }
        if let value = json["diagnosticThreshold"]?.numberValue, value >= 0, value <= 100 { result.diagnosticThreshold = value }
        if let value = json["maxDecompressedMiB"]?.numberValue, value >= 1, value <= 1_048_576 { result.maxDecompressedMiB = Int(value) }
        if let value = json["discover"]?.boolValue { result.discover = value }
        if let value = json["pyroscope"] {
            let items = value.arrayValue ?? [value]
            result.pyroscope = items.compactMap(Self.pyroscopeQuery)
        }
        if let value = json["refresh"]?.numberValue, value >= 0, value <= 86_400 { result.refresh = value }
        return result
    }

    /// `{"url", "query", "tenant", "from", "until", "types"}`; nil without a URL and a query.
    static func pyroscopeQuery(_ json: JSONValue) -> PyroscopeQuery? {
        guard let url = json["url"]?.stringValue, !url.isEmpty,
              let selector = json["query"]?.stringValue ?? json["selector"]?.stringValue, !selector.isEmpty else { return nil }
        var query = PyroscopeQuery(url: url, selector: selector, tenant: json["tenant"]?.stringValue)
        if let from = json["from"]?.stringValue, !from.isEmpty { query.from = from }
        if let until = json["until"]?.stringValue, !until.isEmpty { query.until = until }
        if let types = json["types"]?.arrayValue {
            query.types = types.compactMap(\.stringValue).filter { !$0.isEmpty }
        } else if let type = json["types"]?.stringValue, !type.isEmpty {
            query.types = [type]
        }
        return query
    }

    /// The live sources configured: endpoint URLs in `profiles`, and the Pyroscope queries;
    /// with the reasons why some cannot be used.
    var liveSources: (sources: [LiveSource], errors: [ProfileLoadError]) {
        var sources: [LiveSource] = []
        var errors: [ProfileLoadError] = []
        for entry in profiles where PprofEndpoint.isURL(entry) {
            do throws(ProfileLoadError) { sources.append(.endpoint(try PprofEndpoint(entry))) } catch { errors.append(error) }
        }
        for query in pyroscope {
            do throws(ProfileLoadError) {
                _ = try query.validated()
                sources.append(.pyroscope(query))
            } catch {
                errors.append(error)
            }
        }
        var seen: Set<String> = []
        return (sources.filter { seen.insert($0.id).inserted }, errors)
    }

    /// The files and folders of `profiles` (not its URLs).
    var profilePaths: [String] { profiles.filter { !PprofEndpoint.isURL($0) } }

    /// Whether the live sources must be started again.
    func liveSourcesChanged(comparedTo other: ServerConfiguration) -> Bool {
        profiles.filter(PprofEndpoint.isURL) != other.profiles.filter(PprofEndpoint.isURL) || pyroscope != other.pyroscope
            || refresh != other.refresh || maxDecompressedMiB != other.maxDecompressedMiB
    }

    /// Whether a change needs the profiles loaded again (rather than only redrawn).
    func needsReload(comparedTo other: ServerConfiguration) -> Bool {
        profiles != other.profiles || pathMappings != other.pathMappings || maxDecompressedMiB != other.maxDecompressedMiB
            || discover != other.discover || pyroscope != other.pyroscope
    }
}
