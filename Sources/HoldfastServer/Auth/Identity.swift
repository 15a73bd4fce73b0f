/// Who is calling: a user id and what they may do.
public struct Identity: Sendable, Hashable {
    public enum Role: String, Sendable, Codable {
        case customer
        case admin
        /// Checks tickets in at the door, nothing else.
        case usher
    }

    public let userId: String
    public let role: Role

    public init(userId: String, role: Role) {
        self.userId = userId
        self.role = role
    }

    /// User ids are 1-128 characters of letters, digits and `._@:-`.
    static func isValidUserId(_ id: String) -> Bool {
        (1...128).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._@:-".contains($0)) }
    }
}
