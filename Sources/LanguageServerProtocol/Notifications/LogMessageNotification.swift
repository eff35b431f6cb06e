/// `window/logMessage` (server to client): what the client shows in its server log.
public struct LogMessageNotification: LSPNotification {
    public static let method = "window/logMessage"
    /// Logs only inform; when the client stops reading they are the first thing to go.
    public static let isDroppable = true

    public var type: MessageType
    public var message: String

    public init(type: MessageType, message: String) {
        self.type = type
        self.message = message
    }
}
