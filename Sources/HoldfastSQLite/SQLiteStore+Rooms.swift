import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

/// Physical rooms and their times out of service, which lower what a room type can sell.
extension SQLiteStore {
    public func saveRooms(_ rooms: [Room]) async throws {
        try await write { db in
            for room in rooms {
                try db.execute(
                    cached: "INSERT OR IGNORE INTO rooms (room_id, hotel_id, room_type_id, number, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [room.roomId.uuidString, room.hotelId.uuidString, room.roomTypeId.uuidString, room.number, SQLiteColumns.millis(room.createdAt)])
                guard db.changesCount == 1 else { throw HoldfastError.roomExists(room.number) }
            }
        }
    }

    public func rooms(roomTypeId: UUID) async throws -> [Room] {
        try await read { db in
            try Row.fetchAll(db, cached: "SELECT * FROM rooms WHERE room_type_id = ? ORDER BY number", arguments: [roomTypeId.uuidString]).map(Self.room)
        }
    }

    public func room(_ roomId: UUID) async throws -> Room? {
        try await read { db in try Row.fetchOne(db, cached: "SELECT * FROM rooms WHERE room_id = ?", arguments: [roomId.uuidString]).map(Self.room) }
    }

    public func startOutage(_ outage: RoomOutage) async throws {
        try await write { db in
            let overlapping = try Bool.fetchOne(
                db, cached: "SELECT EXISTS (SELECT 1 FROM room_outages WHERE room_id = ? AND ended_at IS NULL AND starts < ? AND ends > ?)",
                arguments: [outage.roomId.uuidString, outage.to.description, outage.from.description]) ?? false
            guard !overlapping else { throw HoldfastError.outageOverlaps }
            try db.execute(
                cached: """
                    INSERT INTO room_outages (outage_id, room_id, room_type_id, starts, ends, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    outage.outageId.uuidString, outage.roomId.uuidString, outage.roomTypeId.uuidString, outage.from.description,
                    outage.to.description, outage.reason, SQLiteColumns.millis(outage.createdAt),
                ])
            try Self.shiftOutOfService(db, outage, by: 1)
        }
    }

    public func endOutage(_ outageId: UUID, now: Date) async throws -> RoomOutage {
        try await write { db in
            guard var outage = try Row.fetchOne(db, cached: "SELECT * FROM room_outages WHERE outage_id = ?", arguments: [outageId.uuidString])
                .map(Self.outage)
            else { throw HoldfastError.notFound("Outage") }
            guard outage.endedAt == nil else { return outage }
            outage.endedAt = now
            try db.execute(
                cached: "UPDATE room_outages SET ended_at = ? WHERE outage_id = ?", arguments: [SQLiteColumns.millis(now), outageId.uuidString])
            try Self.shiftOutOfService(db, outage, by: -1)
            return outage
        }
    }

    public func outages(roomTypeId: UUID) async throws -> [RoomOutage] {
        try await read { db in
            try Row.fetchAll(
                db, cached: "SELECT * FROM room_outages WHERE room_type_id = ? AND ended_at IS NULL ORDER BY starts, outage_id",
                arguments: [roomTypeId.uuidString]
            ).map(Self.outage)
        }
    }

    private static func shiftOutOfService(_ db: Database, _ outage: RoomOutage, by step: Int) throws {
        try db.execute(
            cached: """
                UPDATE hotel_inventory SET out_of_service = out_of_service + ?, version = version + 1
                WHERE room_type_id = ? AND night >= ? AND night < ?
                """,
            arguments: [step, outage.roomTypeId.uuidString, outage.from.description, outage.to.description])
    }

    static func room(_ row: Row) -> Room {
        Room(
            roomId: row.uuid("room_id"), hotelId: row.uuid("hotel_id"), roomTypeId: row.uuid("room_type_id"), number: row["number"],
            createdAt: row.date("created_at"))
    }

    static func outage(_ row: Row) throws -> RoomOutage {
        RoomOutage(
            outageId: row.uuid("outage_id"), roomId: row.uuid("room_id"), roomTypeId: row.uuid("room_type_id"),
            from: try CalendarDate(row["starts"] as String), to: try CalendarDate(row["ends"] as String), reason: row["reason"],
            createdAt: row.date("created_at"), endedAt: row.optionalDate("ended_at"))
    }
}
