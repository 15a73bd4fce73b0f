import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func ticket(_ theatreSeat: String) async throws -> Ticket? {
        try await read { db in try Self.ticket(db, theatreSeat) }
    }

    public func tickets() async throws -> [Ticket] {
        try await read { db in
            try Row.fetchAll(db, cached: "SELECT theatre_seat, attributes FROM tickets ORDER BY theatre_seat").map(Self.ticket)
        }
    }

    public func createTicket(_ ticket: Ticket, now: Date) async throws {
        let attributes = try StoredJSON.encode(ticket.attributes)
        try await write { db in
            try db.execute(
                cached: "INSERT INTO tickets (theatre_seat, attributes, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [ticket.theatreSeat, attributes, SQLiteColumns.millis(now), SQLiteColumns.millis(now)])
            guard db.changesCount == 1 else { throw HoldfastError.ticketExists(ticket.theatreSeat) }
        }
    }

    public func updateTicketAttribute(_ theatreSeat: String, name: String, value: AttributeValue, now: Date) async throws -> Ticket {
        try await write { db in
            guard let current = try Self.ticket(db, theatreSeat) else { throw HoldfastError.notFound("Ticket") }
            let (updated, change) = current.setting(name, to: value, at: now)
            try Self.saveAttributes(db, updated, now: now)
            if let change { try Self.record(db, [PriceEvents.initiated(change)]) }
            return updated
        }
    }

    public func deleteTicket(_ theatreSeat: String) async throws -> Bool {
        try await write { db in
            try db.execute(cached: "DELETE FROM tickets WHERE theatre_seat = ?", arguments: [theatreSeat])
            return db.changesCount == 1
        }
    }

    public func applyPriceChangeMetadata(_ change: PriceChange, now: Date) async throws {
        try await write { db in
            switch change.subject {
            case .ticket:
                // A ticket deleted since, or already carrying this change, needs nothing.
                guard let current = try Self.ticket(db, change.key), let updated = current.withMetadata(of: change) else { return }
                try Self.saveAttributes(db, updated, now: now)
            case .show:
                let metadata = try StoredJSON.encode(change.metadata)
                try db.execute(
                    cached: "UPDATE shows SET price_change = ? WHERE show_id = ? AND price_change IS NOT ?",
                    arguments: [metadata, change.key, metadata])
                guard db.changesCount == 1 else { return }
            }
            try Self.record(db, [PriceEvents.processed(change, at: now)])
        }
    }

    static func ticket(_ db: Database, _ theatreSeat: String) throws -> Ticket? {
        try Row.fetchOne(db, cached: "SELECT theatre_seat, attributes FROM tickets WHERE theatre_seat = ?", arguments: [theatreSeat]).map(ticket)
    }

    static func ticket(_ row: Row) throws -> Ticket {
        Ticket(theatreSeat: row["theatre_seat"], attributes: try StoredJSON.decode([String: AttributeValue].self, row["attributes"]))
    }

    static func saveAttributes(_ db: Database, _ ticket: Ticket, now: Date) throws {
        try db.execute(
            cached: "UPDATE tickets SET attributes = ?, updated_at = ? WHERE theatre_seat = ?",
            arguments: [try StoredJSON.encode(ticket.attributes), SQLiteColumns.millis(now), ticket.theatreSeat])
    }
}
