import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

/// Physical rooms and their times out of service, which lower what a room type can sell.
extension PostgresStore {
    public func saveRooms(_ rooms: [Room]) async throws {
        try await transaction { connection in
            for room in rooms {
                let inserted = try await connection.rows(
                    """
                    INSERT INTO rooms (room_id, hotel_id, room_type_id, number, created_at)
                    VALUES (\(room.roomId), \(room.hotelId), \(room.roomTypeId), \(room.number), \(room.createdAt))
                    ON CONFLICT (hotel_id, number) DO NOTHING RETURNING 1 AS inserted
                    """, logger)
                guard inserted.count == 1 else { throw HoldfastError.roomExists(room.number) }
            }
        }
    }

    public func rooms(roomTypeId: UUID) async throws -> [Room] {
        try await read { connection in
            try await connection.rows("SELECT * FROM rooms WHERE room_type_id = \(roomTypeId) ORDER BY number", logger).map(Self.room)
        }
    }

    public func room(_ roomId: UUID) async throws -> Room? {
        try await read { connection in try await connection.rows("SELECT * FROM rooms WHERE room_id = \(roomId)", logger).first.map(Self.room) }
    }

    public func startOutage(_ outage: RoomOutage) async throws {
        try await transaction { connection in
            // The room's row serialises outages of one room.
            try await connection.execute("SELECT 1 FROM rooms WHERE room_id = \(outage.roomId) FOR UPDATE", logger)
            let overlapping = try await connection.rows(
                """
                SELECT 1 AS hit FROM room_outages WHERE room_id = \(outage.roomId) AND ended_at IS NULL
                  AND starts < \(outage.to.description)::date AND ends > \(outage.from.description)::date
                """, logger)
            guard overlapping.isEmpty else { throw HoldfastError.outageOverlaps }
            try await connection.execute(
                """
                INSERT INTO room_outages (outage_id, room_id, room_type_id, starts, ends, reason, created_at)
                VALUES (\(outage.outageId), \(outage.roomId), \(outage.roomTypeId), \(outage.from.description)::date, \(outage.to.description)::date,
                        \(outage.reason), \(outage.createdAt))
                """, logger)
            try await Self.shiftOutOfService(connection, logger, outage, by: 1)
        }
    }

    public func endOutage(_ outageId: UUID, now: Date) async throws -> RoomOutage {
        try await transaction { connection in
            guard var outage = try await connection.rows(
                "SELECT \(unescaped: Self.outageColumns) FROM room_outages WHERE outage_id = \(outageId) FOR UPDATE", logger
            ).first.map(Self.outage)
            else { throw HoldfastError.notFound("Outage") }
            guard outage.endedAt == nil else { return outage }
            outage.endedAt = now
            try await connection.execute("UPDATE room_outages SET ended_at = \(now) WHERE outage_id = \(outageId)", logger)
            try await Self.shiftOutOfService(connection, logger, outage, by: -1)
            return outage
        }
    }

    public func outages(roomTypeId: UUID) async throws -> [RoomOutage] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.outageColumns) FROM room_outages WHERE room_type_id = \(roomTypeId) AND ended_at IS NULL
                ORDER BY starts, outage_id
                """, logger
            ).map(Self.outage)
        }
    }

    private static func shiftOutOfService(_ connection: PostgresConnection, _ logger: Logger, _ outage: RoomOutage, by step: Int) async throws {
        try await connection.execute(
            """
            UPDATE hotel_inventory SET out_of_service = out_of_service + \(step), version = version + 1
            WHERE room_type_id = \(outage.roomTypeId) AND night >= \(outage.from.description)::date AND night < \(outage.to.description)::date
            """, logger)
    }

    static let outageColumns = "outage_id, room_id, room_type_id, starts::text AS starts, ends::text AS ends, reason, created_at, ended_at"

    static func room(_ row: PostgresRandomAccessRow) throws -> Room {
        Room(
            roomId: try row.value("room_id"), hotelId: try row.value("hotel_id"), roomTypeId: try row.value("room_type_id"),
            number: try row.value("number"), createdAt: try row.value("created_at"))
    }

    static func outage(_ row: PostgresRandomAccessRow) throws -> RoomOutage {
        RoomOutage(
            outageId: try row.value("outage_id"), roomId: try row.value("room_id"), roomTypeId: try row.value("room_type_id"),
            from: try CalendarDate(try row.value("starts", as: String.self)), to: try CalendarDate(try row.value("ends", as: String.self)),
            reason: try row.value("reason"), createdAt: try row.value("created_at"), endedAt: try row.value("ended_at"))
    }
}
