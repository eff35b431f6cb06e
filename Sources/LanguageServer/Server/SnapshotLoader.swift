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

    /// The profile files a configuration names: its sources expanded, or, with none and
    /// discovery on, the profiles found in the workspace.
    static func sourceFiles(_ config: ServerConfiguration, root: String?, workspace: WorkspaceFiles?) -> (files: [String], watched: [String], errors: [ProfileLoadError]) {
        // Configured live sources count as configured profiles: no discovery beside them.
        if config.profiles.isEmpty && config.pyroscope.isEmpty {
            guard config.discover, let workspace else { return ([], root.map { [$0] } ?? [], []) }
            let found = ProfileSources.discover(in: workspace)
            // Watch the folders that hold profiles, and the root, where new ones appear.
            var watched = Set(found.map { ($0 as NSString).deletingLastPathComponent })
            if let root { watched.insert(root) }
            for folder in ["profiles", "profile", "pprof"] {
                let path = FilePath.join(workspace.root, folder)
                if FilePath.isDirectory(path) { watched.insert(path) }
            }
            return (found, watched.sorted(), [])
        }
        let sources = config.profilePaths.map { FilePath.normalize(FilePath.join(root ?? FilePath.currentDirectory(), $0)) }
        let (files, errors) = ProfileSources.expand(sources)
        return (files, sources, errors)
    }

    /// Loads a snapshot. Unchanged files come from the cache; `live` are the last good profiles
    /// of the live sources, with the source each came from (by profile name), loaded beside them.
    func load(_ config: ServerConfiguration, root: String?, live: [LoadedProfile] = [],
              liveOrigins: [String: String] = [:]) -> (Snapshot, watched: [String]) {
        // The workspace walk serves path mapping and discovery; with neither there is nothing
        // to walk for (and a client's root may be as large as `/`).
        let needsWorkspace = !config.profiles.isEmpty || !config.pyroscope.isEmpty || config.discover
        let workspace = needsWorkspace ? root.map { WorkspaceFiles(root: $0) } : nil
        let (files, watched, expandErrors) = Self.sourceFiles(config, root: root, workspace: workspace)
        var failures: [(ProfileLoadError, Bool)] = expandErrors.map { ($0, false) }
        var loaded: [LoadedProfile] = []
        var toRead: [String] = []
        var signatures: [String: FileSignature] = [:]
        for file in files {
            let signature = FileSignature(file)
            signatures[file] = signature
            if let cached = cache[file], let signature, cached.signature == signature { continue }
            toRead.append(file)
        }
        let options = DecodeOptions(maxDecompressedBytes: config.maxDecompressedMiB << 20)
        let results = ProfileSources.loadAll(toRead, options: options)
        for (file, result) in zip(toRead, results) {
            switch result {
            case .success(let profile):
                if let signature = signatures[file] {
                    cache[file] = Cached(signature: signature, profile: profile)
                }
            case .failure(let error):
                failures.append((error, cache[file] != nil))
            }
        }
        for file in files {
            if let cached = cache[file] { loaded.append(cached.profile) }
        }
        // Forget files that are no longer sources.
        let current = Set(files)
        cache = cache.filter { current.contains($0.key) }
        loaded += live

        let mapper = PathMapper(workspace: workspace, mappings: config.pathMappings)
        let mapped = MappedProfiles.build(loaded, mapper: mapper)
        generation += 1
        let snapshot = Snapshot(generation: generation, query: CostQuery(mapped), files: loaded.map(\.path),
                                failures: failures, workspaceRoot: workspace?.root ?? root, liveOrigins: liveOrigins)
        return (snapshot, watched)
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
