import Foundation
import PprofFormat
import ProfileModel
import ProfileQuery
import LanguageServerProtocol

/// Everything requests read, immutable: the loaded profiles with their path mapping, and what
/// was loaded from where. A reload builds a new snapshot off the request path and swaps it in
/// whole, so a request always sees one consistent set of numbers.
public final class Snapshot: Sendable {
    public let generation: Int
    public let query: CostQuery
    /// The profile files in the snapshot.
    public let files: [String]
    /// Files that could not be loaded, and why; with `keptPrevious` when an older version of
    /// the same file is still in use.
    public let failures: [(error: ProfileLoadError, keptPrevious: Bool)]
    public let workspaceRoot: String?
    /// When the newest profile was written: the later of its own timestamp and its file's
    /// time, in seconds since 1970. A source file modified after that may have moved lines.
    /// (The file's time counts too because checkouts and copies give every file a fresh time:
    /// a source older than the profile file was not edited after profiling.)
    public let profileTime: Double?
    /// The live source (by its id) of each fetched profile, by the profile's name.
    public let liveOrigins: [String: String]

    init(generation: Int, query: CostQuery, files: [String], failures: [(error: ProfileLoadError, keptPrevious: Bool)],
         workspaceRoot: String?, liveOrigins: [String: String] = [:]) {
        self.generation = generation
        self.liveOrigins = liveOrigins
        self.query = query
        self.files = files
        self.failures = failures
        self.workspaceRoot = workspaceRoot
        let times = query.profileSet.members.map { max(Double($0.timeNanos) / 1e9, $0.modificationTime) }
        profileTime = times.max()
    }

    static func empty(root: String?) -> Snapshot {
        Snapshot(generation: 0, query: CostQuery(.empty), files: [], failures: [], workspaceRoot: root)
    }

    /// The file names of the profiles a kind's numbers come from; a fetched profile is named by
    /// its live source (`liveName`, given the source's id).
    func sourceNames(of kinds: [CostKind], liveName: (String) -> String? = { _ in nil }) -> [String] {
        var names: [String] = []
        for kind in kinds {
            guard let source = query.profileSet.source(of: kind) else { continue }
            for member in query.profileSet.groups[source.group].members {
                let name = liveOrigins[member.path].flatMap(liveName) ?? String(FilePath.lastComponent(member.path))
                if !names.contains(name) { names.append(name) }
            }
        }
        return names
    }

    /// A one-line description for logs: what is loaded, per kind.
    var summary: String {
        let set = query.profileSet
        if set.groups.isEmpty { return "no profiles loaded" }
        let kinds = set.kinds.map { source -> String in
            let index = set.groups[source.group].index
            let type = source.primaryType
            return "\(source.kind.title) \(ValueFormat.scaled(index.totals[type], unit: index.sampleTypes[type].unit))"
        }
        return "\(files.count) profile\(files.count == 1 ? "" : "s"): " + kinds.joined(separator: ", ")
    }
}
