import Foundation
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    public func saveWebhook(_ subscription: WebhookSubscription) async throws {
        try await statement { connection in
            try await connection.execute(
                """
                INSERT INTO webhook_subscriptions (subscription_id, url, event_types, secret, active, hotel_id, created_at)
                VALUES (\(subscription.subscriptionId), \(subscription.url), \(subscription.eventTypes), \(subscription.secret),
                        \(subscription.active), \(subscription.hotelId), \(subscription.createdAt))
                ON CONFLICT (subscription_id) DO UPDATE SET
                    url = EXCLUDED.url, event_types = EXCLUDED.event_types, secret = EXCLUDED.secret, active = EXCLUDED.active,
                    hotel_id = EXCLUDED.hotel_id
                """, logger)
        }
    }

    public func webhooks() async throws -> [WebhookSubscription] {
        try await read { connection in
            try await connection.rows(Webhooks.template, preparedAs: Webhooks.self, logger).map { row in
                WebhookSubscription(
                    subscriptionId: try row.value("subscription_id"), url: try row.value("url"), eventTypes: try row.value("event_types"),
                    secret: try row.value("secret"), active: try row.value("active"), hotelId: try row.value("hotel_id"),
                    createdAt: try row.value("created_at"))
            }
        }
    }

    /// Every outbox dispatcher round reads them.
    enum Webhooks: PreparedShape {
        static let template: PostgresQuery = """
            SELECT subscription_id, url, event_types, secret, active, hotel_id, created_at FROM webhook_subscriptions
            ORDER BY created_at, subscription_id
            """
    }

    public func deleteWebhook(_ subscriptionId: UUID) async throws -> Bool {
        try await statement { connection in
            try await !connection.rows(
                "DELETE FROM webhook_subscriptions WHERE subscription_id = \(subscriptionId) RETURNING 1 AS deleted", logger
            ).isEmpty
        }
    }

    public func keepMail(_ message: MailMessage) async throws {
        try await statement { connection in try await connection.execute(Self.keeping(message), preparedAs: KeptMail.self, logger) }
    }

    static func keeping(_ message: MailMessage) -> PostgresQuery {
        """
        INSERT INTO dev_mailbox (message_id, event_id, recipient, subject, body, sent_at)
        VALUES (\(message.messageId), \(message.eventId), \(message.recipient), \(message.subject), \(message.body), \(message.sentAt))
        ON CONFLICT (event_id) DO NOTHING
        """
    }

    /// The dev mailbox keeps every confirmation.
    enum KeptMail: PreparedShape {
        static let template = keeping(MailMessage(eventId: UUID(), recipient: "template", subject: "", body: "", sentAt: ShapeTemplates.instant))
    }

    public func mailbox(page: PageRequest) async throws -> Page<MailMessage> {
        try await read { connection in
            let total = try await connection.rows("SELECT COUNT(*) AS total FROM dev_mailbox", logger).first?.value("total", as: Int.self) ?? 0
            let rows = try await connection.rows(
                """
                SELECT message_id, event_id, recipient, subject, body, sent_at FROM dev_mailbox
                ORDER BY sent_at DESC, message_id LIMIT \(page.pageSize) OFFSET \(page.offset)
                """, logger)
            let messages = try rows.map { row in
                MailMessage(
                    messageId: try row.value("message_id"), eventId: try row.value("event_id"), recipient: try row.value("recipient"),
                    subject: try row.value("subject"), body: try row.value("body"), sentAt: try row.value("sent_at"))
            }
            return Page(items: messages, page: page.page, pageSize: page.pageSize, total: total)
        }
    }
}
