import Foundation
import HoldfastCore

/// Seat claims, holds and orders. Every method is one transaction; every claim on a seat is one
/// conditional write that succeeds for all requested seats or for none.
/// Methods that take a `userId` answer `notFound` for another user's hold or order.
public protocol BookingStore: Sendable {
    func seatClaims(showId: UUID) async throws -> [SeatClaim]

    /// Lets a CONFIRMED order's ticket in once: one conditional write, so however many doors scan the same
    /// code at once exactly one admits it (TicketCheckedIn); the others get ALREADY_CHECKED_IN, a cancelled
    /// or expired order TICKET_NOT_VALID, an unknown code TICKET_NOT_FOUND.
    func checkIn(ticketCode: String, by usher: String, door: String?, now: Date) async throws -> CheckIn

    /// Claims `hold.seatIds` for the hold. The user's earlier live hold on the same show is released in
    /// the same transaction (one cart per user and show); if any seat is taken nothing changes and
    /// `seatsUnavailable` names the seats.
    func createHold(_ hold: Hold, now: Date) async throws -> Hold
    func hold(_ holdId: UUID, userId: String) async throws -> Hold
    /// The user's hold and its show as they are now (one round trip where the store can); `notFound` like `hold`.
    func holdWithShow(_ holdId: UUID, userId: String) async throws -> (Hold, Show)
    /// Replaces the hold's seats (new ones claimed, dropped ones released, all or nothing) and/or moves its expiry.
    func updateHold(_ holdId: UUID, userId: String, seatIds: [String]?, expiresAt: Date?, countsAsExtension: Bool, now: Date) async throws -> Hold
    func releaseHold(_ holdId: UUID, userId: String, now: Date) async throws -> Hold

    /// Turns a live hold into a PAYMENT_PENDING order; the order's seats stay claimed until it expires.
    /// If the hold already became an order, that order is returned.
    func createOrder(_ order: Order, now: Date) async throws -> Order
    func order(_ orderId: UUID, userId: String) async throws -> Order
    /// The user's order with its show, movie and theatre, as a confirmation names them (one round trip where the store
    /// can); `notFound` like `order`.
    func orderDetails(_ orderId: UUID, userId: String) async throws -> OrderDetails
    func orders(userId: String, page: PageRequest) async throws -> Page<Order>
    func cancelOrder(_ orderId: UUID, userId: String, now: Date) async throws -> Order
    /// Marks the show cancelled, releases its holds, cancels its orders and frees every seat.
    func cancelShow(_ showId: UUID, now: Date) async throws
}

/// An order with what it is for: its show, and the show's movie and theatre (nil should either be gone).
public struct OrderDetails: Sendable {
    public let order: Order
    public let show: Show
    public let movie: Movie?
    public let theatre: Theatre?

    public init(order: Order, show: Show, movie: Movie?, theatre: Theatre?) {
        self.order = order
        self.show = show
        self.movie = movie
        self.theatre = theatre
    }
}
