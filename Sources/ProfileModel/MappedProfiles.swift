import PprofFormat

/// A profile set whose file names have been resolved to files on this machine.
///
/// The indexes inside know each source file by its resolved absolute path when it was found
/// (so editors can look a document up by its path), and by the name the profile gives it
/// otherwise. Unmapped files stay in the indexes; they are listed, not dropped.
public struct MappedProfiles: Sendable {
    public let profileSet: ProfileSet
    /// How each file name of the profiles resolved, by the name as the profile writes it.
    public let resolutions: [String: PathResolution]
    public let mapper: PathMapper?
    /// Mapped files whose text does not fit the profiles' line numbers (see `SourceMatch`), by
    /// their path here, with the reason; their numbers are not shown.
    public let sourceMismatches: [String: String]

    public static let empty = MappedProfiles(profileSet: .empty, resolutions: [:], mapper: nil)

    public init(profileSet: ProfileSet, resolutions: [String: PathResolution], mapper: PathMapper?,
                sourceMismatches: [String: String] = [:]) {
        self.profileSet = profileSet
        self.resolutions = resolutions
        self.mapper = mapper
        self.sourceMismatches = sourceMismatches
    }

    /// Resolves file names with `mapper` (none: keep the profiles' names) and builds the set.
    public static func build(_ profiles: [LoadedProfile], mapper: PathMapper?, detail: CostIndex.Detail = .lines) -> MappedProfiles {
        var resolutions: [String: PathResolution] = [:]
        let set = ProfileSet.build(profiles, detail: detail) { name in
            guard let mapper else { return name }
            if let known = resolutions[name] { return known.path ?? name }
            let resolution = mapper.resolve(name)
            resolutions[name] = resolution
            return resolution.path ?? name
        }
        let mapped = Set(resolutions.values.compactMap(\.path))
        return MappedProfiles(profileSet: set, resolutions: resolutions, mapper: mapper,
                              sourceMismatches: checkSources(set, files: mapped))
    }

    /// Reads every mapped file that has costs and checks its text against the costed lines.
    static func checkSources(_ set: ProfileSet, files: Set<String>) -> [String: String] {
        var costed: [String: Set<Int64>] = [:]
        for group in set.groups {
            let index = group.index
            for file in index.files where files.contains(index.fileName(file)) {
                for line in index.lineKeys(inFile: file) where (0 ..< index.typeCount).contains(where: {
                    index.flat(line: line, type: $0) != 0 || index.cum(line: line, type: $0) != 0
                }) {
                    costed[index.fileName(file), default: []].insert(index.lineNumber(line))
                }
            }
        }
        var mismatches: [String: String] = [:]
        for (path, lines) in costed {
            guard let text = SourceText.lines(ofFile: path) else { continue }
            if let reason = SourceMatch.mismatch(costedLines: lines.sorted(), lines: text, fileName: path) {
                mismatches[path] = reason
            }
        }
        return mismatches
    }

    /// Profile file names that resolved to no file here, sorted. Empty names are left out.
    public var unmapped: [String] {
        resolutions.filter { !$0.value.isMapped && !$0.key.isEmpty }.keys.sorted()
    }

    /// Profile file names whose suffix matched several workspace files equally well.
    public var ambiguous: [(name: String, resolution: PathResolution)] {
        resolutions.filter { !$0.value.alternatives.isEmpty }.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
}
