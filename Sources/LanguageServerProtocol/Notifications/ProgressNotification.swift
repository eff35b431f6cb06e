/// `$/progress` (server to client), for a work-done progress token.
public struct ProgressNotification: LSPNotification {
    public static let method = "$/progress"
    /// A lost progress report only leaves a spinner a little behind.
    public static let isDroppable = true

    /// The phases of a work-done progress.
    public enum Kind: String, Codable, Hashable, Sendable {
        case begin, report, end
    }

    public struct Value: Codable, Hashable, Sendable {
        public var kind: Kind
        public var title: String?
        public var message: String?
        public var percentage: Int?

        public init(kind: Kind, title: String? = nil, message: String? = nil, percentage: Int? = nil) {
            self.kind = kind
            self.title = title
            self.message = message
            self.percentage = percentage
        }
    }

    public var token: ProgressToken
    public var value: Value

    public init(token: ProgressToken, value: Value) {
        self.token = token
        self.value = value
    }
}
