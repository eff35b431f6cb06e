import LanguageServerProtocol
import PprofFormat
import ProfileModel
import ProfileQuery
import RemoteProfiles

/// Everything a user can configure, from the command line (`serve --profile --map ...`),
/// `initializationOptions`, or `workspace/didChangeConfiguration` (section `profilelens`):
///
/// ```json
/// {"profiles": ["profiles/", "cpu.pb.gz"], "pathMappings": [{"from": "/home/ci/work/app", "to": ""}],
///  "kind": "cpu", "hintThreshold": 1.0, "diagnostics": false, "diagnosticThreshold": 5.0,
///  "maxDecompressedMiB": 1024, "discover": true, "refresh": 60, "history": 1,
///  "pyroscope": {"url": "https://pyroscope.example.net", "query": "{service_name=\"checkout\"}",
///                "tenant": "team-a", "from": "now-1h", "until": "now", "types": ["cpu", "alloc"]},
///  "baseline": [{"from": "now-25h", "until": "now-24h"}]}
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
    /// How many fetches of each live source are kept as the points of a series (trends, the
    /// leak finder, the spike window); 1 keeps only the last, which then replaces the numbers.
    public var history = 1
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
    /// Baseline profile files or folders to compare with (relative to the workspace root), and
    /// URLs of pprof endpoints.
    public var baseline: [String] = []
    /// Baselines that are the Pyroscope queries over another range (`{"from", "until"}`).
    public var baselineRanges: [BaselineRange] = []
    /// How changes against the baseline are shown.
    public var diffMode: DiffMode = .absolute
    /// Scale the baseline to the current profiles' total first.
    public var normalize = false

    public init() {}

    /// This configuration with the keys present in `json` replacing its own.
    public func merging(_ json: JSONValue?) -> ServerConfiguration {
        var problems: [String] = []
        return merging(json, problems: &problems)
    }

    /// The settings ProfileLens reads, for the message about a misspelt one.
    static let knownKeys = ["profiles", "pathMappings", "kind", "hintThreshold", "diagnostics", "diagnosticThreshold",
                            "maxDecompressedMiB", "discover", "baseline", "diffMode", "normalize", "pyroscope", "refresh", "history"]

    /// This configuration with the keys present in `json` replacing its own. A value of the
    /// wrong type or out of range is refused (the setting keeps its value) and described in
    /// `problems`, naming the setting, what it got and what it takes; so is an unknown key.
    public func merging(_ json: JSONValue?, problems: inout [String]) -> ServerConfiguration {
        guard let json else { return self }
        guard case .object(let fields) = json else {
            if json != .null { problems.append("the settings must be an object, got \(json.shortDescription)") }
            return self
        }
        var result = self
        func refuse(_ key: String, _ takes: String) {
            problems.append("\"\(key)\" takes \(takes), not \(fields[key]?.shortDescription ?? "null"); it is ignored")
        }
        func strings(_ key: String) -> [String]? {
            guard let value = fields[key], value != .null else { return nil }
            if let single = value.stringValue { return [single] }
            if let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) { return list.compactMap(\.stringValue) }
            refuse(key, "a path or a list of paths")
            return nil
        }
        func number(_ key: String, in range: ClosedRange<Double>) -> Double? {
            guard let value = fields[key], value != .null else { return nil }
            if let number = value.numberValue, range.contains(number) { return number }
            refuse(key, "a number from \(JSONValue.number(range.lowerBound).shortDescription) to \(JSONValue.number(range.upperBound).shortDescription)")
            return nil
        }
        func flag(_ key: String) -> Bool? {
            guard let value = fields[key], value != .null else { return nil }
            if let flag = value.boolValue { return flag }
            refuse(key, "true or false")
            return nil
        }
        if let list = strings("profiles") { result.profiles = list }
        if let value = fields["pathMappings"], value != .null {
            let items = value.arrayValue ?? []
            let mappings = items.compactMap { item -> PathMapping? in
                if let from = item["from"]?.stringValue, !from.isEmpty { return PathMapping(from: from, to: item["to"]?.stringValue ?? "") }
                return item.stringValue.flatMap(PathMapping.init(argument:))
            }
            if value.arrayValue == nil || mappings.count != items.count {
                refuse("pathMappings", "a list of {\"from\": \"/build/path\", \"to\": \"local/path\"} or \"FROM=TO\" strings")
            } else {
                result.pathMappings = mappings
            }
        }
        if let value = fields["kind"], value != .null {
            if let kind = value.stringValue {
                result.kind = kind.isEmpty ? nil : kind
            } else {
                refuse("kind", "a kind's name (\(CostKind.wellKnown.map(\.id).joined(separator: ", ")))")
            }
        }
        if let value = number("hintThreshold", in: 0 ... 100) { result.hintThreshold = value }
        if let value = flag("diagnostics") { result.diagnostics = value }
        if let value = number("diagnosticThreshold", in: 0 ... 100) { result.diagnosticThreshold = value }
        if let value = number("maxDecompressedMiB", in: 1 ... 1_048_576) { result.maxDecompressedMiB = Int(value) }
        if let value = flag("discover") { result.discover = value }
        if let value = fields["baseline"], value != .null {
            let items = value.arrayValue ?? [value]
            let paths = items.compactMap(\.stringValue)
            let ranges = items.compactMap(BaselineRange.init(json:))
            if paths.count + ranges.count == items.count {
                (result.baseline, result.baselineRanges) = (paths, ranges)
            } else {
                refuse("baseline", "a path, a URL, {\"from\": \"now-25h\", \"until\": \"now-24h\"} (the Pyroscope query over that range) or a list of them")
            }
        }
        if let value = fields["diffMode"], value != .null {
            if let mode = value.stringValue.flatMap(DiffMode.init(rawValue:)) {
                result.diffMode = mode
            } else {
                refuse("diffMode", DiffMode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))
            }
        }
        if let value = flag("normalize") { result.normalize = value }
        if let value = fields["pyroscope"], value != .null {
            let items = value.arrayValue ?? [value]
            let queries = items.compactMap(Self.pyroscopeQuery)
            if queries.count == items.count {
                result.pyroscope = queries
            } else {
                // Name what is missing: two refusals of different objects would read alike.
                let missing = items.filter { Self.pyroscopeQuery($0) == nil }.map { item in
                    item["url"]?.stringValue?.isEmpty == false ? "\"query\"" : "\"url\""
                }
                refuse("pyroscope", "{\"url\": ..., \"query\": \"{service_name=...}\"} (also tenant, from, until, types) or a list of them"
                    + " (missing: " + Set(missing).sorted().joined(separator: " and ") + ")")
            }
        }
        if let value = number("refresh", in: 0 ... 86_400) { result.refresh = value }
        if let value = number("history", in: 1 ... 1000) {
            if value.rounded() == value { result.history = Int(value) } else { refuse("history", "a whole number of fetches from 1 to 1000") }
        }
        for key in fields.keys.sorted() where !Self.knownKeys.contains(key) {
            let near = Self.knownKeys.first { $0.lowercased() == key.lowercased() || Self.isOneEditAway($0, key) }
            problems.append("unknown setting \"\(key)\"" + (near.map { "; did you mean \"\($0)\"?" } ?? "")
                            + " (settings: \(Self.knownKeys.joined(separator: ", ")))")
        }
        return result
    }

    /// Whether two names differ by one inserted, deleted or replaced character.
    static func isOneEditAway(_ a: String, _ b: String) -> Bool {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        guard abs(x.count - y.count) <= 1, x != y else { return false }
        var i = 0, j = 0, edits = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] {
                i += 1
                j += 1
                continue
            }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count { i += 1 } else if y.count > x.count { j += 1 } else { i += 1; j += 1 }
        }
        return edits + (x.count - i) + (y.count - j) <= 1
    }

    /// `{"url", "query", "tenant", "from", "until", "types", "step"}`; nil without a URL and a query.
    static func pyroscopeQuery(_ json: JSONValue) -> PyroscopeQuery? {
        guard let url = json["url"]?.stringValue, !url.isEmpty,
              let selector = json["query"]?.stringValue ?? json["selector"]?.stringValue, !selector.isEmpty else { return nil }
        var query = PyroscopeQuery(url: url, selector: selector, tenant: json["tenant"]?.stringValue)
        if let from = json["from"]?.stringValue, !from.isEmpty { query.from = from }
        if let until = json["until"]?.stringValue, !until.isEmpty { query.until = until }
        if let step = json["step"]?.stringValue, !step.isEmpty { query.step = step }
        if let types = json["types"]?.arrayValue {
            query.types = types.compactMap(\.stringValue).filter { !$0.isEmpty }
        } else if let type = json["types"]?.stringValue, !type.isEmpty {
            query.types = [type]
        }
        return query
    }

    /// The live sources configured, in two roles: the current ones (endpoint URLs in
    /// `profiles`, the Pyroscope queries) and the baseline's (endpoint URLs in `baseline`, each
    /// query over each baseline range, less any that is a current source too); with the
    /// reasons why some cannot be used.
    var configuredLiveSources: (current: [LiveSource], baseline: [LiveSource], errors: [ProfileLoadError]) {
        var errors: [ProfileLoadError] = []
        var current = Self.endpoints(profiles, errors: &errors)
        for query in pyroscope {
            do throws(ProfileLoadError) {
                _ = try query.validated()
                current.append(.pyroscope(query))
            } catch {
                errors.append(error)
            }
        }
        var baseline = Self.endpoints(self.baseline, errors: &errors)
        if !baselineRanges.isEmpty && pyroscope.isEmpty {
            errors.append(ProfileLoadError(file: "baseline", message: "a {\"from\", \"until\"} baseline is the Pyroscope query over another range, and no pyroscope query is configured"))
        }
        for range in baselineRanges {
            for query in pyroscope {
                let base = query.over(from: range.from, until: range.until)
                do throws(ProfileLoadError) {
                    _ = try base.validated()
                    baseline.append(.pyroscope(base))
                } catch {
                    errors.append(ProfileLoadError(file: error.file, message: "the baseline: \(error.message)"))
                }
            }
        }
        var seen: Set<String> = []
        current = current.filter { seen.insert($0.id).inserted }
        baseline = baseline.filter { seen.insert($0.id).inserted }
        return (current, baseline, errors)
    }

    /// The pprof endpoints among `entries` (the URLs; the rest are paths).
    private static func endpoints(_ entries: [String], errors: inout [ProfileLoadError]) -> [LiveSource] {
        var sources: [LiveSource] = []
        for entry in entries where PprofEndpoint.isURL(entry) {
            do throws(ProfileLoadError) { sources.append(.endpoint(try PprofEndpoint(entry))) } catch { errors.append(error) }
        }
        return sources
    }

    /// The files and folders of `profiles` (not its URLs).
    var profilePaths: [String] { profiles.filter { !PprofEndpoint.isURL($0) } }

    /// The files and folders of `baseline` (not its URLs).
    var baselinePaths: [String] { baseline.filter { !PprofEndpoint.isURL($0) } }

    /// Whether the live sources must be started again.
    func liveSourcesChanged(comparedTo other: ServerConfiguration) -> Bool {
        profiles.filter(PprofEndpoint.isURL) != other.profiles.filter(PprofEndpoint.isURL) || pyroscope != other.pyroscope
            || refresh != other.refresh || maxDecompressedMiB != other.maxDecompressedMiB
            || baseline.filter(PprofEndpoint.isURL) != other.baseline.filter(PprofEndpoint.isURL) || baselineRanges != other.baselineRanges
            || history != other.history
    }

    /// Whether a change needs the profiles loaded again (rather than only redrawn).
    func needsReload(comparedTo other: ServerConfiguration) -> Bool {
        profiles != other.profiles || pathMappings != other.pathMappings || maxDecompressedMiB != other.maxDecompressedMiB
            || discover != other.discover || baseline != other.baseline || baselineRanges != other.baselineRanges
            || diffMode != other.diffMode || normalize != other.normalize
            || pyroscope != other.pyroscope
    }
}

/// A baseline that is the configured Pyroscope query over another range:
/// `{"from": "now-25h", "until": "now-24h"}` (Grafana time expressions).
public struct BaselineRange: Sendable, Hashable {
    public var from: String
    public var until: String

    public init(from: String, until: String) {
        self.from = from
        self.until = until
    }

    init?(json: JSONValue) {
        guard let from = json["from"]?.stringValue, !from.isEmpty else { return nil }
        self.from = from
        until = json["until"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "now"
    }
}
