import Foundation
import HoldfastCore

/// An outbound webhook: events of the listed types (or "*") are POSTed, signed with `secret`, to `url`.
/// With `hotelId` it is that hotel's PMS endpoint: it gets only events about that hotel's bookings, and
/// the hotel's inbound inventory pushes are signed with the same secret.
public struct WebhookSubscription: Sendable, Hashable, Codable {
    public let subscriptionId: UUID
    public let url: String
    public let eventTypes: [String]
    public let secret: String
    public let active: Bool
    public let hotelId: UUID?
    public let createdAt: Date

    public init(
        subscriptionId: UUID, url: String, eventTypes: [String], secret: String, active: Bool = true, hotelId: UUID? = nil, createdAt: Date
    ) {
        self.subscriptionId = subscriptionId
        self.url = url
        self.eventTypes = eventTypes
        self.secret = secret
        self.active = active
        self.hotelId = hotelId
        self.createdAt = createdAt
    }

    /// The delivery subscriber name of this subscription.
    public var subscriberName: String { "webhook:\(subscriptionId.uuidString)" }

    public func accepts(_ event: DomainEvent) -> Bool {
        guard active, eventTypes.contains("*") || eventTypes.contains(event.type) else { return false }
        guard let hotelId else { return true }
        return HotelEvents.hotelIds(of: event).contains(hotelId)
    }
}

/// A message the dev mailbox kept instead of sending.
public struct MailMessage: Sendable, Hashable, Codable {
    public let messageId: UUID
    public let eventId: UUID
    public let recipient: String
    public let subject: String
    public let body: String
    public let sentAt: Date

    public init(messageId: UUID? = nil, eventId: UUID, recipient: String, subject: String, body: String, sentAt: Date) {
        self.messageId = messageId ?? UUID(timeOrderedAt: sentAt)
        self.eventId = eventId
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.sentAt = sentAt
    }
}

public protocol WebhookStore: Sendable {
    func saveWebhook(_ subscription: WebhookSubscription) async throws
    func webhooks() async throws -> [WebhookSubscription]
    /// False when there was no such subscription.
    func deleteWebhook(_ subscriptionId: UUID) async throws -> Bool
}

public protocol MailboxStore: Sendable {
    /// Keeps `message` once per event: a redelivered event does not make a second message.
    func keepMail(_ message: MailMessage) async throws
    func mailbox(page: PageRequest) async throws -> Page<MailMessage>
}
