import Foundation
import HoldfastCore
import HTTPTypes
import JWTKit

/// Turns request headers into an `Identity`: a verified HS256 bearer token, or in dev mode `x-user-id`.
public struct Authenticator: Sendable {
    let keys: JWTKeyCollection
    let devMode: Bool
    let verified = VerifiedTokens()

    public init(secret: String, devMode: Bool) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.devMode = devMode
    }

    /// Dev mode's stand-in for a token: the caller's user id, as is.
    static let devUserHeader = HTTPField.Name("x-user-id")!
    /// The headers that carry credentials: a request without any of them is anonymous.
    static let credentialHeaders: [HTTPField.Name] = [.authorization, devUserHeader]

    /// `nil` when the request carries no credentials; throws for credentials that are present but bad.
    func identity(from headers: HTTPFields) async throws -> Identity? {
        if let authorization = headers[.authorization] {
            guard let token = Self.bearerToken(in: authorization) else {
                throw HoldfastError(.unauthenticated, code: "INVALID_TOKEN", message: "Authorization must be 'Bearer <token>'")
            }
            if let identity = verified.identity(token, now: Date()) { return identity }
            let claims: UserToken
            do {
                claims = try await keys.verify(token, as: UserToken.self)
            } catch {
                throw HoldfastError(.unauthenticated, code: "INVALID_TOKEN", message: "The bearer token is invalid or expired")
            }
            guard Identity.isValidUserId(claims.sub.value) else {
                throw HoldfastError(.unauthenticated, code: "INVALID_TOKEN", message: "The token's subject is not a valid user id")
            }
            guard let role = Identity.Role(rawValue: claims.role ?? Identity.Role.customer.rawValue) else {
                throw HoldfastError(.unauthenticated, code: "INVALID_TOKEN", message: "The token's role is unknown")
            }
            let identity = Identity(userId: claims.sub.value, role: role)
            verified.keep(token, identity: identity, expiresAt: claims.exp.value)
            return identity
        }
        if let userId = headers[Self.devUserHeader] {
            guard devMode else {
                throw HoldfastError(
                    .unauthenticated, code: "DEV_HEADER_DISABLED", message: "x-user-id is accepted in dev mode only; send a bearer token")
            }
            guard Identity.isValidUserId(userId) else {
                throw HoldfastError.invalid("x-user-id must be 1-128 letters, digits or ._@:-", code: "INVALID_USER_ID")
            }
            return Identity(userId: userId, role: .customer)
        }
        return nil
    }

    /// The identity of an `Authorization` header whose bearer token was verified before and has not expired (what
    /// `identity(from:)` answers for it without verifying again); nil for anything else.
    func knownIdentity(authorization: String) -> Identity? {
        Self.bearerToken(in: authorization).flatMap { verified.identity($0, now: Date()) }
    }

    /// The token of `Bearer <token>` (the scheme in any case, spaces or tabs around the token), read byte by byte:
    /// splitting the header into Characters cost a refused hold a twentieth of its time.
    static func bearerToken(in authorization: String) -> String? {
        let bytes = authorization.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let schemeStart = bytes.firstIndex { !isBlank($0) } ?? bytes.endIndex
        guard let schemeEnd = bytes[schemeStart...].firstIndex(where: isBlank),
            bytes[schemeStart..<schemeEnd].elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }),
            let tokenStart = bytes[schemeEnd...].firstIndex(where: { !isBlank($0) })
        else { return nil }
        let tokenEnd = bytes[tokenStart...].firstIndex(where: isBlank) ?? bytes.endIndex
        guard bytes[tokenEnd...].allSatisfy(isBlank) else { return nil }
        return String(authorization[tokenStart..<tokenEnd])
    }

    /// Signs a token for `userId` (the CLI's `token` command and tests).
    public func token(userId: String, role: Identity.Role, expiresAt: Date) async throws -> String {
        try await keys.sign(UserToken(userId: userId, role: role, expiresAt: expiresAt))
    }
}
