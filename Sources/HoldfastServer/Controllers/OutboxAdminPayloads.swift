import Crypto
import Foundation
import HoldfastCore
import HoldfastStore

struct BacklogResponse: Encodable {
    let unfanned: Int
    let pending: Int
    let dead: Int
    let oldestPendingSince: Date?
}

struct EventResponse: Encodable {
    let eventId: UUID
    let type: String
    let aggregateType: String
    let aggregateId: String
    let occurredAt: Date
    let payload: JSONValue

    init(_ event: DomainEvent) throws {
        eventId = event.eventId
        type = event.type
        aggregateType = event.aggregateType
        aggregateId = event.aggregateId
        occurredAt = event.occurredAt
        payload = try JSONDecoder().decode(JSONValue.self, from: Data(event.payload.utf8))
    }
}

struct DeliveryResponse: Encodable {
    let seq: Int64
    let subscriber: String
    let attempts: Int
    let lastError: String?
    let event: EventResponse

    init(_ delivery: OutboxDelivery) throws {
        seq = delivery.seq
        subscriber = delivery.subscriber
        attempts = delivery.attempts
        lastError = delivery.lastError
        event = try EventResponse(delivery.event)
    }
}

struct ReplayRequest: Decodable {
    let seq: Int64
    let subscriber: String
}

struct WebhookRequest: Decodable {
    let url: String
    let eventTypes: [String]
    let secret: String?
    /// Makes this the hotel's PMS endpoint: only that hotel's booking events, and its inbound pushes' secret.
    let hotelId: UUID?

    func validatedURL() throws -> String {
        guard url.count <= 2_000, let parts = URLComponents(string: url), ["http", "https"].contains(parts.scheme ?? ""),
            let host = parts.host, !host.isEmpty
        else { throw HoldfastError.invalid("url must be an absolute http(s) URL") }
        return url
    }

    func validatedTypes() throws -> [String] {
        let known = Set(EventType.allCases.map(\.rawValue)).union(["*"])
        guard !eventTypes.isEmpty else { throw HoldfastError.invalid("eventTypes must name at least one event type, or \"*\"") }
        let unknown = eventTypes.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw HoldfastError.invalid("unknown event types: \(unknown.joined(separator: ", ")); known: \(known.sorted().joined(separator: ", "))")
        }
        return Array(Set(eventTypes)).sorted()
    }

    /// The given secret (16-200 characters), or a fresh random one.
    func validatedSecret() throws -> String {
        if let secret {
            guard (16...200).contains(secret.count) else { throw HoldfastError.invalid("secret must be 16-200 characters") }
            return secret
        }
        return SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
    }
}

struct WebhookResponse: Encodable {
    let subscriptionId: UUID
    let url: String
    let eventTypes: [String]
    let active: Bool
    let hotelId: UUID?
    let createdAt: Date
    /// Shown once, when the subscription is created.
    let secret: String?

    init(_ subscription: WebhookSubscription, revealSecret: Bool) {
        subscriptionId = subscription.subscriptionId
        url = subscription.url
        eventTypes = subscription.eventTypes
        active = subscription.active
        hotelId = subscription.hotelId
        createdAt = subscription.createdAt
        secret = revealSecret ? subscription.secret : nil
    }
}

/// Any JSON value, to pass event payloads through as objects.
enum JSONValue: Codable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
