/// `workspace/didChangeConfiguration`: new settings, under the section `profilelens`.
public struct DidChangeConfigurationNotification: LSPNotification {
    public static let method = "workspace/didChangeConfiguration"
    public var settings: JSONValue?

    public init(settings: JSONValue?) { self.settings = settings }
}
