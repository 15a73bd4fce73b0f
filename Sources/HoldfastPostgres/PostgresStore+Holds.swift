import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    static let holdColumns = "hold_id, show_id, user_id, seat_ids, status, extensions, created_at, expires_at"

    public func seatClaims(showId: UUID) async throws -> [SeatClaim] {
        try await read { connection in try await Self.claims(connection, logger, showId) }
    }

    static func claims(_ connection: PostgresConnection, _ logger: Logger, _ showId: UUID) async throws -> [SeatClaim] {
        try await connection.rows("SELECT seat_id, user_id, stage, expires_at FROM seat_claims WHERE show_id = \(showId)", logger)
            .map(Self.seatClaim)
    }

    static func seatClaim(_ row: PostgresRandomAccessRow) throws -> SeatClaim {
        SeatClaim(
            seatId: try row.value("seat_id"), userId: try row.value("user_id"), stage: SeatClaim.Stage(rawValue: try row.value("stage"))!,
            expiresAt: try row.value("expires_at"))
    }

    /// The claim primitive: one conditional upsert for all of the claim's seats (see `ClaimWrite`). Throws
    /// `seatsUnavailable` naming every seat it could not take; the transaction then rolls back.
    static func claimSeats(_ connection: PostgresConnection, _ logger: Logger, _ claim: ClaimWrite) async throws {
        try requireAll(of: claim, claimed: try await connection.rows("\(claim)", logger))
    }

    /// Throws `seatsUnavailable` unless the claim's statement answered every one of its seats.
    static func requireAll(of claim: ClaimWrite, claimed rows: [PostgresRandomAccessRow]) throws {
        let missing = try missing(of: claim, claimed: rows)
        if !missing.isEmpty { throw HoldfastError.seatsUnavailable(missing) }
    }

    /// The claim's seats its statement did not answer (someone else has them).
    static func missing(of claim: ClaimWrite, claimed rows: [PostgresRandomAccessRow]) throws -> [String] {
        let claimed = Set(try rows.map { try $0.value("seat_id", as: String.self) })
        return claim.seatIds.filter { !claimed.contains($0) }
    }

    /// One statement, so one round trip, when the buyer holds nothing else in the show (the common case): it
    /// claims the seats, stores the hold and records its event, or — a seat taken — writes nothing; the first holds
    /// that waited for the show's lane together share it (`storeFirst`). Otherwise a transaction first ends the
    /// earlier hold (its seats let go), then runs the same statement.
    public func createHold(_ hold: Hold, now: Date) async throws -> Hold {
        let created = BookingEvents.hold(.holdCreated, hold, at: now)
        let place = ShowWriteQueue.Place.claim(hold.showId)
        let first = FirstHoldWrite(hold: hold, created: created, now: now)
        let stored = try await gatheredStatement(first, in: firstHolds, queued: place) { [logger] writes, connection in
            try await Self.storeFirst(writes, connection, logger)
        }
        if stored { return hold }
        return try await transaction(queued: place) { connection in
            let replaced = try await connection.rows(Self.replacing(showId: hold.showId, userId: hold.userId, now: now), logger)
                .map(Self.hold)
            let events = replaced.map { BookingEvents.holdEnded($0, at: now) } + [created]
            _ = try await connection.rows(Self.storing(hold, events: events, now: now, unlessHolding: false), logger)
            return hold
        }
    }

    /// Ends the buyer's live hold in the show, if any (expired or released), and lets its seats go; answers it. The
    /// buyer's holds in the show are found and locked by (show, user) alone, and the live one picked after (as an
    /// order's hold is: see `storing(_:now:)` for orders); locked, none can change before the update.
    static func replacing(showId: UUID, userId: String, now: Date) -> PostgresQuery {
        """
        WITH mine AS MATERIALIZED (SELECT hold_id, status FROM holds WHERE show_id = \(showId) AND user_id = \(userId) FOR UPDATE),
        replaced AS (
            UPDATE holds SET status = CASE WHEN expires_at <= \(now) THEN 'EXPIRED' ELSE 'RELEASED' END
            WHERE hold_id IN (SELECT hold_id FROM mine WHERE status = 'HELD')
            RETURNING \(unescaped: Self.holdColumns)),
        released AS (DELETE FROM seat_claims WHERE hold_id IN (SELECT hold_id FROM replaced) AND stage = 'HELD')
        SELECT * FROM replaced
        """
    }

    /// The statement that claims the hold's seats, stores it and records `events` — or, a seat not taken, aborts
    /// with all of it (`holdfast_require_seats`). With `unlessHolding` it does nothing when the buyer already holds
    /// seats in the show; its answer's `stored` says whether it wrote anything. The buyer's holds in the show are
    /// found by (show, user) alone and their state tested after (as an order's hold is: see `storing(_:now:)` for
    /// orders).
    static func storing(_ hold: Hold, events: [DomainEvent], now: Date, unlessHolding: Bool) -> PostgresQuery {
        let claim = ClaimWrite(
            showId: hold.showId, seatIds: hold.seatIds, userId: hold.userId, holdId: hold.holdId, orderId: nil,
            expiresAt: hold.expiresAt, now: now)
        return """
            WITH mine AS MATERIALIZED (
                SELECT status FROM holds
                WHERE \(unescaped: unlessHolding ? "TRUE" : "FALSE") AND show_id = \(hold.showId) AND user_id = \(hold.userId)),
            earlier AS (SELECT 1 FROM mine WHERE status = 'HELD' LIMIT 1),
            claimed AS (\(claim, unless: "earlier")),
            stored AS (
                INSERT INTO holds (hold_id, show_id, user_id, seat_ids, quantity, status, extensions, created_at, expires_at)
                SELECT \(hold.holdId), \(hold.showId), \(hold.userId), \(hold.seatIds), \(hold.quantity), \(hold.status.rawValue),
                       \(hold.extensions), \(hold.createdAt), \(hold.expiresAt)
                WHERE NOT EXISTS (SELECT 1 FROM earlier)),
            announced AS (\(recording: events, unless: "earlier")),
            fresh AS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM earlier))
            \(answering: "stored", when: "fresh", requiring: hold.seatIds, from: "claimed")
            """
    }

    /// A buyer's hold with no other hold on the show: the statement every hold in a crowd runs.
    enum FirstHold: PreparedShape {
        static let template = storing(
            ShapeTemplates.hold, events: [BookingEvents.hold(.holdCreated, ShapeTemplates.hold, at: ShapeTemplates.instant)],
            now: ShapeTemplates.instant, unlessHolding: true)
    }

    public func hold(_ holdId: UUID, userId: String) async throws -> Hold {
        try await read { connection in try await Self.ownedHold(connection, logger, holdId, userId: userId, lock: false) }
    }

    /// The hold with its show's revision in one read; the show itself comes from the show cache when it holds that
    /// revision (it does once the show's seat map was read since its last change), else from a second read.
    public func holdWithShow(_ holdId: UUID, userId: String) async throws -> (Hold, Show) {
        try await read { connection in
            let rows = try await connection.rows(Self.holdingWithShow(holdId, userId: userId), preparedAs: HoldWithShow.self, logger)
            guard let row = rows.first else { throw HoldfastError.notFound("Hold") }
            let hold = try Self.hold(row)
            return (hold, try await show(connection, hold.showId, readWith: row))
        }
    }

    static func holdingWithShow(_ holdId: UUID, userId: String) -> PostgresQuery {
        """
        SELECT \(unescaped: qualifiedHoldColumns), s.revision AS show_revision
        FROM holds h JOIN shows s ON s.show_id = h.show_id
        WHERE h.hold_id = \(holdId) AND h.user_id = \(userId)
        """
    }

    /// Every order reads its hold and show first.
    enum HoldWithShow: PreparedShape {
        static let template = holdingWithShow(UUID(), userId: "template")
    }

    private static let qualifiedHoldColumns = qualified(holdColumns, by: "h")

    public func updateHold(
        _ holdId: UUID, userId: String, seatIds: [String]?, expiresAt: Date?, countsAsExtension: Bool, now: Date
    ) async throws -> Hold {
        try await transaction { connection in
            var hold = try await Self.ownedHold(connection, logger, holdId, userId: userId, lock: true)
            try hold.requireLive(at: now)
            hold.expiresAt = expiresAt ?? hold.expiresAt
            hold.extensions += countsAsExtension ? 1 : 0
            if let seatIds {
                try await connection.execute(
                    "DELETE FROM seat_claims WHERE hold_id = \(holdId) AND stage = 'HELD' AND NOT (seat_id = ANY(\(seatIds)::text[]))",
                    logger)
                try await Self.claimSeats(
                    connection, logger,
                    ClaimWrite(
                        showId: hold.showId, seatIds: seatIds, userId: userId, holdId: holdId, orderId: nil, expiresAt: hold.expiresAt,
                        now: now))
                hold.seatIds = seatIds
                hold.quantity = seatIds.count
            } else {
                try await connection.execute(
                    "UPDATE seat_claims SET expires_at = \(hold.expiresAt) WHERE hold_id = \(holdId) AND stage = 'HELD'", logger)
            }
            try await connection.execute(
                """
                UPDATE holds SET seat_ids = \(hold.seatIds), quantity = \(hold.quantity), expires_at = \(hold.expiresAt),
                                 extensions = \(hold.extensions)
                WHERE hold_id = \(holdId)
                """, logger)
            try await Self.record(connection, logger, [BookingEvents.hold(.holdUpdated, hold, at: now)])
            return hold
        }
    }

    public func releaseHold(_ holdId: UUID, userId: String, now: Date) async throws -> Hold {
        try await transaction { connection in
            var hold = try await Self.ownedHold(connection, logger, holdId, userId: userId, lock: true)
            guard case .release(let status) = try hold.releaseStep(at: now) else { return hold }
            hold.status = status
            try await connection.execute("DELETE FROM seat_claims WHERE hold_id = \(holdId) AND stage = 'HELD'", logger)
            try await connection.execute("UPDATE holds SET status = \(status.rawValue) WHERE hold_id = \(holdId)", logger)
            try await Self.record(connection, logger, [BookingEvents.holdEnded(hold, at: now)])
            return hold
        }
    }

    /// The user's hold, locked for the rest of the transaction when `lock` is set.
    static func ownedHold(
        _ connection: PostgresConnection, _ logger: Logger, _ holdId: UUID, userId: String, lock: Bool
    ) async throws -> Hold {
        let rows = try await connection.rows(
            """
            SELECT \(unescaped: holdColumns) FROM holds WHERE hold_id = \(holdId) AND user_id = \(userId)
            \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger)
        guard let row = rows.first else { throw HoldfastError.notFound("Hold") }
        return try hold(row)
    }

    static func hold(_ row: PostgresRandomAccessRow) throws -> Hold {
        Hold(
            holdId: try row.value("hold_id"), showId: try row.value("show_id"), userId: try row.value("user_id"),
            seatIds: try row.value("seat_ids"), status: HoldStatus(rawValue: try row.value("status"))!,
            extensions: try row.value("extensions"), createdAt: try row.value("created_at"), expiresAt: try row.value("expires_at"))
    }
}
