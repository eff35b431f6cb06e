/// `client/registerCapability` (server to client): here, to have the client watch profile files.
public struct RegisterCapabilityRequest: LSPRequest {
    public static let method = "client/registerCapability"
    public typealias Response = VoidResponse

    public struct Registration: Codable, Hashable, Sendable {
        public var id: String
        public var method: String
        public var registerOptions: JSONValue?

        public init(id: String, method: String, registerOptions: JSONValue?) {
            self.id = id
            self.method = method
            self.registerOptions = registerOptions
        }
    }

    public var registrations: [Registration]

    public init(registrations: [Registration]) { self.registrations = registrations }
}
