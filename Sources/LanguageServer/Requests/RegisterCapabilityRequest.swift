/// `client/registerCapability` (server to client): here, to have the client watch profile files.
public struct RegisterCapabilityRequest: LSPRequest {
    public static let method = "client/registerCapability"
    public typealias Response = VoidResponse

    public struct Registration: Codable, Hashable, Sendable {
        public var id: String
        public var method: String
        public var registerOptions: JSONValue?
    }

    public var registrations: [Registration]
}
