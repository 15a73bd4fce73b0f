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
        let bytes = Array(try JSONEncoder().encode(body))
        let timestamp = String(Int(clock.now().timeIntervalSince1970))
        var request = HTTPClientRequest(url: callbackURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: WebhookSubscriber.timestampHeader, value: timestamp)
        request.headers.add(name: WebhookSubscriber.signatureHeader, value: "v1=" + WebhookSubscriber.signature(secret: secret, timestamp: timestamp, body: bytes))
        request.body = .bytes(bytes)
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else { throw WebhookError(message: "\(callbackURL) answered \(response.status.code)") }
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
