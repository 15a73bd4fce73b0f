/// Everything the server needs from one storage backend.
public protocol HoldfastStores: CatalogStore, BookingStore, IdempotencyStore, OutboxStore, ExpiryStore, WebhookStore, MailboxStore, TicketStore, PaymentStore, HotelStore,
    ReconciliationStore, ConversationStore, LiveSeatStore, ReportStore, WaitlistStore, WaitingRoomStore
{
    /// Applies pending migrations.
    func migrate() async throws
    /// A cheap query proving the store answers.
    func ping() async throws
    /// True when every migration this build knows has been applied.
    func isMigrated() async throws -> Bool
    /// Rung after every committed write.
    var doorbell: OutboxDoorbell { get }
    /// Readies the store for its first rush after the migrations (nothing to do for most stores).
    func warmUp() async
}

extension HoldfastStores {
    public func warmUp() async {}
}
