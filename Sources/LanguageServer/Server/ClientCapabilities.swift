import LanguageServerProtocol

/// What the client said it supports, read from the raw `capabilities` of `initialize`.
public struct ClientCapabilities: Sendable {
    public let raw: JSONValue

    public init(_ raw: JSONValue?) { self.raw = raw ?? .null }

    private func flag(_ path: String...) -> Bool {
        var value: JSONValue? = raw
        for key in path { value = value?[key] }
        return value?.boolValue ?? false
    }

    public var hoverMarkdown: Bool {
        raw["textDocument"]?["hover"]?["contentFormat"]?.arrayValue?.contains(.string("markdown")) ?? false
    }

    public var codeLensRefresh: Bool { flag("workspace", "codeLens", "refreshSupport") }
    public var inlayHintRefresh: Bool { flag("workspace", "inlayHint", "refreshSupport") }
    public var showDocument: Bool { flag("window", "showDocument", "support") }
    public var workDoneProgress: Bool { flag("window", "workDoneProgress") }
    public var watchedFilesRegistration: Bool { flag("workspace", "didChangeWatchedFiles", "dynamicRegistration") }
}
