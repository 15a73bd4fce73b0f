import Foundation
import HoldfastCore

/// The cinema booking use cases: checks the rules in Core, then makes one store call per change.
public struct BookingService: Sendable {
    /// Asked before a hold is taken on a show with a waiting room (the show's snapshot says whether it has one);
    /// throws to turn the buyer away. Nil: the caller was admitted another way (the waiting list's next in line).
    public typealias Admission = @Sendable () async throws -> Void

    public let stores: any HoldfastStores
    public let clock: any BookingClock
    public let policy: BookingPolicy
    /// Fresh shows and claims for deciding before writing: a hold on seats the snapshot already shows taken is
    /// refused without touching the writer, and best available chooses from it. The conditional write stays
    /// the only judge of a seat that looks free.
    public let snapshots: SeatSnapshots
    /// Seats this instance is claiming right now (see `SeatIntents`).
    public let intents = SeatIntents()
    /// How often a hold waits for another buyer's claim on its seats before it goes to the store regardless.
    static let intentWaits = 20

    public init(stores: any HoldfastStores, clock: any BookingClock, policy: BookingPolicy, snapshots: SeatSnapshots? = nil) {
        self.stores = stores
        self.clock = clock
        self.policy = policy
        self.snapshots = snapshots ?? SeatSnapshots(stores: stores, clock: clock)
    }

    public func seatMap(showId: UUID, caller: String?) async throws -> SeatMap {
        try await snapshots.current(showId).seatMap(at: clock.now(), caller: caller)
    }

    /// `arrivedAt`: when the request arrived, if a seat check may already have started since (see
    /// `SeatSnapshots.current(_:arrivedAt:)`).
    public func createHold(
        showId: UUID, seatIds: [String], quantity: Int?, userId: String, admission: Admission? = nil, arrivedAt: ContinuousClock.Instant? = nil
    ) async throws -> Hold {
        var snapshot = try await snapshots.current(showId, arrivedAt: arrivedAt)
        if snapshot.hasWaitingRoom { try await admission?() }
        let selection = try SeatSelection(seatIds: seatIds, quantity: quantity, show: snapshot.show, policy: policy)
        // The hold to write, unless `snapshot` — newer than this request — already refuses it as the write would.
        func hold(checkedAgainst snapshot: SeatSnapshot) throws -> Hold {
            let now = clock.now()
            try ensureOnSale(snapshot.show, now: now)
            if let refusal = Self.taken(selection.seatIds, by: userId, in: snapshot, at: now) { throw refusal }
            return newHold(showId: showId, seatIds: selection.seatIds, userId: userId, now: now)
        }
        for _ in 0..<Self.intentWaits {
            let hold = try hold(checkedAgainst: snapshot)
            if let made = try await claimed(hold) { return made }
            // The claims in the way ended without taking these seats for another buyer: look again.
            snapshot = try await snapshots.current(showId)
        }
        return try await written(try hold(checkedAgainst: snapshot))
    }

    /// Writes `hold` unless a claim in flight on this instance decides otherwise (see `SeatIntents`).
    private func claimed(_ hold: Hold) async throws -> Hold? {
        try await intents.claiming(hold.seatIds, of: hold.showId, by: hold.userId) { try await written(hold) }
    }

    /// Writes `hold` and notes it with the snapshots, for buyers choosing again before the next check — while its
    /// seats are still in flight, so a choice never finds them in neither.
    private func written(_ hold: Hold) async throws -> Hold {
        let made = try await stores.createHold(hold, now: hold.createdAt)
        snapshots.noteClaimed(made.seatIds, of: made.showId, by: made.userId)
        return made
    }

    /// Holds the best free block for `request` (see `BestAvailable`): chosen from a snapshot of the seats, then
    /// claimed with the same conditional write as any hold. Seats another buyer on this instance is claiming right
    /// now are left to them while other blocks remain. A buyer who loses a seat to a concurrent claim chooses again
    /// without it (among the nearly best, so racing buyers part ways), up to `attempts` times; nobody waits on a
    /// lock while choosing. The first choice is made from a snapshot checked after the request came; a choice again
    /// from the newest one kept, with the seats this instance claimed since (`SeatSnapshots.latest(_:)`), since the
    /// write judges it anyway — only "none left" waits for a fresh check.
    public func createBestAvailableHold(
        showId: UUID, request: BestAvailable, userId: String, admission: Admission? = nil, attempts: Int = 12,
        arrivedAt: ContinuousClock.Instant? = nil
    ) async throws -> Hold {
        var generator = SystemRandomNumberGenerator()
        var lost = Set<String>()
        var losses = 0
        // The very best block first; a buyer who lost a race spreads wider over the nearly best, away from the crowd.
        func choice(from snapshot: SeatSnapshot, spread: Int) throws -> [String]? {
            let now = clock.now()
            try ensureOnSale(snapshot.show, now: now)
            // The buyer's own held seats count as free: the new hold replaces the old one.
            let free = freeSeats(for: userId, in: snapshot, at: now).subtracting(lost)
            return request.choose(in: snapshot.show, free: free.subtracting(intents.inFlight(showId)), spread: spread, using: &generator)
                ?? request.choose(in: snapshot.show, free: free, spread: spread, using: &generator)
        }
        for round in 0..<(attempts + Self.intentWaits) where losses < attempts {
            let kept = round == 0 ? nil : snapshots.latest(showId)
            var snapshot = if let kept { kept } else { try await snapshots.current(showId, arrivedAt: arrivedAt) }
            if round == 0, snapshot.hasWaitingRoom { try await admission?() }
            let spread = 1 + 4 * round
            var chosen = try choice(from: snapshot, spread: spread)
            if chosen == nil, kept != nil {
                snapshot = try await snapshots.current(showId)
                chosen = try choice(from: snapshot, spread: spread)
            }
            guard let seatIds = chosen else { throw request.unavailable }
            let hold = newHold(showId: showId, seatIds: seatIds, userId: userId, now: clock.now())
            do {
                if let made = try await claimed(hold) { return made }
            } catch let error as HoldfastError where error.code == "SEATS_UNAVAILABLE" {
                lost.formUnion(error.seatIds)
                losses += 1
            }
        }
        throw request.unavailable
    }

    public func hold(_ holdId: UUID, userId: String) async throws -> Hold {
        try await stores.hold(holdId, userId: userId)
    }

    /// Changes the seats and/or extends the hold by another TTL from now.
    public func updateHold(_ holdId: UUID, userId: String, seatIds: [String]?, quantity: Int?, extend: Bool) async throws -> Hold {
        guard seatIds != nil || extend else {
            throw HoldfastError.invalid("send seatIds to change the seats and/or \"extend\": true")
        }
        let (current, show) = try await stores.holdWithShow(holdId, userId: userId)
        let now = clock.now()
        try ensureOnSale(show, now: now)
        let selection = try seatIds.map { try SeatSelection(seatIds: $0, quantity: quantity, show: show, policy: policy) }
        if seatIds == nil, quantity != nil { throw HoldfastError.invalid("quantity needs seatIds") }
        if extend, current.extensions >= policy.maxHoldExtensions, current.isLive(at: now) {
            throw HoldfastError.holdExtensionLimit
        }
        return try await stores.updateHold(
            holdId, userId: userId, seatIds: selection?.seatIds,
            expiresAt: extend ? now.addingTimeInterval(policy.holdTTL) : nil, countsAsExtension: extend, now: now)
    }

    public func releaseHold(_ holdId: UUID, userId: String) async throws -> Hold {
        try await stores.releaseHold(holdId, userId: userId, now: clock.now())
    }

    public func createOrder(holdId: UUID, customer: Customer, userId: String) async throws -> Order {
        try customer.validate()
        let (hold, show) = try await stores.holdWithShow(holdId, userId: userId)
        let now = clock.now()
        if hold.status != .converted { try ensureOnSale(show, now: now) }
        let selection = try SeatSelection(seatIds: hold.seatIds, quantity: nil, show: show, policy: policy)
        let order = Order(
            orderId: UUID(timeOrderedAt: now), userId: userId, showId: show.showId, holdId: holdId, seatIds: hold.seatIds,
            customer: customer, amount: selection.amount(in: show), status: .paymentPending, createdAt: now,
            expiresAt: now.addingTimeInterval(policy.orderTTL))
        return try await stores.createOrder(order, now: now)
    }

    public func order(_ orderId: UUID, userId: String) async throws -> Order {
        try await stores.order(orderId, userId: userId)
    }

    public func orders(userId: String, page: PageRequest) async throws -> Page<Order> {
        try await stores.orders(userId: userId, page: page)
    }

    /// Confirms an order paid outside the gateway (at the box office): recorded as a payment like any other,
    /// so it settles through the same path. An already confirmed order is returned as it is.
    public func confirmPayment(orderId: UUID, userId: String, reference: String = "box-office") async throws -> Order {
        let order = try await stores.order(orderId, userId: userId)
        let now = clock.now()
        let attempt = Payment(orderId: orderId, userId: userId, amount: order.amount, token: reference, createdAt: now)
        guard let payment = try await stores.startPayment(attempt, now: now) else { return try await stores.order(orderId, userId: userId) }
        let (_, settled) = try await stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { TicketCode.make() }, now: now)
        guard settled.status == .confirmed else { throw HoldfastError.orderExpired }
        return settled
    }

    /// Cancels a pending or confirmed order where the theatre allows it, before the show starts.
    public func cancelOrder(_ orderId: UUID, userId: String) async throws -> Order {
        let details = try await stores.orderDetails(orderId, userId: userId)
        let (order, show) = (details.order, details.show)
        if order.status == .cancelled { return order }
        guard let theatre = details.theatre else { throw HoldfastError.notFound("Theatre") }
        guard theatre.cancellationAvailable else { throw HoldfastError.cancellationNotAllowed }
        let now = clock.now()
        guard show.startTime > now else { throw HoldfastError.showStarted }
        return try await stores.cancelOrder(orderId, userId: userId, now: now)
    }

    private func newHold(showId: UUID, seatIds: [String], userId: String, now: Date) -> Hold {
        Hold(
            holdId: UUID(timeOrderedAt: now), showId: showId, userId: userId, seatIds: seatIds, status: .held,
            createdAt: now, expiresAt: now.addingTimeInterval(policy.holdTTL))
    }

    func ensureOnSale(_ show: Show, now: Date) throws {
        if show.cancelled { throw HoldfastError.showCancelled }
        if show.startTime <= now { throw HoldfastError.showStarted }
    }
}
