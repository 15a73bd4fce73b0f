import Foundation
import HoldfastCore

/// A card processor. `charge` gives the gateway's immediate answer; the final word may also come
/// later through the signed webhook (`POST /payments/webhook`), as real gateways send it.
public protocol PaymentGateway: Sendable {
    /// Refuses tokens the gateway would not accept, before anything is recorded.
    func validate(token: String) throws
    func charge(_ payment: Payment) async throws -> PaymentResult
    /// The verdict the gateway's webhook will carry for `payment`.
    func eventualResult(of payment: Payment) -> PaymentResult
    /// Sends `refund.amount` of `refund.paymentId` back to the customer; the refund id is the gateway's
    /// idempotency key, so a repeated call never pays out twice. Throws when the gateway refuses.
    func refund(_ refund: Refund) async throws
}

/// The built-in gateway for development and tests. Test tokens:
/// - `tok_success` (also used when no token is sent): paid at once;
/// - `tok_decline`: declined at once;
/// - `tok_timeout`: no answer in time (the caller gives up), but the charge goes through and the
///   webhook reports success later.
public struct SimulatedGateway: PaymentGateway {
    public static let success = "tok_success"
    public static let decline = "tok_decline"
    public static let timeout = "tok_timeout"

    /// How long a `tok_timeout` charge hangs before answering.
    let hang: Duration

    public init(hang: Duration = .seconds(60)) { self.hang = hang }

    public func validate(token: String) throws {
        guard [Self.success, Self.decline, Self.timeout].contains(token) else { throw HoldfastError.invalidPaymentToken }
    }

    public func charge(_ payment: Payment) async throws -> PaymentResult {
        if payment.token == Self.timeout { try await Task.sleep(for: hang) }
        return eventualResult(of: payment)
    }

    public func eventualResult(of payment: Payment) -> PaymentResult {
        payment.token == Self.decline ? .declined(reason: "card declined (test token)") : .succeeded
    }

    /// Refunds go through at once.
    public func refund(_ refund: Refund) async throws {}
}
