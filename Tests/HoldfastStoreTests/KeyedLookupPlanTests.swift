import Foundation
import HoldfastCore
import Logging
import PostgresNIO
import Testing

@testable import HoldfastPostgres

/// A purchase's writes find their hold, order and payment by key whatever PostgreSQL's statistics say: taken when no
/// hold was live and no order or payment was pending (a quiet night), they make those states look rare, and a lookup
/// that also tests the state would walk the state's index — every live hold, every pending order — instead.
@Suite struct KeyedLookupPlanTests {
    @Test func aPurchaseFindsItsRowsByKeyWhenTheirStatesLookRare() async throws {
        try await Fixture.withPostgres { fixture, store in
            let logger = Logger(label: "test")
            let show = fixture.show.showId
            try await store.client.withConnection { connection in
                // Thousands of finished purchases, none live or pending, and statistics taken of them.
                try await connection.execute(
                    """
                    INSERT INTO holds (hold_id, show_id, user_id, seat_ids, quantity, status, created_at, expires_at)
                    SELECT gen_random_uuid(), \(show), 'night-' || n, ARRAY['Z' || n], 1, 'CONVERTED', now() - interval '1 day',
                           now() - interval '1 day' + interval '5 minutes'
                    FROM generate_series(1, 3000) AS n
                    """, logger)
                try await connection.execute(
                    """
                    INSERT INTO orders (order_id, user_id, show_id, hold_id, seat_ids, customer_name, customer_email, customer_phone,
                                        amount, status, ticket_code, created_at, confirmed_at, expires_at)
                    SELECT gen_random_uuid(), user_id, show_id, hold_id, seat_ids, 'Night', 'night@example.com', '0', 100, 'CONFIRMED',
                           'N-' || hold_id, created_at, created_at, expires_at
                    FROM holds WHERE user_id LIKE 'night-%'
                    """, logger)
                try await connection.execute(
                    """
                    INSERT INTO payments (payment_id, order_id, user_id, amount, token, status, created_at, settled_at)
                    SELECT gen_random_uuid(), order_id, user_id, amount, 'tok_success', 'SUCCEEDED', created_at, created_at
                    FROM orders WHERE user_id LIKE 'night-%'
                    """, logger)
                try await connection.execute("ANALYZE holds, orders, payments", logger)
            }
            let now = Date()
            let hold = Hold(
                holdId: UUID(), showId: show, userId: "morning", seatIds: ["A1", "A2"], status: .held, createdAt: now,
                expiresAt: now + 300)
            let order = Order(
                orderId: UUID(), userId: hold.userId, showId: show, holdId: hold.holdId, seatIds: hold.seatIds,
                customer: Fixture.customer, amount: Money(minorUnits: 50_000), status: .paymentPending, createdAt: now,
                expiresAt: now + 300)
            let payment = Payment(orderId: order.orderId, userId: order.userId, amount: order.amount, token: "tok_success", createdAt: now)
            let settled = try #require(payment.settled(with: .succeeded, at: now))
            let statements: [(String, PostgresQuery)] = [
                ("hold", PostgresStore.storing(hold, events: [BookingEvents.hold(.holdCreated, hold, at: now)], now: now, unlessHolding: true)),
                ("order", PostgresStore.storing(order, now: now)),
                ("payment", PostgresStore.storing(payment, now: now)),
                ("settlement", PostgresStore.settling(settled, of: order, ticketCode: "HF-MORNING", now: now)),
                ("late payment's booking", PostgresStore.booking(order, ticketCode: "HF-MORNING", now: now)),
                ("replacing hold", PostgresStore.replacing(showId: show, userId: hold.userId, now: now)),
                ("expiry", PostgresStore.expiring(order, now: now)),
            ]
            for (name, statement) in statements {
                let plan = try await store.client.withConnection { connection in
                    try await connection.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + statement.sql, binds: statement.binds), logger)
                        .map { try $0.value("QUERY PLAN", as: String.self) }.joined(separator: "\n")
                }
                for stateIndex in ["idx_holds_expiry", "idx_orders_expiry", "idx_payments_processing"] {
                    #expect(!plan.contains(stateIndex), "\(name) walks \(stateIndex):\n\(plan)")
                }
            }
        }
    }
}
