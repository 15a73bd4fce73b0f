import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    static let waitlistColumns = "seq, entry_id, show_id, user_id, quantity, email, status, hold_id, offer_expires_at, created_at"

    public func joinWaitlist(_ entry: WaitlistEntry, now: Date) async throws -> WaitlistEntry {
        do {
            return try await transaction { connection in
                try await connection.execute(
                    """
                    INSERT INTO waitlist_entries (entry_id, show_id, user_id, quantity, email, status, created_at)
                    VALUES (\(entry.entryId), \(entry.showId), \(entry.userId), \(entry.quantity), \(entry.email), 'WAITING', \(entry.createdAt))
                    """, logger)
                try await Self.record(connection, logger, [WaitlistEvents.event(.waitlistJoined, entry, at: now)])
                return entry
            }
        } catch let error as PSQLError where error.serverInfo?[.constraintName] == "idx_waitlist_active" {
            throw HoldfastError.alreadyWaiting
        }
    }

    public func waitlistEntry(_ entryId: UUID) async throws -> WaitlistEntry? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.waitlistColumns) FROM waitlist_entries WHERE entry_id = \(entryId)", logger)
                .first.map(Self.entry)
        }
    }

    public func waitlistEntry(showId: UUID, userId: String) async throws -> (entry: WaitlistEntry, ahead: Int)? {
        try await read { connection in
            guard let row = try await connection.rows(
                """
                SELECT \(unescaped: Self.waitlistColumns) FROM waitlist_entries
                WHERE show_id = \(showId) AND user_id = \(userId) AND status IN ('WAITING', 'OFFERED')
                """, logger
            ).first else { return nil }
            let entry = try Self.entry(row)
            guard entry.status == .waiting else { return (entry, 0) }
            let seq = try row.value("seq", as: Int64.self)
            let ahead = try await connection.rows(
                "SELECT COUNT(*)::bigint AS n FROM waitlist_entries WHERE show_id = \(showId) AND status = 'WAITING' AND seq < \(seq)", logger
            ).first?.value("n", as: Int.self) ?? 0
            return (entry, ahead)
        }
    }

    public func leaveWaitlist(showId: UUID, userId: String, now: Date) async throws -> WaitlistEntry {
        try await statement { connection in
            guard let row = try await connection.rows(
                """
                UPDATE waitlist_entries SET status = 'LEFT'
                WHERE show_id = \(showId) AND user_id = \(userId) AND status IN ('WAITING', 'OFFERED')
                RETURNING \(unescaped: Self.waitlistColumns)
                """, logger
            ).first else { throw HoldfastError.notFound("Waiting list entry") }
            return try Self.entry(row)
        }
    }

    public func showsWithWaiters(limit: Int) async throws -> [UUID] {
        try await read { connection in
            try await connection.rows("SELECT DISTINCT show_id FROM waitlist_entries WHERE status = 'WAITING' LIMIT \(limit)", logger)
                .map { try $0.value("show_id", as: UUID.self) }
        }
    }

    public func nextWaiting(showId: UUID) async throws -> WaitlistEntry? {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.waitlistColumns) FROM waitlist_entries
                WHERE show_id = \(showId) AND status = 'WAITING' ORDER BY seq LIMIT 1
                """, logger
            ).first.map(Self.entry)
        }
    }

    public func offer(_ entryId: UUID, hold: Hold, now: Date) async throws -> WaitlistEntry? {
        try await transaction { connection in
            guard let row = try await connection.rows(
                """
                UPDATE waitlist_entries SET status = 'OFFERED', hold_id = \(hold.holdId), offer_expires_at = \(hold.expiresAt)
                WHERE entry_id = \(entryId) AND status = 'WAITING' RETURNING \(unescaped: Self.waitlistColumns)
                """, logger
            ).first else { return nil }
            let entry = try Self.entry(row)
            try await Self.record(connection, logger, [WaitlistEvents.event(.waitlistOffered, entry, at: now)])
            return entry
        }
    }

    public func settleOffers(now: Date) async throws -> [WaitlistEntry] {
        try await transaction { connection in
            let accepted = try await connection.rows(
                """
                UPDATE waitlist_entries SET status = 'ACCEPTED'
                WHERE status = 'OFFERED' AND hold_id IN (SELECT hold_id FROM holds WHERE status = 'CONVERTED')
                RETURNING \(unescaped: Self.waitlistColumns)
                """, logger
            ).map(Self.entry)
            let expired = try await connection.rows(
                """
                UPDATE waitlist_entries SET status = 'EXPIRED'
                WHERE status = 'OFFERED' AND hold_id IN (
                    SELECT hold_id FROM holds WHERE status IN ('RELEASED', 'EXPIRED') OR (status = 'HELD' AND expires_at <= \(now)))
                RETURNING \(unescaped: Self.waitlistColumns)
                """, logger
            ).map(Self.entry)
            try await Self.record(connection, logger, expired.map { WaitlistEvents.event(.waitlistOfferExpired, $0, at: now) })
            return accepted + expired
        }
    }

    static func entry(_ row: PostgresRandomAccessRow) throws -> WaitlistEntry {
        WaitlistEntry(
            entryId: try row.value("entry_id"), showId: try row.value("show_id"), userId: try row.value("user_id"),
            quantity: try row.value("quantity"), email: try row.value("email"), status: WaitlistStatus(rawValue: try row.value("status"))!,
            holdId: try row.value("hold_id"), offerExpiresAt: try row.value("offer_expires_at"), createdAt: try row.value("created_at"))
    }
}
