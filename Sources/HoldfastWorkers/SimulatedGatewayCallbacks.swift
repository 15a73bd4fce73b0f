import AsyncHTTPClient
import Foundation
import HoldfastCore
import HoldfastStore
import NIOCore

/// The simulated gateway's webhook: for every PaymentInitiated it POSTs the payment's verdict,
/// signed like every Holdfast webhook, to `callbackURL` (the server's own `/payments/webhook`).
public struct SimulatedGatewayCallbacks: EventSubscriber {
    let stores: any HoldfastStores
    let gateway: any PaymentGateway
    let client: HTTPClient
    let callbackURL: String
    let secret: String
    let clock: any BookingClock

    public init(stores: any HoldfastStores, gateway: any PaymentGateway, client: HTTPClient, callbackURL: String, secret: String, clock: any BookingClock) {
        self.stores = stores
        self.gateway = gateway
        self.client = client
        self.callbackURL = callbackURL
        self.secret = secret
        self.clock = clock
    }

    public var name: String { "simulated-gateway" }

    public func accepts(_ event: DomainEvent) -> Bool { event.type == EventType.paymentInitiated.rawValue }

    struct Reference: Decodable { let paymentId: UUID }

    public func deliver(_ event: DomainEvent) async throws {
        let reference = try event.decodePayload(Reference.self)
        guard let payment = try await stores.payment(reference.paymentId) else { return }
        let body = PaymentWebhook(paymentId: payment.paymentId, result: gateway.eventualResult(of: payment))
        try await SignedPost.send(
            Array(try JSONEncoder().encode(body)), to: callbackURL, secret: secret, at: clock.now(), client: client, timeout: .seconds(10))
    }
}

/// The body of `POST /payments/webhook`.
public struct PaymentWebhook: Codable, Sendable {
    public let paymentId: UUID
    /// "succeeded" or "declined".
    public let status: String
    public let reason: String?

    public init(paymentId: UUID, result: PaymentResult) {
        self.paymentId = paymentId
        switch result {
        case .succeeded:
            status = "succeeded"
            reason = nil
        case .declined(let why):
            status = "declined"
            reason = why
        }
    }

    public var result: PaymentResult? {
        switch status {
        case "succeeded": .succeeded
        case "declined": .declined(reason: reason ?? "declined")
        default: nil
        }
    }
}
