import SystemIO

/// The source files of a workspace, found by a bounded walk, indexed by file name.
///
/// Folders that hold build output, dependencies or version control are skipped, and so is what
/// the workspace's `.gitignore` files exclude: matching a profile's `util.go` against a copy
/// under `node_modules` or `.build` would put costs on the wrong file. The walk stops at a
/// number of files, a depth and a time, because an editor may open `/` or a home folder full
/// of repositories; `stoppedEarly` then says why, for the status.
public struct WorkspaceFiles: Sendable {
    /// Why a walk stopped before it saw every folder.
    public enum StopReason: Sendable, Equatable, CustomStringConvertible {
        case files(Int)
        case time(Double)

        public var description: String {
            switch self {
            case .files(let count): return "stopped after \(count) files"
            case .time(let seconds): return "stopped after \(seconds) s"
            }
        }
    }

    /// How far a walk may go.
    public struct Limits: Sendable {
        public var maxFiles: Int
        public var maxDepth: Int
        public var seconds: Double

        public init(maxFiles: Int = 100_000, maxDepth: Int = 24, seconds: Double = 3) {
            self.maxFiles = maxFiles
            self.maxDepth = maxDepth
            self.seconds = seconds
        }
    }

    /// The workspace root, canonical and absolute.
    public let root: String
    /// Workspace-relative paths of all files found, sorted.
    public let files: [String]
    /// Indices into `files` by last path component.
    let byName: [Substring: [Int]]
    /// Go modules declared by `go.mod` files: module path and its folder relative to the root.
    public let goModules: [(module: String, folder: String)]
    /// Why the walk stopped early, when it did.
    public let stoppedEarly: StopReason?

    /// Whether the walk stopped before it saw every folder.
    public var truncated: Bool { stoppedEarly != nil }

    /// Folder names never descended into, besides hidden folders (`.git`, `.build`, `.venv`, ...).
    public static let skippedFolders: Set<String> = [
        "node_modules", "__pycache__", "bower_components", "target", "zig-cache", "zig-out", "DerivedData",
        "venv", "site-packages", "Pods",
    ]

    /// Folders of `/` that hold no files of anyone's workspace (kernel and device file systems).
    static let systemFolders: Set<String> = ["proc", "sys", "dev", "run", "snap", "lost+found"]

    public init(root: String, limits: Limits = Limits()) {
        let canonicalRoot = FilePath.canonical(root)
        self.root = canonicalRoot
        var found: [String] = []
        var modules: [(String, String)] = []
        var stopped: StopReason?
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(Int64(limits.seconds * 1000)))
        // Each pending folder carries the `.gitignore` files that apply to it: their folder
        // (relative to the root) and patterns, outermost first.
        var pending: [(relative: String, depth: Int, ignores: [(String, GitIgnore)])] = [("", 0, [])]
        walk: while let (relative, depth, inherited) = pending.popLast() {
            if clock.now >= deadline {
                stopped = .time(limits.seconds)
                break
            }
            let folder = relative.isEmpty ? canonicalRoot : FilePath.join(canonicalRoot, relative)
            guard let entries = FileSystem.entries(of: folder) else { continue }
            var ignores = inherited
            if entries.contains(where: { $0.name == ".gitignore" }),
               let text = FileSystem.leadingLines(FilePath.join(folder, ".gitignore"), maxLines: 10_000) {
                ignores.append((relative, GitIgnore(text.joined(separator: "\n"))))
            }
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
                guard kind == .directory || kind == .regular else { continue }
                if kind == .directory {
                    // The cheap tests first: `.git` and `node_modules` are never matched against
                    // the ignore files.
                    if name.hasPrefix(".") || Self.skippedFolders.contains(name) || depth + 1 > limits.maxDepth { continue }
                    if canonicalRoot == "/" && relative.isEmpty && Self.systemFolders.contains(name) { continue }
                    if Self.isIgnored(path, isFolder: true, by: ignores) { continue }
                    pending.append((path, depth + 1, ignores))
                } else {
                    if Self.isIgnored(path, isFolder: false, by: ignores) { continue }
                    if found.count >= limits.maxFiles {
                        stopped = .files(limits.maxFiles)
                        break walk
                    }
                    found.append(path)
                    if name == "go.mod", let module = Self.goModulePath(FilePath.join(canonicalRoot, path)) {
                        modules.append((module, relative))
                    }
                }
            }
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
        self.stoppedEarly = stopped
    }

    /// Whether the `.gitignore` files that apply (outermost first) exclude `path`: the innermost
    /// file with a matching pattern decides, as in git.
    static func isIgnored(_ path: String, isFolder: Bool, by ignores: [(String, GitIgnore)]) -> Bool {
        for (base, ignore) in ignores.reversed() {
            let relative = base.isEmpty ? path : String(path.dropFirst(base.count + 1))
            if let decision = ignore.decision(relative, isFolder: isFolder) { return decision }
        }
        return false
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
