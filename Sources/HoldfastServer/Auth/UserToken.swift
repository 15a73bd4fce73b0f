import JWTKit

/// The bearer token's claims: `sub` is the user id, `role` is customer (default) or admin, `exp` is required.
public struct UserToken: JWTPayload {
    public var sub: SubjectClaim
    public var exp: ExpirationClaim
    public var role: String?

    public init(userId: String, role: Identity.Role, expiresAt: Date) {
        sub = SubjectClaim(value: userId)
        exp = ExpirationClaim(value: expiresAt)
        self.role = role.rawValue
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
