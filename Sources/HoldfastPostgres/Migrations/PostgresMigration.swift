/// One step of the PostgreSQL schema: raw SQL, never edited once it has landed. Ids match the
/// SQLite steps of the same meaning (019 and 020 have none: SQLite needs no such function or index).
struct PostgresMigration: Sendable {
    let id: String
    let sql: [String]
}

enum PostgresMigrations {
    /// Applied in this order; append new steps at the end.
    static let all: [PostgresMigration] = [
        P001CinemaCatalog.migration,
        P002CinemaBooking.migration,
        P003IdempotencyKeys.migration,
        P004BookedSeatGuard.migration,
        P005SetupSteps.migration,
        P006Outbox.migration,
        P007Tickets.migration,
        P008Payments.migration,
        P009Hotels.migration,
        P010HotelOperations.migration,
        P011Conversations.migration,
        P012SeatVersions.migration,
        P013Refunds.migration,
        P014CheckIn.migration,
        P015SeatHistory.migration,
        P016Waitlist.migration,
        P017WaitingRooms.migration,
        P018ShowRevisions.migration,
        P019SeatsRequired.migration,
        P020PendingDeliveries.migration,
    ]
}
