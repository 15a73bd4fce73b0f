import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func createHold(_ hold: Hold, now: Date) async throws -> Hold {
        // Events are built (encoded, with fresh ids) before the write: the writer is the one thing that runs serially.
        let created = BookingEvents.hold(.holdCreated, hold, at: now)
        return try await write { db in
            let nowMillis = SQLiteColumns.millis(now)
            let replaced = try Row.fetchAll(
                db,
                cached: """
                    UPDATE holds SET status = CASE WHEN expires_at <= ? THEN 'EXPIRED' ELSE 'RELEASED' END
                    WHERE show_id = ? AND user_id = ? AND status = 'HELD'
                    RETURNING *
                    """,
                arguments: [nowMillis, hold.showId.uuidString, hold.userId]
            ).map(Self.hold)
            // Held seats belong to held holds: with none to end there is nothing to let go (and no scan of the show).
            for earlier in replaced {
                try db.execute(cached: "DELETE FROM seat_claims WHERE hold_id = ? AND stage = 'HELD'", arguments: [earlier.holdId.uuidString])
            }
            try Self.claimSeats(
                db, showId: hold.showId, seatIds: hold.seatIds, userId: hold.userId, holdId: hold.holdId,
                expiresAt: hold.expiresAt, now: now)
            try db.execute(
                cached: """
                    INSERT INTO holds (hold_id, show_id, user_id, seat_ids, quantity, status, extensions, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    hold.holdId.uuidString, hold.showId.uuidString, hold.userId, try StoredJSON.encode(hold.seatIds),
                    hold.quantity, hold.status.rawValue, hold.extensions, SQLiteColumns.millis(hold.createdAt),
                    SQLiteColumns.millis(hold.expiresAt),
                ])
            try Self.record(db, replaced.map { BookingEvents.holdEnded($0, at: now) } + [created])
            return hold
        }
    }

    public func hold(_ holdId: UUID, userId: String) async throws -> Hold {
        try await read { db in try Self.ownedHold(db, holdId, userId: userId) }
    }

    public func holdWithShow(_ holdId: UUID, userId: String) async throws -> (Hold, Show) {
        try await read { db in
            let hold = try Self.ownedHold(db, holdId, userId: userId)
            guard let show = try showRow(db, hold.showId) else { throw HoldfastError.notFound("Show") }
            return (hold, show)
        }
    }

    public func updateHold(
        _ holdId: UUID, userId: String, seatIds: [String]?, expiresAt: Date?, countsAsExtension: Bool, now: Date
    ) async throws -> Hold {
        try await write { db in
            var hold = try Self.ownedHold(db, holdId, userId: userId)
            try hold.requireLive(at: now)
            hold.expiresAt = expiresAt ?? hold.expiresAt
            hold.extensions += countsAsExtension ? 1 : 0
            if let seatIds {
                let placeholders = Array(repeating: "?", count: seatIds.count).joined(separator: ", ")
                try db.execute(
                    cached: "DELETE FROM seat_claims WHERE hold_id = ? AND stage = 'HELD' AND seat_id NOT IN (\(placeholders))",
                    arguments: [holdId.uuidString] + StatementArguments(seatIds))
                try Self.claimSeats(
                    db, showId: hold.showId, seatIds: seatIds, userId: userId, holdId: holdId, expiresAt: hold.expiresAt,
                    now: now)
                hold.seatIds = seatIds
                hold.quantity = seatIds.count
            } else {
                try db.execute(
                    cached: "UPDATE seat_claims SET expires_at = ? WHERE hold_id = ? AND stage = 'HELD'",
                    arguments: [SQLiteColumns.millis(hold.expiresAt), holdId.uuidString])
            }
            try db.execute(
                cached: "UPDATE holds SET seat_ids = ?, quantity = ?, expires_at = ?, extensions = ? WHERE hold_id = ?",
                arguments: [
                    try StoredJSON.encode(hold.seatIds), hold.quantity, SQLiteColumns.millis(hold.expiresAt),
                    hold.extensions, holdId.uuidString,
                ])
            try Self.record(db, [BookingEvents.hold(.holdUpdated, hold, at: now)])
            return hold
        }
    }

    public func releaseHold(_ holdId: UUID, userId: String, now: Date) async throws -> Hold {
        try await write { db in
            var hold = try Self.ownedHold(db, holdId, userId: userId)
            guard case .release(let status) = try hold.releaseStep(at: now) else { return hold }
            hold.status = status
            try db.execute(cached: "DELETE FROM seat_claims WHERE hold_id = ? AND stage = 'HELD'", arguments: [holdId.uuidString])
            try db.execute(
                cached: "UPDATE holds SET status = ? WHERE hold_id = ?", arguments: [hold.status.rawValue, holdId.uuidString])
            try Self.record(db, [BookingEvents.holdEnded(hold, at: now)])
            return hold
        }
    }

    static func ownedHold(_ db: Database, _ holdId: UUID, userId: String) throws -> Hold {
        guard
            let row = try Row.fetchOne(
                db, cached: "SELECT * FROM holds WHERE hold_id = ? AND user_id = ?", arguments: [holdId.uuidString, userId])
        else { throw HoldfastError.notFound("Hold") }
        return try hold(row)
    }

    static func hold(_ row: Row) throws -> Hold {
        Hold(
            holdId: row.uuid("hold_id"), showId: row.uuid("show_id"), userId: row["user_id"],
            seatIds: try StoredJSON.decode([String].self, row["seat_ids"]),
            status: HoldStatus(rawValue: row["status"])!, extensions: row["extensions"],
            createdAt: row.date("created_at"), expiresAt: row.date("expires_at"))
    }
}
