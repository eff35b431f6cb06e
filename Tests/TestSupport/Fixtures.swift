import Foundation

/// Paths of the test fixtures in `Tests/Fixtures`, found from this source file's location so
/// that tests run from any working directory, on a fresh clone, with nothing outside the repository.
public enum Fixtures {
    public static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }()

    public static func path(_ relative: String) -> String { root + "/" + relative }

    public static var corpus: String { path("corpus") }

    /// Every profile of the corpus, with the name of its expected-numbers file
    /// (`goshop/profiles/cpu.pb.gz` → `goshop__profiles__cpu.json`).
    public static func corpusProfiles() -> [(profile: String, expected: String)] {
        let fm = FileManager.default
        var result: [(String, String)] = []
        guard let walker = fm.enumerator(atPath: corpus) else { return [] }
        for case let relative as String in walker {
            guard !relative.hasPrefix("expected"), !relative.hasPrefix("goshop/src"), !relative.hasPrefix("liveshop/src"),
                  relative != "README.md" else { continue }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: corpus + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            var stem = relative
            for suffix in [".pb.gz", ".pb"] where stem.hasSuffix(suffix) {
                stem = String(stem.dropLast(suffix.count))
                break
            }
            result.append((corpus + "/" + relative, corpus + "/expected/" + stem.replacingOccurrences(of: "/", with: "__") + ".json"))
        }
        return result.sorted { $0.0 < $1.0 }
    }

    /// A fresh temporary folder, removed by the caller (or left for the OS).
    public static func temporaryDirectory(_ name: String = "profilelens-test") -> String {
        let path = NSTemporaryDirectory() + "/\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Copies the goshop sources into a temporary workspace and returns its path.
    public static func goshopWorkspace() -> String {
        let dir = temporaryDirectory("goshop-ws")
        let fm = FileManager.default
        let source = path("corpus/goshop/src")
        for case let relative as String in fm.enumerator(atPath: source)! {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: source + "/" + relative, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try? fm.createDirectory(atPath: dir + "/" + relative, withIntermediateDirectories: true)
            } else {
                try? fm.copyItem(atPath: source + "/" + relative, toPath: dir + "/" + relative)
            }
        }
        return dir
    }
}

/// Writes bytes to a file, for tests that build profile files.
public enum FileWriter {
    @discardableResult
    public static func write(_ path: String, _ bytes: [UInt8]) -> Bool {
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
}

/// Runs `body` with the process's standard output redirected to a file and returns what it
/// wrote. Tests that use it must not run in parallel with each other (they share fd 1).
public func captureStandardOutput(_ body: () throws -> Void) rethrows -> String {
    try capture(descriptor: 1, body)
}

/// Runs `body` with the process's standard error redirected to a file and returns what it
/// wrote: the CLI's warnings. Other suites running meanwhile may add their own lines.
public func captureStandardError(_ body: () throws -> Void) rethrows -> String {
    try capture(descriptor: 2, body)
}

private func capture(descriptor: Int32, _ body: () throws -> Void) rethrows -> String {
    let path = Fixtures.temporaryDirectory("captured") + "/out.txt"
    FileManager.default.createFile(atPath: path, contents: nil)
    let handle = FileHandle(forWritingAtPath: path)!
    let saved = dup(descriptor)
    dup2(handle.fileDescriptor, descriptor)
    defer {
        dup2(saved, descriptor)
        close(saved)
        try? handle.close()
    }
    try body()
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}
