import LanguageServerProtocol
import ProfileModel

/// Converting between document URIs and file paths.
enum DocumentPath {
    /// The file path of a `file://` URI, or nil for other schemes.
    static func path(_ uri: DocumentURI) -> String? {
        let text = uri.string
        guard text.hasPrefix("file://") else { return nil }
        var rest = text.dropFirst(7)
        // file://host/path: only the local host is a file here.
        if !rest.hasPrefix("/") {
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        return FilePath.percentDecoded(String(rest))
    }

    /// The canonical path of a `file://` URI (symbolic links resolved), as the indexes name
    /// mapped files; the path itself when the file does not exist.
    static func canonicalPath(_ uri: DocumentURI) -> String? {
        path(uri).map(FilePath.canonical)
    }

    /// A `file://` URI for an absolute path, with the characters URIs reserve escaped.
    static func uri(_ path: String) -> DocumentURI {
        var escaped = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "/-._~!$&'()*+,;=:@".contains(c) {
                escaped.append(c)
            } else {
                escaped += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return DocumentURI("file://" + escaped)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
