import Foundation
import GRDB
import HoldfastStore

extension SQLiteStore {
    public func saveWebhook(_ subscription: WebhookSubscription) async throws {
        let types = try StoredJSON.encode(subscription.eventTypes)
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO webhook_subscriptions (subscription_id, url, event_types, secret, active, hotel_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (subscription_id) DO UPDATE SET
                        url = excluded.url, event_types = excluded.event_types, secret = excluded.secret, active = excluded.active,
                        hotel_id = excluded.hotel_id
                    """,
                arguments: [
                    subscription.subscriptionId.uuidString, subscription.url, types, subscription.secret, subscription.active,
                    subscription.hotelId?.uuidString, SQLiteColumns.millis(subscription.createdAt),
                ])
        }
    }

    public func webhooks() async throws -> [WebhookSubscription] {
        try await read { db in
            try Row.fetchAll(db, cached: "SELECT * FROM webhook_subscriptions ORDER BY created_at, subscription_id").map { row in
                WebhookSubscription(
                    subscriptionId: row.uuid("subscription_id"), url: row["url"],
                    eventTypes: try StoredJSON.decode([String].self, row["event_types"]), secret: row["secret"],
                    active: row["active"], hotelId: (row["hotel_id"] as String?).flatMap(UUID.init(uuidString:)), createdAt: row.date("created_at"))
            }
        }
    }

    public func deleteWebhook(_ subscriptionId: UUID) async throws -> Bool {
        try await write { db in
            try db.execute(cached: "DELETE FROM webhook_subscriptions WHERE subscription_id = ?", arguments: [subscriptionId.uuidString])
            return db.changesCount == 1
        }
    }

    public func keepMail(_ message: MailMessage) async throws {
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO dev_mailbox (message_id, event_id, recipient, subject, body, sent_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (event_id) DO NOTHING
                    """,
                arguments: [
                    message.messageId.uuidString, message.eventId.uuidString, message.recipient, message.subject, message.body,
                    SQLiteColumns.millis(message.sentAt),
                ])
        }
    }

    public func mailbox(page: PageRequest) async throws -> Page<MailMessage> {
        try await read { db in
            let total = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM dev_mailbox") ?? 0
            let rows = try Row.fetchAll(
                db, cached: "SELECT * FROM dev_mailbox ORDER BY sent_at DESC, message_id LIMIT ? OFFSET ?",
                arguments: [page.pageSize, page.offset])
            let messages = rows.map { row in
                MailMessage(
                    messageId: row.uuid("message_id"), eventId: row.uuid("event_id"), recipient: row["recipient"],
                    subject: row["subject"], body: row["body"], sentAt: row.date("sent_at"))
            }
            return Page(items: messages, page: page.page, pageSize: page.pageSize, total: total)
        }
    }
}
