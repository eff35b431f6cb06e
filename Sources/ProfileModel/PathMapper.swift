import SystemIO

/// An explicit rewrite of profile paths, like pprof's `-trim_path` and `-source_path` in one:
/// a profile path under `from` is looked up as the same relative path under `to` (relative to
/// the workspace root when `to` is relative or empty).
public struct PathMapping: Hashable, Sendable, Codable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// Parses `FROM=TO` (the `--map` syntax). `FROM=` trims `FROM`.
    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        self.from = String(argument[..<equals])
        self.to = String(argument[argument.index(after: equals)...])
    }
}

/// Where a file named in a profile lives on this machine.
public struct PathResolution: Hashable, Sendable {
    public enum Rule: String, Sendable {
        case explicitMapping = "mapping"
        case goModule = "go.mod"
        case verbatim = "path"
        case suffix = "suffix"
        case goRoot = "GOROOT"
        case goModuleCache = "module cache"
        case existingFile = "absolute path"
    }

    /// The absolute path of the file on this machine, or nil when it was not found.
    public let path: String?
    /// The file relative to the workspace root, when it is inside the workspace.
    public let workspacePath: String?
    public let rule: Rule?
    /// Other workspace files that matched as well as the chosen one (an ambiguous suffix):
    /// relative to the chosen file's workspace folder, absolute in another one.
    public let alternatives: [String]
    /// Why the file is unmapped, when it is.
    public let note: String?

    public static func unmapped(_ note: String? = nil) -> PathResolution {
        PathResolution(path: nil, workspacePath: nil, rule: nil, alternatives: [], note: note)
    }

    public var isMapped: Bool { path != nil }
}

/// Resolves the file names a profile records (as the build machine saw them) to files here.
///
/// The rules, in order: explicit mappings (longest `from` first); the Go module path from the
/// workspaces' `go.mod` files; the path itself, relative to a root or absolute inside one;
/// the longest path-suffix match among the workspaces' files; Go standard library and module
/// cache paths against this machine's GOROOT and GOMODCACHE (also as `-trimpath` writes them:
/// `math/sin.go`, `golang.org/x/net@v0.1.0/html/parse.go`); an absolute path that exists.
/// Ties between suffix matches resolve to the first workspace, the shortest, then
/// alphabetically first, path and are reported in `alternatives`.
public struct PathMapper: Sendable {
    /// The workspace folders, the first one first: relative paths and mappings are relative to it.
    public let workspaces: [WorkspaceFiles]
    public let mappings: [PathMapping]
    public let goRoot: String?
    public let goModuleCache: String?
    /// The release of this machine's Go (`goRoot`), when known.
    public let goVersion: GoVersion?

    /// The first workspace folder, where relative paths resolve.
    public var workspace: WorkspaceFiles? { workspaces.first }

    public init(workspace: WorkspaceFiles?, mappings: [PathMapping] = [],
                goRoot: String? = PathMapper.localGoRoot(), goModuleCache: String? = PathMapper.localGoModuleCache(),
                goVersion: GoVersion? = PathMapper.localGoVersion()) {
        self.init(workspaces: workspace.map { [$0] } ?? [], mappings: mappings, goRoot: goRoot,
                  goModuleCache: goModuleCache, goVersion: goVersion)
    }

    public init(workspaces: [WorkspaceFiles], mappings: [PathMapping] = [],
                goRoot: String? = PathMapper.localGoRoot(), goModuleCache: String? = PathMapper.localGoModuleCache(),
                goVersion: GoVersion? = PathMapper.localGoVersion()) {
        self.workspaces = workspaces
        self.mappings = mappings
            .map { PathMapping(from: FilePath.normalize($0.from), to: $0.to) }
            .sorted { ($0.from.count, $0.from) > ($1.from.count, $1.from) }
        self.goRoot = goRoot
        self.goModuleCache = goModuleCache
        self.goVersion = goVersion
    }

    /// Resolves a profile's file name, refusing a file of another Go release than the one the
    /// profile names (its lines would carry another file's numbers).
    public func resolve(_ profilePath: String) -> PathResolution {
        let resolution = resolveIgnoringVersions(profilePath)
        guard let path = resolution.path, let built = GoVersion.named(inPath: FilePath.normalize(profilePath)),
              let here = goVersion(of: path), !built.isCompatible(with: here) else { return resolution }
        return .unmapped("built with Go \(built); the source here, \(path), is Go \(here)")
    }

    /// The Go release of a file here: this machine's for a file under its GOROOT, else the
    /// release its path names.
    func goVersion(of path: String) -> GoVersion? {
        if let goRoot, FilePath.hasPathPrefix(FilePath.canonical(path), FilePath.join(goRoot, "src")) { return goVersion }
        return GoVersion.named(inPath: path)
    }

    private func resolveIgnoringVersions(_ profilePath: String) -> PathResolution {
        if profilePath.isEmpty { return .unmapped("the profile gives no file name") }
        let path = FilePath.normalize(profilePath)
        var note: String?

        for mapping in mappings {
            guard let rest = FilePath.strip(mapping.from, from: path) else { continue }
            let target = FilePath.normalize(FilePath.join(mapping.to, rest))
            if let found = existing(target, rule: .explicitMapping) { return found }
            note = "--map \(mapping.from)=\(mapping.to) gives \(target), which does not exist"
        }

        for workspace in workspaces {
            for (module, folder) in workspace.goModules {
                guard let rest = FilePath.strip(module, from: path), !rest.isEmpty else { continue }
                if let found = existing(FilePath.join(workspace.root, FilePath.join(folder, rest)), rule: .goModule) { return found }
            }
        }
        for workspace in workspaces {
            if let found = existing(FilePath.join(workspace.root, path), rule: .verbatim, inside: workspace.root) { return found }
        }
        if let found = suffixMatch(path) { return found }

        if let goRoot, let rest = Self.goRootRelative(path) ?? Self.trimmedStandardLibrary(path),
           let found = existing(FilePath.join(goRoot, "src/" + rest), rule: .goRoot) {
            return found
        }
        if let goModuleCache, let rest = Self.moduleCacheRelative(path) ?? Self.trimmedModulePath(path),
           let found = existing(FilePath.join(goModuleCache, rest), rule: .goModuleCache) {
            return found
        }
        if path.hasPrefix("/"), let found = existing(path, rule: .existingFile) { return found }
        return .unmapped(note ?? (workspaces.isEmpty ? "no workspace root to look in" : "no workspace file matches"))
    }

    /// A resolution for `path` (relative paths are relative to the first workspace root) if the
    /// file exists, and, with `inside`, lies under that folder.
    private func existing(_ path: String, rule: PathResolution.Rule, inside: String? = nil) -> PathResolution? {
        let absolute = path.hasPrefix("/") ? path : FilePath.join(workspace?.root ?? FilePath.currentDirectory(), path)
        if let inside, !FilePath.hasPathPrefix(absolute, inside) { return nil }
        guard FilePath.isRegularFile(absolute) else { return nil }
        let relative = workspaces.lazy.compactMap { FilePath.strip($0.root, from: absolute) }.first
        return PathResolution(path: absolute, workspacePath: relative, rule: rule, alternatives: [], note: nil)
    }

    /// The workspace files that share the longest path suffix with `path`, across every
    /// workspace folder.
    private func suffixMatch(_ path: String) -> PathResolution? {
        let parts = FilePath.components(path)
        guard let name = parts.last else { return nil }
        // A match in a third-party or standard-library path needs more evidence than one in
        // application code: `fmt/print.go` must not land on the workspace's own `print.go`.
        let foreign = Self.isForeign(path)
        var best = 0
        var matches: [(workspace: Int, file: String)] = []
        for (w, workspace) in workspaces.enumerated() {
            for candidate in workspace.candidates(named: name) {
                let file = workspace.files[candidate]
                let fileParts = FilePath.components(file)
                var common = 0
                while common < fileParts.count, common < parts.count,
                      fileParts[fileParts.count - 1 - common] == parts[parts.count - 1 - common] {
                    common += 1
                }
                let qualifies = foreign ? common >= 3 : (common >= 2 || common == fileParts.count || common == parts.count)
                guard qualifies, common >= best else { continue }
                if common > best {
                    best = common
                    matches = []
                }
                matches.append((w, file))
            }
        }
        guard !matches.isEmpty else { return nil }
        matches.sort { ($0.workspace, FilePath.components($0.file).count, $0.file) < ($1.workspace, FilePath.components($1.file).count, $1.file) }
        let chosen = matches[0]
        return PathResolution(path: FilePath.join(workspaces[chosen.workspace].root, chosen.file), workspacePath: chosen.file,
                              rule: .suffix, alternatives: matches.dropFirst().map { $0.workspace == chosen.workspace ? $0.file : FilePath.join(workspaces[$0.workspace].root, $0.file) },
                              note: nil)
    }

    /// A standard-library file as `-trimpath` names it (`math/sin.go`, `runtime/proc.go`): a
    /// relative path whose first folder has no dot (module paths start with a domain).
    static func trimmedStandardLibrary(_ path: String) -> String? {
        guard !path.hasPrefix("/"), let first = FilePath.components(path).first,
              FilePath.components(path).count >= 2, !first.contains("."), !first.contains(":") else { return nil }
        return path
    }

    /// A dependency's file as `-trimpath` names it (`golang.org/x/net@v0.1.0/html/parse.go`):
    /// a relative path that starts with a domain and names a module version.
    static func trimmedModulePath(_ path: String) -> String? {
        guard !path.hasPrefix("/"), let first = FilePath.components(path).first, first.contains("."),
              FilePath.components(path).contains(where: { $0.contains("@v") }) else { return nil }
        return path
    }

    static func isForeign(_ path: String) -> Bool {
        if goRootRelative(path) != nil || moduleCacheRelative(path) != nil { return true }
        let markers = ["/site-packages/", "/dist-packages/", "/node_modules/", "/.cargo/registry/", "/rustc/",
                       "/lib/python", "/usr/include/", "/jdk/", "/.rustup/"]
        let padded = "/" + path
        return markers.contains { padded.contains($0) }
    }

    /// For a path inside a Go installation (`/usr/lib/go-1.19/src/regexp/exec.go`,
    /// `/usr/local/go/src/...`, Homebrew's `.../libexec/src/...`), the part after `src/`.
    static func goRootRelative(_ path: String) -> String? {
        let parts = FilePath.components(path)
        guard parts.count >= 3 else { return nil }
        for i in stride(from: parts.count - 2, through: 1, by: -1) where parts[i] == "src" {
            let root = parts[i - 1]
            let named = root == "go" || root.hasPrefix("go-") || root.hasPrefix("go1") || root == "goroot" || root == "libexec"
            // Installations that name their release (`/opt/hostedtoolcache/go/1.20.3/x64/src`).
            let versioned = GoVersion.named(inPath: parts[...i].joined(separator: "/") + "/x") != nil
            if named || versioned {
                guard path.hasPrefix("/") || path.hasPrefix("C:") || i - 1 == 0 else { continue }
                return parts[(i + 1)...].joined(separator: "/")
            }
        }
        return nil
    }

    /// For a path inside Go's module cache (`.../pkg/mod/github.com/x/y@v1.2.3/z.go`), the part
    /// after `pkg/mod/`.
    static func moduleCacheRelative(_ path: String) -> String? {
        let parts = FilePath.components(path)
        guard parts.count >= 3 else { return nil }
        for i in 0 ..< parts.count - 2 where parts[i] == "pkg" && parts[i + 1] == "mod" {
            return parts[(i + 2)...].joined(separator: "/")
        }
        return nil
    }

    /// This machine's Go installation: `$GOROOT`, or the usual install places.
    public static func localGoRoot() -> String? {
        var candidates: [String] = []
        if let env = Environment.value("GOROOT") { candidates.append(env) }
        candidates += ["/usr/local/go", "/usr/lib/go"]
        return candidates.first { FilePath.isDirectory(FilePath.join($0, "src")) }.map(FilePath.canonical)
    }

    /// The release of this machine's Go, read from `$GOROOT` or the usual install places before
    /// their links are resolved (see `GoVersion.installed(at:)`).
    public static func localGoVersion() -> GoVersion? {
        var candidates: [String] = []
        if let env = Environment.value("GOROOT") { candidates.append(env) }
        candidates += ["/usr/local/go", "/usr/lib/go"]
        guard let root = candidates.first(where: { FilePath.isDirectory(FilePath.join($0, "src")) }) else { return nil }
        return GoVersion.installed(at: root)
    }

    /// This machine's Go module cache: `$GOMODCACHE`, `$GOPATH/pkg/mod` or `~/go/pkg/mod`.
    public static func localGoModuleCache() -> String? {
        var candidates: [String] = []
        if let env = Environment.value("GOMODCACHE") { candidates.append(env) }
        if let env = Environment.value("GOPATH") { candidates.append(FilePath.join(env, "pkg/mod")) }
        if let env = Environment.value("HOME") { candidates.append(FilePath.join(env, "go/pkg/mod")) }
        return candidates.first { FilePath.isDirectory($0) }
    }
}
