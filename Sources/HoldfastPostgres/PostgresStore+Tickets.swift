import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    public func ticket(_ theatreSeat: String) async throws -> Ticket? {
        try await read { connection in try await Self.ticket(connection, logger, theatreSeat, lock: false) }
    }

    public func tickets() async throws -> [Ticket] {
        try await read { connection in
            try await connection.rows("SELECT theatre_seat, attributes::text AS attributes FROM tickets ORDER BY theatre_seat", logger)
                .map(Self.ticket)
        }
    }

    public func createTicket(_ ticket: Ticket, now: Date) async throws {
        let attributes = try StoredJSON.encode(ticket.attributes)
        try await statement { connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO tickets (theatre_seat, attributes, created_at, updated_at)
                VALUES (\(ticket.theatreSeat), \(attributes)::jsonb, \(now), \(now))
                ON CONFLICT DO NOTHING RETURNING 1 AS inserted
                """, logger)
            guard !inserted.isEmpty else { throw HoldfastError.ticketExists(ticket.theatreSeat) }
        }
    }

    public func updateTicketAttribute(_ theatreSeat: String, name: String, value: AttributeValue, now: Date) async throws -> Ticket {
        try await transaction { connection in
            guard let current = try await Self.ticket(connection, logger, theatreSeat, lock: true) else { throw HoldfastError.notFound("Ticket") }
            let (updated, change) = current.setting(name, to: value, at: now)
            try await Self.saveAttributes(connection, logger, updated, now: now)
            if let change { try await Self.record(connection, logger, [PriceEvents.initiated(change)]) }
            return updated
        }
    }

    public func deleteTicket(_ theatreSeat: String) async throws -> Bool {
        try await statement { connection in
            try await !connection.rows("DELETE FROM tickets WHERE theatre_seat = \(theatreSeat) RETURNING 1 AS deleted", logger).isEmpty
        }
    }

    public func applyPriceChangeMetadata(_ change: PriceChange, now: Date) async throws {
        try await transaction { connection in
            switch change.subject {
            case .ticket:
                // A ticket deleted since, or already carrying this change, needs nothing.
                guard let current = try await Self.ticket(connection, logger, change.key, lock: true),
                    let updated = current.withMetadata(of: change)
                else { return }
                try await Self.saveAttributes(connection, logger, updated, now: now)
            case .show:
                let metadata = try StoredJSON.encode(change.metadata)
                let changed = try await connection.rows(
                    """
                    UPDATE shows SET price_change = \(metadata)::jsonb
                    WHERE show_id = \(change.key)::uuid AND price_change IS DISTINCT FROM \(metadata)::jsonb
                    RETURNING 1 AS changed
                    """, logger)
                guard !changed.isEmpty else { return }
            }
            try await Self.record(connection, logger, [PriceEvents.processed(change, at: now)])
        }
    }

    static func ticket(_ connection: PostgresConnection, _ logger: Logger, _ theatreSeat: String, lock: Bool) async throws -> Ticket? {
        try await connection.rows(
            """
            SELECT theatre_seat, attributes::text AS attributes FROM tickets WHERE theatre_seat = \(theatreSeat)
            \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger
        ).first.map(ticket)
    }

    static func ticket(_ row: PostgresRandomAccessRow) throws -> Ticket {
        Ticket(theatreSeat: try row.value("theatre_seat"), attributes: try StoredJSON.decode([String: AttributeValue].self, try row.value("attributes")))
    }

    static func saveAttributes(_ connection: PostgresConnection, _ logger: Logger, _ ticket: Ticket, now: Date) async throws {
        let attributes = try StoredJSON.encode(ticket.attributes)
        try await connection.execute(
            "UPDATE tickets SET attributes = \(attributes)::jsonb, updated_at = \(now) WHERE theatre_seat = \(ticket.theatreSeat)", logger)
    }
}
