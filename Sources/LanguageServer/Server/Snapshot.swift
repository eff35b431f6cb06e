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
    /// The numbers, compared with the baseline when one is configured.
    public let query: CostQuery
    /// The same numbers without the comparison.
    public let plainQuery: CostQuery
    /// The baseline's profile files.
    public let baselineFiles: [String]
    /// The profile files in the snapshot.
    public let files: [String]
    /// Files that could not be loaded, and why; with `keptPrevious` when an older version of
    /// the same file is still in use.
    public let failures: [(error: ProfileLoadError, keptPrevious: Bool)]
    /// The workspace folders, canonical, the first one first.
    public let workspaceRoots: [String]
    /// The first workspace folder, where relative settings resolve.
    public var workspaceRoot: String? { workspaceRoots.first }
    /// With discovery: where it looked. Nil when profiles were configured.
    public let discovery: Discovery?
    /// Files left out quietly: not profiles by their content, or (discovery) profiles a nearer
    /// folder already supplies.
    public let skipped: [ProfileDiscovery.Skipped]
    /// Workspace walks that stopped early, and why.
    public let walkNotes: [String]

    /// What zero-configuration discovery did.
    public struct Discovery: Sendable {
        /// The folders searched (the workspace folders, then parents when those had none).
        public let searched: [String]
        /// Workspace folders not searched because they hold everything (`/`, the home folder).
        public let tooBroad: [String]
    }
    /// When the newest profile was written: the later of its own timestamp and its file's
    /// time, in seconds since 1970. A source file modified after that may have moved lines.
    /// (The file's time counts too because checkouts and copies give every file a fresh time:
    /// a source older than the profile file was not edited after profiling.)
    public let profileTime: Double?
    /// The live source (by its id) of each fetched profile, by the profile's name.
    public let liveOrigins: [String: String]
    /// How many loaded profiles have each file name, for `sourceNames` (hovers ask every time).
    private let nameUses: [Substring: Int]

    init(generation: Int, query: CostQuery, baselineFiles: [String] = [], files: [String],
         failures: [(error: ProfileLoadError, keptPrevious: Bool)],
         workspaceRoots: [String], discovery: Discovery? = nil, skipped: [ProfileDiscovery.Skipped] = [],
         walkNotes: [String] = [], liveOrigins: [String: String] = [:]) {
        self.generation = generation
        self.liveOrigins = liveOrigins
        self.query = query
        self.plainQuery = query.comparison == nil ? query : CostQuery(query.profiles)
        self.baselineFiles = baselineFiles
        self.files = files
        self.failures = failures
        self.workspaceRoots = workspaceRoots
        self.discovery = discovery
        self.skipped = skipped
        self.walkNotes = walkNotes
        var uses: [Substring: Int] = [:]
        for member in query.profileSet.members { uses[FilePath.lastComponent(member.path), default: 0] += 1 }
        nameUses = uses
        let times = query.profileSet.members.map { max(Double($0.timeNanos) / 1e9, $0.modificationTime) }
        profileTime = times.max()
    }

    static func empty(roots: [String]) -> Snapshot {
        Snapshot(generation: 0, query: CostQuery(.empty), files: [], failures: [], workspaceRoots: roots)
    }

    /// The file names of the profiles a kind's numbers come from, each once: a fetched profile
    /// by its live source (`liveName`, given the source's id), a file by its name, with its
    /// folder when two of them share the name (`profiles/cpu.pb.gz`, `trimpath/cpu.pb.gz`).
    func sourceNames(of costs: [KindCost], liveName: (String) -> String? = { _ in nil }) -> [String] {
        // A set beside the ordered list: a live source's history can make a group of hundreds.
        var seenPaths: Set<String> = []
        var paths: [String] = []
        for cost in costs {
            // The group the numbers came from (with several programs, not always the first's).
            guard let group = cost.group ?? query.profileSet.source(of: cost.kind)?.group,
                  group < query.profileSet.groups.count else { continue }
            for member in query.profileSet.groups[group].members where seenPaths.insert(member.path).inserted {
                paths.append(member.path)
            }
        }
        return names(ofProfiles: paths, liveName: liveName)
    }

    /// How a hover names loaded profiles, each name once: a fetched one by its live source, a
    /// file by its name.
    func names(ofProfiles paths: [String], liveName: (String) -> String? = { _ in nil }) -> [String] {
        var seen: Set<String> = []
        return paths.map { liveOrigins[$0].flatMap(liveName) ?? Self.fileName($0, uses: nameUses) }.filter { seen.insert($0).inserted }
    }

    /// A file's name, with its folder when `uses` says another profile has the same name.
    private static func fileName(_ path: String, uses: [Substring: Int]) -> String {
        let name = FilePath.lastComponent(path)
        guard (uses[name] ?? 0) > 1 else { return String(name) }
        return FilePath.components(path).suffix(2).joined(separator: "/")
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
