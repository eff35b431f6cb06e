import LanguageServerProtocol
import ProfileModel
import ProfileQuery

/// Everything a user can configure, from the command line (`serve --profile --map ...`),
/// `initializationOptions`, or `workspace/didChangeConfiguration` (section `profilelens`):
///
/// ```json
/// {"profiles": ["profiles/", "cpu.pb.gz"], "pathMappings": [{"from": "/home/ci/work/app", "to": ""}],
///  "kind": "cpu", "hintThreshold": 1.0, "diagnostics": false, "diagnosticThreshold": 5.0,
///  "maxDecompressedMiB": 1024, "discover": true}
/// ```
public struct ServerConfiguration: Sendable, Equatable {
    /// Profile files or folders; relative paths are relative to the workspace root.
    public var profiles: [String] = []
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
    /// Baseline profile files or folders to compare with (relative to the workspace root).
    public var baseline: [String] = []
    /// How changes against the baseline are shown.
    public var diffMode: DiffMode = .absolute
    /// Scale the baseline to the current profiles' total first.
    public var normalize = false

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
        if let list = json["baseline"]?.arrayValue {
            result.baseline = list.compactMap(\.stringValue)
        } else if let single = json["baseline"]?.stringValue {
            result.baseline = [single]
        }
        if let mode = json["diffMode"]?.stringValue.flatMap(DiffMode.init(rawValue:)) { result.diffMode = mode }
        if let value = json["normalize"]?.boolValue { result.normalize = value }
        return result
    }

    /// Whether a change needs the profiles loaded again (rather than only redrawn).
    func needsReload(comparedTo other: ServerConfiguration) -> Bool {
        profiles != other.profiles || pathMappings != other.pathMappings || maxDecompressedMiB != other.maxDecompressedMiB
            || discover != other.discover || baseline != other.baseline || diffMode != other.diffMode || normalize != other.normalize
    }
}
