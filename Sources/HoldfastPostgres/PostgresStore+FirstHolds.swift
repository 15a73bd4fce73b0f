import Foundation
import HoldfastCore
import HoldfastStore
import Metrics
import PostgresNIO

/// A hold on its way to its first write, with the event that announces it.
struct FirstHoldWrite: Sendable {
    let hold: Hold
    let created: DomainEvent
    let now: Date

    /// Whether `self` can share a statement with `gathered`: its buyer and its seats apart from theirs (one statement
    /// cannot take a seat twice, and a buyer's second hold must find the first).
    static func fits(_ write: FirstHoldWrite, with gathered: [FirstHoldWrite]) -> Bool {
        let seats = Set(write.hold.seatIds)
        return gathered.allSatisfy { $0.hold.userId != write.hold.userId && seats.isDisjoint(with: $0.hold.seatIds) }
    }
}

extension PostgresStore {
    /// First holds on one show gathered while they wait for its lane (see `WriteGatherings`): at most this many in
    /// one statement.
    static let firstHoldsGathered = 16

    /// Writes the first holds of `writes` (one show's, buyers and seats apart) — each claims its seats, is stored and
    /// records its event, or writes nothing — and answers, for each, whether it was stored (false: its buyer holds
    /// seats in the show already) or why not. Several go in one statement, which takes every seat of all of them or
    /// none: should a seat be taken, each is written on its own, so only the holds that lost a seat are refused.
    static func storeFirst(
        _ writes: [FirstHoldWrite], _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [Result<Bool, any Error>] {
        Recorder(label: "holdfast_first_holds_per_statement").record(writes.count)
        guard writes.count > 1 else { return [await storeAlone(writes[0], connection, logger)] }
        do {
            let rows = try await connection.rows(storingFirst(writes), preparedAs: FirstHolds.self, logger)
            let stored = Set(try rows.first?.value("stored", as: [UUID].self) ?? [])
            return writes.map { .success(stored.contains($0.hold.holdId)) }
        } catch {
            guard (translate(error) as? HoldfastError)?.code == HoldfastError.seatsUnavailable([]).code else { throw error }
            var outcomes: [Result<Bool, any Error>] = []
            for write in writes { outcomes.append(await storeAlone(write, connection, logger)) }
            return outcomes
        }
    }

    /// One first hold in its own statement; every failure is its outcome (the holds before it are written).
    private static func storeAlone(_ write: FirstHoldWrite, _ connection: PostgresConnection, _ logger: Logger) async -> Result<Bool, any Error> {
        do {
            let statement = storing(write.hold, events: [write.created], now: write.now, unlessHolding: true)
            return .success(try await connection.flag("stored", of: statement, preparedAs: FirstHold.self, logger))
        } catch {
            return .failure(translate(error))
        }
    }

    /// `storing(_:events:now:unlessHolding:)` for many first holds on one show at once, all or nothing: a hold whose
    /// buyer already holds seats in the show is left out (and not in the answer's `stored`); should any other hold
    /// miss a seat, `holdfast_require_seats` aborts the statement with all it wrote.
    static func storingFirst(_ writes: [FirstHoldWrite]) -> PostgresQuery {
        let holds = writes.map(\.hold)
        let show = holds.first?.showId ?? UUID()
        let seats = holds.flatMap { hold in hold.seatIds.map { (hold.holdId, $0) } }
        let now = writes.map(\.now).max() ?? Date(timeIntervalSince1970: 0)
        return """
            WITH wanted AS (
                SELECT * FROM unnest(
                    \(holds.map(\.holdId))::uuid[], \(holds.map(\.userId))::text[], \(holds.map(\.quantity))::int[],
                    \(holds.map(\.status.rawValue))::text[], \(holds.map(\.extensions))::int[], \(holds.map(\.createdAt))::timestamptz[],
                    \(holds.map(\.expiresAt))::timestamptz[])
                AS w(hold_id, user_id, quantity, status, extensions, created_at, expires_at)),
            mine AS MATERIALIZED (SELECT user_id, status FROM holds WHERE show_id = \(show) AND user_id = ANY(\(holds.map(\.userId))::text[])),
            fresh AS MATERIALIZED (
                SELECT w.* FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM mine m WHERE m.user_id = w.user_id AND m.status = 'HELD')),
            seats AS (SELECT * FROM unnest(\(seats.map(\.0))::uuid[], \(seats.map(\.1))::text[]) WITH ORDINALITY AS s(hold_id, seat, n)),
            claimed AS (
                INSERT INTO seat_claims (show_id, seat_id, user_id, stage, hold_id, order_id, expires_at)
                SELECT \(show), s.seat, f.user_id, 'HELD', f.hold_id, NULL::uuid, f.expires_at FROM seats s JOIN fresh f ON f.hold_id = s.hold_id
                ORDER BY s.seat
                \(takingOver: ClaimWrite.ownHold, lapsedAt: now)),
            stored AS (
                INSERT INTO holds (hold_id, show_id, user_id, seat_ids, quantity, status, extensions, created_at, expires_at)
                SELECT f.hold_id, \(show), f.user_id, ARRAY(SELECT s.seat FROM seats s WHERE s.hold_id = f.hold_id ORDER BY s.n), f.quantity,
                       f.status, f.extensions, f.created_at, f.expires_at
                FROM fresh f),
            announced AS (\(recording: writes.map(\.created), ofAggregatesIn: "SELECT hold_id FROM fresh"))
            SELECT ARRAY(SELECT hold_id FROM fresh) AS stored,
                   holdfast_require_seats(ARRAY(SELECT s.seat FROM seats s JOIN fresh f ON f.hold_id = s.hold_id), ARRAY(SELECT seat_id FROM claimed))
            """
    }

    /// The statement a crowd's first holds share when they queued for their show together.
    enum FirstHolds: PreparedShape {
        static let template = storingFirst([
            FirstHoldWrite(
                hold: ShapeTemplates.hold, created: BookingEvents.hold(.holdCreated, ShapeTemplates.hold, at: ShapeTemplates.instant),
                now: ShapeTemplates.instant)
        ])
    }
}
