import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@testable import HoldfastPostgres

/// The purchase's writes on PostgreSQL run as prepared statements only while the statements their builders make
/// have their shape's text: whatever the values, the text must not change.
@Suite struct PreparedShapeTests {
    static let created = Date(timeIntervalSince1970: 1_800_000_000)

    static func hold(_ seats: [String], user: String) -> Hold {
        Hold(holdId: UUID(), showId: UUID(), userId: user, seatIds: seats, status: .held, createdAt: created, expiresAt: created + 600)
    }

    @Test func aFirstHoldHasOneTextWhateverItsSeats() {
        for hold in [Self.hold(["A1"], user: "alice"), Self.hold(["C7", "C8", "C9", "C10"], user: "bob@example.com")] {
            let statement = PostgresStore.storing(
                hold, events: [BookingEvents.hold(.holdCreated, hold, at: Self.created)], now: Self.created, unlessHolding: true)
            #expect(statement.sql == PostgresStore.FirstHold.template.sql)
        }
        // A hold that replaces an earlier one is another statement, never run under the first hold's name.
        let replacing = PostgresStore.storing(Self.hold(["A1"], user: "alice"), events: [], now: Self.created, unlessHolding: false)
        #expect(replacing.sql != PostgresStore.FirstHold.template.sql)
    }

    @Test func firstHoldsWrittenTogetherHaveOneTextHoweverManyAndWhateverTheirSeats() {
        func write(_ seats: [String], user: String) -> FirstHoldWrite {
            let hold = Self.hold(seats, user: user)
            return FirstHoldWrite(hold: hold, created: BookingEvents.hold(.holdCreated, hold, at: Self.created), now: Self.created)
        }
        let gatherings = [
            [write(["A1"], user: "alice"), write(["B2", "B3"], user: "bob")],
            [write(["C7", "C8", "C9", "C10"], user: "carol@example.com"), write(["D1"], user: "dan"), write(["E5"], user: "erin")],
        ]
        for writes in gatherings { #expect(PostgresStore.storingFirst(writes).sql == PostgresStore.FirstHolds.template.sql) }
    }

    @Test func ordersPaymentsAndBookingsHaveOneTextWhateverTheirValues() throws {
        let hold = Self.hold(["B1", "B2", "B3"], user: "carol")
        let order = Order(
            orderId: UUID(), userId: hold.userId, showId: hold.showId, holdId: hold.holdId, seatIds: hold.seatIds,
            customer: Customer(name: "Carol \"C\" O'Neil", email: "carol@example.com", phone: "+44 20 7946 0000"),
            amount: Money(minorUnits: 123_456), status: .paymentPending, createdAt: Self.created, expiresAt: Self.created + 900)
        #expect(PostgresStore.storing(order, now: Self.created).sql == PostgresStore.StoredOrder.template.sql)
        #expect(PostgresStore.booking(order, ticketCode: "HF-7Q2K9", now: Self.created).sql == PostgresStore.BookedOrder.template.sql)
        let payment = Payment(orderId: order.orderId, userId: order.userId, amount: order.amount, token: "tok_success", createdAt: Self.created)
        #expect(PostgresStore.storing(payment, now: Self.created).sql == PostgresStore.StoredPayment.template.sql)
        let settled = try #require(payment.settled(with: .succeeded, at: Self.created))
        #expect(PostgresStore.settling(settled, of: order, ticketCode: "HF-7Q2K9", now: Self.created).sql == PostgresStore.SettledPayment.template.sql)
    }

    @Test func theSeatMapCheckHasOneTextWhateverTheStamp() {
        let showId = UUID()
        let stamp = SeatMapStamp(showRevision: 3, changedSeats: 40, versionSum: 9_001, waitingRoom: true)
        for known in [nil, stamp] as [SeatMapStamp?] {
            #expect(PostgresStore.reading(showId, unless: known).sql == PostgresStore.SeatMapCheck.template.sql)
        }
    }

    /// The reads a purchase and its confirmation make and the dev mailbox's keeping of the mail; a locking read is
    /// another statement, never run under the plain read's name.
    @Test func theHotReadsHaveOneTextWhateverTheirValues() {
        for (id, user) in [(UUID(), "alice"), (UUID(), "bob@example.com")] {
            #expect(PostgresStore.detailing(id, userId: user).sql == PostgresStore.OrderWithDetails.template.sql)
            #expect(PostgresStore.owningOrder(id, userId: user, lock: false).sql == PostgresStore.OwnedOrder.template.sql)
            #expect(PostgresStore.holdingWithShow(id, userId: user).sql == PostgresStore.HoldWithShow.template.sql)
            #expect(PostgresStore.paying(id, lock: false).sql == PostgresStore.PaymentById.template.sql)
            #expect(PostgresStore.payingFor(id).sql == PostgresStore.PaymentWithOrder.template.sql)
            let mail = MailMessage(eventId: id, recipient: user, subject: "Your tickets — \(user)", body: "Seats: A1, A2", sentAt: Self.created)
            #expect(PostgresStore.keeping(mail).sql == PostgresStore.KeptMail.template.sql)
        }
        #expect(PostgresStore.owningOrder(UUID(), userId: "alice", lock: true).sql != PostgresStore.OwnedOrder.template.sql)
        #expect(PostgresStore.paying(UUID(), lock: true).sql != PostgresStore.PaymentById.template.sql)
    }

    /// The dispatcher's fan-out and completion, whatever the batch.
    @Test func theOutboxRoundsStatementsHaveOneTextWhateverTheBatch() {
        for (seqs, names) in [([7], ["mail"]), ([8, 9, 9], ["mail", "gateway", "webhook:\(UUID())"])] as [([Int64], [String])] {
            #expect(PostgresStore.unfanned(limit: seqs.count).sql == PostgresStore.UnfannedEvents.template.sql)
            let keys = names.map { "order:\($0)" }
            #expect(PostgresStore.fanningOut(seqs, to: names, keys: keys, now: Self.created).sql == PostgresStore.FannedOutDeliveries.template.sql)
            #expect(PostgresStore.markingFannedOut(seqs).sql == PostgresStore.FannedOutEvents.template.sql)
            #expect(PostgresStore.completing(seqs, of: names, now: Self.created).sql == PostgresStore.CompletedDeliveries.template.sql)
        }
    }

    /// PostgreSQL cuts statement names at 63 bytes: every prepared statement's name fits and is its own.
    @Test func everyPreparedStatementHasItsOwnShortName() {
        let names: [String] = [
            PreparedQuery<PostgresStore.FirstHold>.name, PreparedQuery<PostgresStore.FirstHolds>.name,
            PreparedQuery<PostgresStore.StoredOrder>.name,
            PreparedQuery<PostgresStore.BookedOrder>.name, PreparedQuery<PostgresStore.StoredPayment>.name,
            PreparedQuery<PostgresStore.SettledPayment>.name,
            PreparedQuery<PostgresStore.SeatMapCheck>.name, PreparedQuery<PostgresStore.OrderWithDetails>.name,
            PreparedQuery<PostgresStore.OwnedOrder>.name, PreparedQuery<PostgresStore.HoldWithShow>.name,
            PreparedQuery<PostgresStore.PaymentById>.name, PreparedQuery<PostgresStore.PaymentWithOrder>.name,
            PreparedQuery<PostgresStore.KeptMail>.name,
            PreparedQuery<PostgresStore.UnfannedEvents>.name, PreparedQuery<PostgresStore.FannedOutDeliveries>.name,
            PreparedQuery<PostgresStore.FannedOutEvents>.name, PreparedQuery<PostgresStore.CompletedDeliveries>.name,
            PreparedQuery<PostgresStore.Webhooks>.name,
        ]
        #expect(names.allSatisfy { $0.utf8.count <= 63 })
        #expect(Set(names.map { $0.utf8.prefix(63).map { $0 } }).count == names.count)
    }
}
