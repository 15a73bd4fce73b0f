import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func setWaitingRoom(showId: UUID, admissionsPerMinute: Int, tokenMinutes: Int, now: Date) async throws -> WaitingRoom {
        try await write { db in
            try Row.fetchOne(
                db,
                cached: """
                    INSERT INTO waiting_rooms (show_id, admissions_per_minute, token_minutes, next_slot_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (show_id) DO UPDATE SET
                        admissions_per_minute = excluded.admissions_per_minute, token_minutes = excluded.token_minutes
                    RETURNING *
                    """,
                arguments: [showId.uuidString, admissionsPerMinute, tokenMinutes, SQLiteColumns.millis(now)]
            ).map(Self.waitingRoomRow)!
        }
    }

    public func removeWaitingRoom(showId: UUID) async throws -> Bool {
        try await write { db in
            try db.execute(cached: "DELETE FROM waiting_rooms WHERE show_id = ?", arguments: [showId.uuidString])
            let removed = db.changesCount > 0
            try db.execute(cached: "DELETE FROM queue_tickets WHERE show_id = ?", arguments: [showId.uuidString])
            return removed
        }
    }

    public func waitingRoom(showId: UUID) async throws -> WaitingRoom? {
        try await read { db in
            try Row.fetchOne(db, cached: "SELECT * FROM waiting_rooms WHERE show_id = ?", arguments: [showId.uuidString]).map(Self.waitingRoomRow)
        }
    }

    public func enqueue(showId: UUID, userId: String, now: Date) async throws -> QueueTicket {
        try await write { db in
            if let existing = try Self.ticket(db, showId: showId, userId: userId) { return existing }
            guard let room = try Row.fetchOne(db, cached: "SELECT * FROM waiting_rooms WHERE show_id = ?", arguments: [showId.uuidString]).map(Self.waitingRoomRow)
            else { throw HoldfastError.noWaitingRoom }
            let slot = max(room.nextSlotAt, now)
            try db.execute(
                cached: "UPDATE waiting_rooms SET next_slot_at = ? WHERE show_id = ?",
                arguments: [SQLiteColumns.millis(slot.addingTimeInterval(room.interval)), showId.uuidString])
            let ticket = QueueTicket(showId: showId, userId: userId, joinedAt: now, admitAt: slot)
            try db.execute(
                cached: "INSERT INTO queue_tickets (show_id, user_id, joined_at, admit_at) VALUES (?, ?, ?, ?)",
                arguments: [showId.uuidString, userId, SQLiteColumns.millis(now), SQLiteColumns.millis(slot)])
            return ticket
        }
    }

    public func queueTicket(showId: UUID, userId: String) async throws -> QueueTicket? {
        try await read { db in try Self.ticket(db, showId: showId, userId: userId) }
    }

    private static func ticket(_ db: Database, showId: UUID, userId: String) throws -> QueueTicket? {
        try Row.fetchOne(
            db, cached: "SELECT * FROM queue_tickets WHERE show_id = ? AND user_id = ?", arguments: [showId.uuidString, userId]
        ).map { row in
            QueueTicket(showId: row.uuid("show_id"), userId: row["user_id"], joinedAt: row.date("joined_at"), admitAt: row.date("admit_at"))
        }
    }

    private static func waitingRoomRow(_ row: Row) -> WaitingRoom {
        WaitingRoom(
            showId: row.uuid("show_id"), admissionsPerMinute: row["admissions_per_minute"], tokenMinutes: row["token_minutes"],
            nextSlotAt: row.date("next_slot_at"))
    }
}
