import Foundation

/// Something that happened, written to the outbox in the same transaction as the change itself.
/// `payload` is JSON; it carries ids, seats and amounts, never customer contact details.
public struct DomainEvent: Sendable, Hashable, Codable {
    public let eventId: UUID
    public let type: String
    public let aggregateType: String
    public let aggregateId: String
    public let payload: String
    public let occurredAt: Date

    public init(eventId: UUID? = nil, type: String, aggregateType: String, aggregateId: String, payload: String, occurredAt: Date) {
        self.eventId = eventId ?? UUID(timeOrderedAt: occurredAt)
        self.type = type
        self.aggregateType = aggregateType
        self.aggregateId = aggregateId
        self.payload = payload
        self.occurredAt = occurredAt
    }

    /// Decodes the payload written by this module's event builders.
    public func decodePayload<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            return try Date(try container.decode(String.self), strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        return try decoder.decode(type, from: Data(payload.utf8))
    }

    /// Deliveries for one aggregate reach each subscriber in the order they were written.
    public var aggregateKey: String { "\(aggregateType):\(aggregateId)" }

    init(type: EventType, aggregateType: String, aggregateId: UUID, payload: some Encodable, at time: Date) {
        self.init(type: type, aggregateType: aggregateType, aggregateKey: aggregateId.uuidString, payload: payload, at: time)
    }

    init(type: EventType, aggregateType: String, aggregateKey: String, payload: some Encodable, at time: Date) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        // Encoding plain value types cannot fail.
        let json = (try? encoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        self.init(type: type.rawValue, aggregateType: aggregateType, aggregateId: aggregateKey, payload: json, occurredAt: time)
    }
}

public enum EventType: String, Sendable, CaseIterable {
    case holdCreated = "HoldCreated"
    case holdUpdated = "HoldUpdated"
    case holdReleased = "HoldReleased"
    case holdExpired = "HoldExpired"
    case orderCreated = "OrderCreated"
    case orderConfirmed = "OrderConfirmed"
    case orderExpired = "OrderExpired"
    case orderCancelled = "OrderCancelled"
    case showCancelled = "ShowCancelled"
    case priceChangeInitiated = "PriceChangeInitiated"
    case priceChangeProcessed = "PriceChangeProcessed"
    case paymentInitiated = "PaymentInitiated"
    case paymentSucceeded = "PaymentSucceeded"
    case paymentDeclined = "PaymentDeclined"
    case refundRequested = "RefundRequested"
    case refundSucceeded = "RefundSucceeded"
    case refundFailed = "RefundFailed"
    case ticketCheckedIn = "TicketCheckedIn"
    case waitlistJoined = "WaitlistJoined"
    case waitlistOffered = "WaitlistOffered"
    case waitlistOfferExpired = "WaitlistOfferExpired"
    case hotelBookingCreated = "HotelBookingCreated"
    case hotelBookingChanged = "HotelBookingChanged"
    case hotelBookingCancelled = "HotelBookingCancelled"
    case hotelBookingReassigned = "HotelBookingReassigned"
    case hotelBookingNeedsAttention = "HotelBookingNeedsAttention"
    case hotelBookingRestored = "HotelBookingRestored"
}
