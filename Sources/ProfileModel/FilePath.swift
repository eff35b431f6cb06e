import SystemIO

/// Small path helpers over plain strings, so that the model does not depend on Foundation's
/// URL handling (which differs between platforms) for the paths it compares millions of times.
public enum FilePath {
    /// Normalises a file name as profiles write it: `file://` URLs become paths, backslashes
    /// become slashes, `.` components and repeated slashes go, and `..` is applied where it can be.
    public static func normalize(_ path: String) -> String {
        var p = path
        if p.hasPrefix("file://") {
            p.removeFirst(7)
            p = percentDecoded(p)
        }
        if p.contains("\\") { p = p.replacingAll("\\", with: "/") }
        let absolute = p.hasPrefix("/")
        var parts: [Substring] = []
        for part in p.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// `base/relative`, or `relative` itself when it is absolute.
    public static func join(_ base: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || base.isEmpty { return relative }
        if relative.isEmpty { return base }
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }

    /// The components of a path, without empty ones.
    public static func components(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// `path` with the home folder written `~`, for messages.
    public static func abbreviatingHome(_ path: String) -> String {
        guard let home = Environment.value("HOME"), home.count > 1, let rest = strip(home, from: path) else { return path }
        return rest.isEmpty ? "~" : "~/" + rest
    }

    /// The folder that holds `path` (`/` for a top-level entry, the path itself for `/`).
    public static func parent(_ path: String) -> Substring {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : trimmed[..<slash]
    }

    public static func lastComponent(_ path: String) -> Substring {
        components(path).last ?? Substring(path)
    }

    /// Whether `path` is `prefix` or lies under it, component-wise.
    public static func hasPathPrefix(_ path: String, _ prefix: String) -> Bool {
        if prefix.isEmpty { return true }
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if path == trimmed { return true }
        return path.hasPrefix(trimmed + "/")
    }

    /// `path` with `prefix` removed (component-wise), or nil when it does not start with it.
    public static func strip(_ prefix: String, from path: String) -> String? {
        guard hasPathPrefix(path, prefix) else { return nil }
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if path == trimmed { return "" }
        return String(path.dropFirst(trimmed.count + (trimmed.isEmpty ? 0 : 1)))
    }

    public static func isRegularFile(_ path: String) -> Bool {
        FileStatus(path: path)?.isRegularFile ?? false
    }

    public static func isDirectory(_ path: String) -> Bool {
        FileStatus(path: path)?.isDirectory ?? false
    }

    /// The modification time of a file in seconds since 1970, or nil when it cannot be read.
    public static func modificationTime(_ path: String) -> Double? {
        FileStatus(path: path)?.modificationTime
    }

    /// The canonical absolute path (symbolic links resolved), or the normalised path when the
    /// file does not exist.
    public static func canonical(_ path: String) -> String {
        FileSystem.realPath(path) ?? normalize(path)
    }

    public static func currentDirectory() -> String {
        FileSystem.currentDirectory() ?? "."
    }

    /// Decodes `%XX` escapes, as in `file://` URIs.
    public static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1]) {
                bytes.append(high << 4 | low)
                utf8.removeFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension String {
    /// Replaces every occurrence of `target`, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
