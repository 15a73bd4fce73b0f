/// One step of the SQLite schema: raw SQL, never edited once it has landed.
struct SQLiteMigration: Sendable {
    let id: String
    let sql: String
}

enum SQLiteMigrations {
    /// Applied in this order; append new steps at the end.
    static let all: [SQLiteMigration] = [
        M001CinemaCatalog.migration,
        M002CinemaBooking.migration,
        M003IdempotencyKeys.migration,
        M004BookedSeatGuard.migration,
        M005SetupSteps.migration,
        M006Outbox.migration,
        M007Tickets.migration,
        M008Payments.migration,
        M009Hotels.migration,
        M010HotelOperations.migration,
        M011Conversations.migration,
        M012SeatVersions.migration,
        M013Refunds.migration,
        M014CheckIn.migration,
        M015SeatHistory.migration,
        M016Waitlist.migration,
        M017WaitingRooms.migration,
        M018ShowRevisions.migration,
    ]
}
