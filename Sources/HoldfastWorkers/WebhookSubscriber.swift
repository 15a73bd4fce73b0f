import AsyncHTTPClient
import Crypto
import Foundation
import HoldfastCore
import HoldfastStore
import NIOCore

/// POSTs events to a subscription's URL. Each request carries the event id (receivers drop duplicates)
/// and `Holdfast-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with `Holdfast-Timestamp`.
public struct WebhookSubscriber: EventSubscriber {
    public static let signatureHeader = "Holdfast-Signature"
    public static let timestampHeader = "Holdfast-Timestamp"
    public static let eventIdHeader = "Holdfast-Event-Id"
    public static let eventTypeHeader = "Holdfast-Event-Type"

    let subscription: WebhookSubscription
    let client: HTTPClient
    let clock: any BookingClock
    let timeout: TimeAmount

    public init(subscription: WebhookSubscription, client: HTTPClient, clock: any BookingClock, timeout: TimeAmount = .seconds(10)) {
        self.subscription = subscription
        self.client = client
        self.clock = clock
        self.timeout = timeout
    }

    public var name: String { subscription.subscriberName }

    public func accepts(_ event: DomainEvent) -> Bool { subscription.accepts(event) }

    public func deliver(_ event: DomainEvent) async throws {
        try await SignedPost.send(
            try WebhookBody.encode(event), to: subscription.url, secret: subscription.secret, at: clock.now(),
            extraHeaders: [(Self.eventIdHeader, event.eventId.uuidString), (Self.eventTypeHeader, event.type)], client: client, timeout: timeout)
    }

    /// Hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`: what a receiver recomputes to verify.
    public static func signature(secret: String, timestamp: String, body: [UInt8]) -> String {
        var signed = Array(timestamp.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return mac.lowercaseHex
    }
}

struct WebhookError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The JSON a webhook receives: the event's envelope with its payload inline.
enum WebhookBody {
    static func encode(_ event: DomainEvent) throws -> [UInt8] {
        let payload = try JSONSerialization.jsonObject(with: Data(event.payload.utf8))
        let envelope: [String: Any] = [
            "eventId": event.eventId.uuidString, "type": event.type, "aggregateType": event.aggregateType,
            "aggregateId": event.aggregateId,
            "occurredAt": event.occurredAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
            "payload": payload,
        ]
        return Array(try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]))
    }
}
