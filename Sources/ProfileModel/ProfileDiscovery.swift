import PprofFormat
import SystemIO

/// Zero configuration: finding a workspace's profiles when the user named none.
///
/// A file is a candidate by its name (`*.pprof`, `*.pb.gz`, `*.prof`, `go test` outputs like
/// `cpu.out`, anything in a `profiles/` folder) and a profile by its content (gzip, or a first
/// field that profile.proto defines, with its wire type). Candidates whose content is not a
/// profile (a LICENSE in a folder named `pprof`, Go sources in `runtime/pprof/`) are skipped
/// quietly and listed, never reported as broken profiles.
///
/// Editors start a language server in the folder that holds `go.mod` (or `Cargo.toml`, ...),
/// and profiles often sit beside that folder rather than in it. When the workspace holds none,
/// the parent folders are searched too (see `parents(of:home:)`): in each, the profile files
/// directly in it and its `profiles/`, `profile/` and `pprof/` folders, nearest first, until
/// one has profiles.
public struct ProfileDiscovery: Sendable {
    /// A file that was looked at and left out, and why.
    public struct Skipped: Sendable, Hashable {
        public let path: String
        public let reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// The profiles found, absolute paths, sorted.
    public var files: [String] = []
    /// Candidates by name whose content is not a profile.
    public var skipped: [Skipped] = []
    /// The folders searched, for the message when nothing is found.
    public var searched: [String] = []
    /// The folders where a new profile would be found: to be watched.
    public var watched: [String] = []
    /// Workspace folders too broad to search (`/`, the home folder).
    public var tooBroad: [String] = []

    public static let maxParentLevels = 4
    public static let maxProfiles = 256
    static let profileFolders = ["profiles", "profile", "pprof"]

    /// Searches the workspace roots and, when they hold no profile, their parents.
    public static func search(_ workspaces: [WorkspaceFiles], home: String? = Environment.value("HOME")) -> ProfileDiscovery {
        var result = ProfileDiscovery()
        for workspace in workspaces {
            // `/` and the home folder hold every project's profiles, and every stray one: an
            // editor opened there gets no guesses.
            if workspace.root == "/" || workspace.root == home {
                result.tooBroad.append(workspace.root)
                continue
            }
            result.searched.append(workspace.root)
            result.add(workspace, prefix: workspace.root)
            result.watched.append(workspace.root)
            for folder in profileFolders {
                let path = FilePath.join(workspace.root, folder)
                if FilePath.isDirectory(path) { result.watched.append(path) }
            }
        }
        if result.files.isEmpty {
            for workspace in workspaces {
                for parent in parents(of: workspace.root, home: home) {
                    result.searched.append(parent)
                    result.addFolder(parent)
                    if !result.files.isEmpty { break }
                }
            }
        }
        result.watched += result.files.map { String(FilePath.parent($0)) }
        result.files = Array(Set(result.files)).sorted()
        result.watched = Array(Set(result.watched)).sorted()
        return result
    }

    /// The folders above `root` that discovery may look in, nearest first: up to the
    /// repository root (the folder with `.git`, at most `maxParentLevels` up), or, outside a
    /// repository, the parent alone; never `/`, the home folder or the temporary folder, where
    /// unrelated profiles lie about.
    static func parents(of root: String, home: String?) -> [String] {
        if FileStatus(path: FilePath.join(root, ".git")) != nil { return [] }
        let shared: Set<String> = ["/", "/tmp", "/var/tmp", "/home", "/Users", home ?? "/",
                                   Environment.value("TMPDIR").map { FilePath.normalize($0) } ?? "/tmp"]
        var chain: [String] = []
        var folder = root
        for _ in 0 ..< maxParentLevels {
            let parent = String(FilePath.parent(folder))
            if parent == folder || parent.isEmpty || shared.contains(parent) { break }
            chain.append(parent)
            if FileStatus(path: FilePath.join(parent, ".git")) != nil { return chain }
            folder = parent
        }
        return Array(chain.prefix(1))
    }

    /// Adds the profiles among a walked workspace's files.
    mutating func add(_ workspace: WorkspaceFiles, prefix: String) {
        for file in workspace.files where Self.isProfileName(file) {
            consider(FilePath.join(prefix, file))
            if files.count >= Self.maxProfiles { return }
        }
    }

    /// Adds the profiles directly in a parent folder and in its profile folders.
    mutating func addFolder(_ folder: String) {
        for entry in FileSystem.entries(of: folder) ?? [] where !entry.name.hasPrefix(".") && Self.isProfileName(entry.name) {
            let path = FilePath.join(folder, entry.name)
            if FilePath.isRegularFile(path) { consider(path) }
        }
        for name in Self.profileFolders {
            let path = FilePath.join(folder, name)
            guard FilePath.isDirectory(path) else { continue }
            watched.append(path)
            let walked = WorkspaceFiles(root: path, limits: .init(maxFiles: 5_000, maxDepth: 4, seconds: 1))
            for file in walked.files {
                consider(FilePath.join(walked.root, file))
                if files.count >= Self.maxProfiles { return }
            }
        }
    }

    private mutating func consider(_ path: String) {
        if ProfileFile.looksLikeProfile(path) {
            files.append(path)
        } else {
            skipped.append(Skipped(path: path, reason: "not a profile by its content"))
        }
    }

    static let profileSuffixes = [".pprof", ".pb.gz", ".prof", ".pprof.gz", ".pb", ".cpuprofile", ".memprofile"]
    static let goTestOutputs: Set<String> = ["cpu.out", "mem.out", "block.out", "mutex.out", "trace.out.pprof",
                                             "cpuprofile", "memprofile", "blockprofile", "mutexprofile"]

    /// Whether a workspace-relative path is named like a profile.
    static func isProfileName(_ relative: String) -> Bool {
        let parts = FilePath.components(relative)
        guard let name = parts.last else { return false }
        if profileSuffixes.contains(where: { name.hasSuffix($0) }) { return true }
        if goTestOutputs.contains(String(name)) || (name.hasSuffix(".out") && (name.contains("cpu") || name.contains("mem") || name.contains("prof"))) {
            return true
        }
        return parts.dropLast().contains { profileFolders.contains(String($0)) }
    }

    /// Discovery never adds up profiles of different folders: the example's
    /// `profiles/trimpath/cpu.pb.gz` is another build of the run in `profiles/cpu.pb.gz`, and
    /// summing them would double every number. Profiles of one folder are taken together (a
    /// folder of snapshots is a series); a profile whose program and kind a nearer folder
    /// already supplies (fewer path components; then the folder with the newest profile) is
    /// left out, with the profile it yields to named. So is a profile in a folder directly below
    /// one that supplies its language and kind, whatever its binary is called: that is another
    /// build of the same code (trimpath's binary has another name), and showing both would
    /// mix two runs' numbers in one file. Sibling folders (two services') are both kept, and
    /// so are folders further down (`services/a/profiles` below a repository's own profile).
    public static func preferNearestFolders(_ profiles: [LoadedProfile]) -> (kept: [LoadedProfile], skipped: [Skipped]) {
        var byFolder: [Substring: [Int]] = [:]
        for (i, loaded) in profiles.enumerated() { byFolder[FilePath.parent(loaded.path), default: []].append(i) }
        guard byFolder.count > 1 else { return (profiles, []) }
        let folders = byFolder.keys.sorted { a, b in
            let da = FilePath.components(String(a)).count, db = FilePath.components(String(b)).count
            if da != db { return da < db }
            let ta = byFolder[a]!.map { profiles[$0].modificationTime }.max() ?? 0
            let tb = byFolder[b]!.map { profiles[$0].modificationTime }.max() ?? 0
            return ta != tb ? ta > tb : a < b
        }
        var claimed: [MergeKey: String] = [:]
        // Per folder: the languages and kinds its profiles supply, and one profile of each.
        var claimedIn: [Substring: [MergeKey: String]] = [:]
        var keep = Array(repeating: true, count: profiles.count)
        var skipped: [Skipped] = []
        let advice = "discovery does not add up profiles of different folders (name the ones to load in \"profiles\")"
        for folder in folders {
            let members = byFolder[folder] ?? []
            let keys = members.map { MergeKey(profiles[$0].profile) }
            for (i, key) in zip(members, keys) {
                if let owner = claimed[key] {
                    keep[i] = false
                    skipped.append(Skipped(path: profiles[i].path, reason: "the same program and kind as \(owner), which is nearer; " + advice))
                } else if let owner = claimedIn[FilePath.parent(String(folder))]?[key.anyBinary] {
                    keep[i] = false
                    skipped.append(Skipped(path: profiles[i].path, reason: "another build of the \(key.program.language) program of \(owner), "
                                           + "whose folder holds this one's; " + advice))
                }
            }
            for (i, key) in zip(members, keys) where keep[i] {
                if claimed[key] == nil { claimed[key] = profiles[i].path }
                if claimedIn[folder]?[key.anyBinary] == nil { claimedIn[folder, default: [:]][key.anyBinary] = profiles[i].path }
            }
        }
        return (profiles.indices.filter { keep[$0] }.map { profiles[$0] }, skipped)
    }

    /// What makes two profiles summable (as `ProfileSet` groups them): the same program, sample
    /// types, kinds (Go's mutex and block profiles share their sample types) and declared kind.
    struct MergeKey: Hashable {
        let program: ProgramIdentity
        let types: [ValueType]
        let kinds: [CostKind]
        let defaultType: Int?

        init(_ profile: Profile) {
            program = ProgramIdentity.of(profile)
            types = profile.sampleTypes
            kinds = KindRecognizer.classify(profile).map(\.kind)
            defaultType = profile.defaultSampleTypeIndex
        }

        private init(program: ProgramIdentity, types: [ValueType], kinds: [CostKind], defaultType: Int?) {
            (self.program, self.types, self.kinds, self.defaultType) = (program, types, kinds, defaultType)
        }

        /// The key without the binary's name: the language and the kind of profile.
        var anyBinary: MergeKey {
            MergeKey(program: ProgramIdentity(language: program.language, binary: nil), types: types, kinds: kinds, defaultType: defaultType)
        }
    }
}
