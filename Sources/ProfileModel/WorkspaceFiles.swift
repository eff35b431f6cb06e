import SystemIO

/// The source files of a workspace, found by a bounded walk, indexed by file name.
///
/// Folders that hold build output, dependencies or version control are skipped: matching a
/// profile's `util.go` against a copy under `node_modules` or `.build` would put costs on the
/// wrong file.
public struct WorkspaceFiles: Sendable {
    /// The workspace root, canonical and absolute.
    public let root: String
    /// Workspace-relative paths of all files found, sorted.
    public let files: [String]
    /// Indices into `files` by last path component.
    let byName: [Substring: [Int]]
    /// Go modules declared by `go.mod` files: module path and its folder relative to the root.
    public let goModules: [(module: String, folder: String)]
    /// Whether the walk stopped early at `maxFiles`.
    public let truncated: Bool

    /// Folder names never descended into, besides hidden folders (`.git`, `.build`, `.venv`, ...).
    public static let skippedFolders: Set<String> = [
        "node_modules", "__pycache__", "bower_components", "target", "zig-cache", "zig-out", "DerivedData",
    ]

    public init(root: String, maxFiles: Int = 200_000, maxDepth: Int = 32) {
        let canonicalRoot = FilePath.canonical(root)
        self.root = canonicalRoot
        var found: [String] = []
        var modules: [(String, String)] = []
        var truncated = false
        var pending: [(String, Int)] = [("", 0)]
        while let (relative, depth) = pending.popLast() {
            let folder = relative.isEmpty ? canonicalRoot : FilePath.join(canonicalRoot, relative)
            guard let entries = FileSystem.entries(of: folder) else { continue }
            for entry in entries {
                let name = entry.name
                let path = relative.isEmpty ? name : relative + "/" + name
                var kind = entry.kind
                if kind == .unknown || kind == .symbolicLink {
                    // Follow links to files, never to folders: a link cycle must not trap the walk.
                    guard let status = FileStatus(path: FilePath.join(canonicalRoot, path)) else { continue }
                    if status.isRegularFile {
                        kind = .regular
                    } else if status.isDirectory && entry.kind != .symbolicLink {
                        kind = .directory
                    } else {
                        continue
                    }
                }
                if kind == .directory {
                    if name.hasPrefix(".") || Self.skippedFolders.contains(name) || depth + 1 > maxDepth { continue }
                    pending.append((path, depth + 1))
                } else if kind == .regular {
                    if found.count >= maxFiles {
                        truncated = true
                        break
                    }
                    found.append(path)
                    if name == "go.mod", let module = Self.goModulePath(FilePath.join(canonicalRoot, path)) {
                        modules.append((module, relative))
                    }
                }
            }
            if truncated { break }
        }
        found.sort()
        var byName: [Substring: [Int]] = [:]
        for (i, file) in found.enumerated() {
            byName[FilePath.lastComponent(file), default: []].append(i)
        }
        self.files = found
        self.byName = byName
        // Longer module paths first, so that nested modules win over the one that contains them.
        self.goModules = modules.sorted { ($0.0.count, $0.0) > ($1.0.count, $1.0) }
        self.truncated = truncated
    }

    func candidates(named name: Substring) -> [Int] { byName[name] ?? [] }

    /// The module path a `go.mod` declares, from its `module` line.
    static func goModulePath(_ path: String) -> String? {
        for line in FileSystem.leadingLines(path, maxLines: 200) ?? [] {
            let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = code.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.count >= 2, words[0] == "module" {
                return words[1].trimmingQuotes()
            }
        }
        return nil
    }
}

extension Substring {
    func trimmingQuotes() -> String {
        var s = self
        if s.first == "\"" || s.first == "`" { s = s.dropFirst() }
        if s.last == "\"" || s.last == "`" { s = s.dropLast() }
        return String(s)
    }
}
