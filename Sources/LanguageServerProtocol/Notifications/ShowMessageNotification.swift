/// `window/showMessage` (server to client): for what a user must see, such as a broken profile.
public struct ShowMessageNotification: LSPNotification {
    public static let method = "window/showMessage"
    public var type: MessageType
    public var message: String

    public init(type: MessageType, message: String) {
        self.type = type
        self.message = message
    }
}
