import Foundation
import PprofFormat
import ProfileModel
import ProfileQuery
import SystemIO
import LanguageServerProtocol

/// Builds snapshots from the configured (or discovered) profile sources.
///
/// It remembers the last good version of every file: a file that has not changed is not read
/// again, and a file that changed into something unreadable (a profiler still writing it, a
/// truncated copy) keeps its previous version, with the failure reported.
final class SnapshotLoader: @unchecked Sendable {
    private struct Cached {
        let signature: FileSignature
        let profile: LoadedProfile
    }

    // Only touched by the load thread, and loads run one at a time (`startReload`).
    private var cache: [String: Cached] = [:]
    private var generation = 0

    /// What a configuration's sources came to: the profile files, the folders to watch, what
    /// could not be expanded, and, for discovery, what was skipped and searched.
    struct Sources {
        var files: [String] = []
        var watched: [String] = []
        var errors: [ProfileLoadError] = []
        var skipped: [ProfileDiscovery.Skipped] = []
        /// With discovery: where it looked. Nil when the configuration names the profiles.
        var discovery: Snapshot.Discovery?
    }

    /// The profile files a configuration names: its sources expanded, or, with none and
    /// discovery on, the profiles found in the workspace folders (or above them).
    static func sources(_ config: ServerConfiguration, roots: [String], workspaces: [WorkspaceFiles]) -> Sources {
        var result = Sources()
        // Configured live sources count as configured profiles: no discovery beside them.
        if config.profiles.isEmpty && config.pyroscope.isEmpty {
            result.watched = roots
            guard config.discover, !workspaces.isEmpty else { return result }
            let found = ProfileDiscovery.search(workspaces)
            result.files = found.files
            result.watched = found.watched
            result.skipped = found.skipped
            result.discovery = Snapshot.Discovery(searched: found.searched, tooBroad: found.tooBroad)
            return result
        }
        let base = roots.first ?? FilePath.currentDirectory()
        let paths = config.profilePaths.map { FilePath.normalize(FilePath.join(base, $0)) }
        var skipped: [String] = []
        let (files, errors) = ProfileSources.expand(paths, skipped: &skipped)
        result.skipped = skipped.map { ProfileDiscovery.Skipped(path: $0, reason: "not a profile by its content") }
        result.files = files
        result.watched = paths
        result.errors = errors
        return result
    }

    /// Loads a snapshot. Unchanged files come from the cache; `live` are the last good profiles
    /// of the live sources, with the source each came from (by profile name), loaded beside them.
    func load(_ config: ServerConfiguration, roots: [String], live: [LoadedProfile] = [], liveBaseline: [LoadedProfile] = [],
              liveOrigins: [String: String] = [:]) -> (Snapshot, watched: [String]) {
        // The workspace walk serves path mapping and discovery; with neither there is nothing
        // to walk for (and a client's root may be as large as `/`).
        let needsWorkspace = !config.profiles.isEmpty || !config.pyroscope.isEmpty || config.discover
        let workspaces = needsWorkspace ? roots.map { WorkspaceFiles(root: $0) } : []
        let sources = Self.sources(config, roots: roots, workspaces: workspaces)
        var failures: [(ProfileLoadError, Bool)] = sources.errors.map { ($0, false) }
        let options = DecodeOptions(maxDecompressedBytes: config.maxDecompressedMiB << 20)
        var loaded = read(sources.files, options: options, failures: &failures)
        var skipped = sources.skipped
        if sources.discovery != nil {
            let (kept, left) = ProfileDiscovery.preferNearestFolders(loaded)
            loaded = kept
            skipped += left
        }
        loaded += live
        // The baseline's files, through the same cache.
        let base = roots.first ?? FilePath.currentDirectory()
        let baselinePaths = config.baselinePaths.map { FilePath.normalize(FilePath.join(base, $0)) }
        let (baselineFiles, baselineErrors) = baselinePaths.isEmpty ? ([], []) : ProfileSources.expand(baselinePaths)
        failures += baselineErrors.map { ($0, false) }
        let baseline = read(baselineFiles, options: options, failures: &failures) + liveBaseline
        // Forget files that are no longer sources.
        let current = Set(sources.files + baselineFiles)
        cache = cache.filter { current.contains($0.key) }

        let mapper = PathMapper(workspaces: workspaces, mappings: config.pathMappings)
        let mapped = MappedProfiles.build(loaded, mapper: mapper, keepSeries: true)
        var comparison: Comparison?
        if !baseline.isEmpty {
            let base = MappedProfiles.build(config.normalize ? MappedProfiles.normalized(baseline, to: loaded) : baseline,
                                            mapper: mapper)
            comparison = Comparison(baseline: base, current: mapped, mode: config.diffMode)
        }
        generation += 1
        let walks = workspaces.compactMap { workspace in
            workspace.stoppedEarly.map { "the walk of \(workspace.root) \($0) (\(workspace.files.count) files seen)" }
        }
        let snapshot = Snapshot(generation: generation, query: CostQuery(mapped, comparison: comparison),
                                baselineFiles: baseline.map(\.path), files: loaded.map(\.path),
                                failures: failures, workspaceRoots: workspaces.isEmpty ? roots : workspaces.map(\.root),
                                discovery: sources.discovery, skipped: skipped,
                                walkNotes: walks, liveOrigins: liveOrigins)
        return (snapshot, sources.watched + baselinePaths)
    }

    /// Reads the files that changed since the last load and returns every file's last good
    /// version, in order; a file that fails keeps its previous version, with the failure noted.
    private func read(_ files: [String], options: DecodeOptions, failures: inout [(ProfileLoadError, Bool)]) -> [LoadedProfile] {
        var toRead: [String] = []
        var signatures: [String: FileSignature] = [:]
        for file in files {
            let signature = FileSignature(file)
            signatures[file] = signature
            if let cached = cache[file], let signature, cached.signature == signature { continue }
            toRead.append(file)
        }
        for (file, result) in zip(toRead, ProfileSources.loadAll(toRead, options: options)) {
            switch result {
            case .success(let profile):
                if let signature = signatures[file] {
                    cache[file] = Cached(signature: signature, profile: profile)
                }
            case .failure(let error):
                failures.append((error, cache[file] != nil))
            }
        }
        return files.compactMap { cache[$0]?.profile }
    }
}

/// What identifies one version of a file: a replaced file (a new inode), a rewritten one (a new
/// time or size) both count as changed.
struct FileSignature: Hashable, Sendable {
    let size: Int64
    let modified: Int64
    let inode: UInt64

    init?(_ path: String) {
        guard let status = FileStatus(path: path) else { return nil }
        size = status.size
        modified = status.modifiedNanoseconds
        inode = status.inode
    }
}
