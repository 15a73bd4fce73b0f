import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func joinWaitlist(_ entry: WaitlistEntry, now: Date) async throws -> WaitlistEntry {
        do {
            return try await write { db in
                try db.execute(
                    cached: """
                        INSERT INTO waitlist_entries (entry_id, show_id, user_id, quantity, email, status, created_at)
                        VALUES (?, ?, ?, ?, ?, 'WAITING', ?)
                        """,
                    arguments: [
                        entry.entryId.uuidString, entry.showId.uuidString, entry.userId, entry.quantity, entry.email,
                        SQLiteColumns.millis(entry.createdAt),
                    ])
                try Self.record(db, [WaitlistEvents.event(.waitlistJoined, entry, at: now)])
                return entry
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw HoldfastError.alreadyWaiting
        }
    }

    public func waitlistEntry(_ entryId: UUID) async throws -> WaitlistEntry? {
        try await read { db in
            try Row.fetchOne(db, cached: "SELECT * FROM waitlist_entries WHERE entry_id = ?", arguments: [entryId.uuidString]).map(Self.entry)
        }
    }

    public func waitlistEntry(showId: UUID, userId: String) async throws -> (entry: WaitlistEntry, ahead: Int)? {
        try await read { db in
            guard let row = try Row.fetchOne(
                db, cached: "SELECT * FROM waitlist_entries WHERE show_id = ? AND user_id = ? AND status IN ('WAITING', 'OFFERED')",
                arguments: [showId.uuidString, userId])
            else { return nil }
            let entry = Self.entry(row)
            let ahead = entry.status == .waiting
                ? try Int.fetchOne(
                    db, cached: "SELECT COUNT(*) FROM waitlist_entries WHERE show_id = ? AND status = 'WAITING' AND seq < ?",
                    arguments: [showId.uuidString, row["seq"] as Int64]) ?? 0
                : 0
            return (entry, ahead)
        }
    }

    public func leaveWaitlist(showId: UUID, userId: String, now: Date) async throws -> WaitlistEntry {
        try await write { db in
            guard let row = try Row.fetchOne(
                db,
                cached: """
                    UPDATE waitlist_entries SET status = 'LEFT'
                    WHERE show_id = ? AND user_id = ? AND status IN ('WAITING', 'OFFERED') RETURNING *
                    """,
                arguments: [showId.uuidString, userId])
            else { throw HoldfastError.notFound("Waiting list entry") }
            return Self.entry(row)
        }
    }

    public func showsWithWaiters(limit: Int) async throws -> [UUID] {
        try await read { db in
            try String.fetchAll(
                db, cached: "SELECT DISTINCT show_id FROM waitlist_entries WHERE status = 'WAITING' LIMIT ?", arguments: [limit]
            ).compactMap(UUID.init(uuidString:))
        }
    }

    public func nextWaiting(showId: UUID) async throws -> WaitlistEntry? {
        try await read { db in
            try Row.fetchOne(
                db, cached: "SELECT * FROM waitlist_entries WHERE show_id = ? AND status = 'WAITING' ORDER BY seq LIMIT 1",
                arguments: [showId.uuidString]
            ).map(Self.entry)
        }
    }

    public func offer(_ entryId: UUID, hold: Hold, now: Date) async throws -> WaitlistEntry? {
        try await write { db in
            guard let row = try Row.fetchOne(
                db,
                cached: """
                    UPDATE waitlist_entries SET status = 'OFFERED', hold_id = ?, offer_expires_at = ?
                    WHERE entry_id = ? AND status = 'WAITING' RETURNING *
                    """,
                arguments: [hold.holdId.uuidString, SQLiteColumns.millis(hold.expiresAt), entryId.uuidString])
            else { return nil }
            let entry = Self.entry(row)
            try Self.record(db, [WaitlistEvents.event(.waitlistOffered, entry, at: now)])
            return entry
        }
    }

    public func settleOffers(now: Date) async throws -> [WaitlistEntry] {
        try await write { db in
            let accepted = try Row.fetchAll(
                db,
                cached: """
                    UPDATE waitlist_entries SET status = 'ACCEPTED'
                    WHERE status = 'OFFERED' AND hold_id IN (SELECT hold_id FROM holds WHERE status = 'CONVERTED')
                    RETURNING *
                    """
            ).map(Self.entry)
            let expired = try Row.fetchAll(
                db,
                cached: """
                    UPDATE waitlist_entries SET status = 'EXPIRED'
                    WHERE status = 'OFFERED' AND hold_id IN (
                        SELECT hold_id FROM holds WHERE status IN ('RELEASED', 'EXPIRED') OR (status = 'HELD' AND expires_at <= ?))
                    RETURNING *
                    """,
                arguments: [SQLiteColumns.millis(now)]
            ).map(Self.entry)
            try Self.record(db, expired.map { WaitlistEvents.event(.waitlistOfferExpired, $0, at: now) })
            return accepted + expired
        }
    }

    static func entry(_ row: Row) -> WaitlistEntry {
        WaitlistEntry(
            entryId: row.uuid("entry_id"), showId: row.uuid("show_id"), userId: row["user_id"], quantity: row["quantity"],
            email: row["email"], status: WaitlistStatus(rawValue: row["status"])!,
            holdId: (row["hold_id"] as String?).flatMap(UUID.init(uuidString:)), offerExpiresAt: row.optionalDate("offer_expires_at"),
            createdAt: row.date("created_at"))
    }
}
