import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    public func setWaitingRoom(showId: UUID, admissionsPerMinute: Int, tokenMinutes: Int, now: Date) async throws -> WaitingRoom {
        try await statement { connection in
            try Self.waitingRoomRow(try await connection.rows(
                """
                INSERT INTO waiting_rooms (show_id, admissions_per_minute, token_minutes, next_slot_at)
                VALUES (\(showId), \(admissionsPerMinute), \(tokenMinutes), \(now))
                ON CONFLICT (show_id) DO UPDATE SET
                    admissions_per_minute = EXCLUDED.admissions_per_minute, token_minutes = EXCLUDED.token_minutes
                RETURNING show_id, admissions_per_minute, token_minutes, next_slot_at
                """, logger
            ).first!)
        }
    }

    public func removeWaitingRoom(showId: UUID) async throws -> Bool {
        try await transaction { connection in
            let removed = try await connection.rows("DELETE FROM waiting_rooms WHERE show_id = \(showId) RETURNING show_id", logger)
            try await connection.execute("DELETE FROM queue_tickets WHERE show_id = \(showId)", logger)
            return !removed.isEmpty
        }
    }

    public func waitingRoom(showId: UUID) async throws -> WaitingRoom? {
        try await read { connection in
            try await connection.rows(
                "SELECT show_id, admissions_per_minute, token_minutes, next_slot_at FROM waiting_rooms WHERE show_id = \(showId)", logger
            ).first.map(Self.waitingRoomRow)
        }
    }

    public func enqueue(showId: UUID, userId: String, now: Date) async throws -> QueueTicket {
        try await transaction { connection in
            if let existing = try await Self.ticket(connection, logger, showId: showId, userId: userId) { return existing }
            // The room's row is the line: taking the next slot is one conditional update under its lock.
            guard let row = try await connection.rows(
                """
                UPDATE waiting_rooms SET next_slot_at = GREATEST(next_slot_at, \(now))
                    + make_interval(secs => 60.0 / admissions_per_minute)
                WHERE show_id = \(showId)
                RETURNING next_slot_at - make_interval(secs => 60.0 / admissions_per_minute) AS slot
                """, logger
            ).first else { throw HoldfastError.noWaitingRoom }
            let slot = try row.value("slot", as: Date.self)
            let inserted = try await connection.rows(
                """
                INSERT INTO queue_tickets (show_id, user_id, joined_at, admit_at) VALUES (\(showId), \(userId), \(now), \(slot))
                ON CONFLICT (show_id, user_id) DO NOTHING RETURNING admit_at
                """, logger)
            guard inserted.isEmpty else { return QueueTicket(showId: showId, userId: userId, joinedAt: now, admitAt: slot) }
            guard let existing = try await Self.ticket(connection, logger, showId: showId, userId: userId) else { throw HoldfastError.noWaitingRoom }
            return existing
        }
    }

    public func queueTicket(showId: UUID, userId: String) async throws -> QueueTicket? {
        try await read { connection in try await Self.ticket(connection, logger, showId: showId, userId: userId) }
    }

    private static func ticket(_ connection: PostgresConnection, _ logger: Logger, showId: UUID, userId: String) async throws -> QueueTicket? {
        try await connection.rows(
            "SELECT joined_at, admit_at FROM queue_tickets WHERE show_id = \(showId) AND user_id = \(userId)", logger
        ).first.map { row in
            QueueTicket(showId: showId, userId: userId, joinedAt: try row.value("joined_at"), admitAt: try row.value("admit_at"))
        }
    }

    private static func waitingRoomRow(_ row: PostgresRandomAccessRow) throws -> WaitingRoom {
        WaitingRoom(
            showId: try row.value("show_id"), admissionsPerMinute: try row.value("admissions_per_minute"),
            tokenMinutes: try row.value("token_minutes"), nextSlotAt: try row.value("next_slot_at"))
    }
}
