import Foundation
import HoldfastCore
import JWTKit

/// Admission tokens of waiting rooms: signed for one user and one show, valid for the room's token minutes.
/// They are signed with a key of their own (derived from JWT_SECRET), so an admission token is never a bearer
/// token and a bearer token never an admission.
public struct AdmissionTokens: Sendable {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var show: String
        var exp: ExpirationClaim

        /// Expiry is checked against the booking clock by `verify(_:showId:userId:now:)`.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    let keys: JWTKeyCollection

    public init(secret: String) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret + "|waiting-room-admission"), digestAlgorithm: .sha256)
        self.keys = keys
    }

    public func sign(showId: UUID, userId: String, expiresAt: Date) async throws -> String {
        try await keys.sign(Claims(sub: SubjectClaim(value: userId), show: showId.uuidString, exp: ExpirationClaim(value: expiresAt)))
    }

    /// Throws `admissionInvalid` unless the token admits `userId` to `showId` at `now`.
    public func verify(_ token: String, showId: UUID, userId: String, now: Date) async throws {
        guard let claims = try? await keys.verify(token, as: Claims.self), claims.sub.value == userId,
            claims.show == showId.uuidString, claims.exp.value > now
        else { throw HoldfastError.admissionInvalid }
    }
}
