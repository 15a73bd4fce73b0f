import Foundation

/// What a store must do for a request on a hold or order in its current state. Both backends ask
/// these, so the rules live here once and the stores only run SQL.
extension Hold {
    /// Throws unless the hold still keeps its seats at `now`.
    public func requireLive(at now: Date) throws {
        switch status(at: now) {
        case .held: return
        case .expired: throw HoldfastError.holdExpired
        case .released, .converted: throw HoldfastError.holdNotActive
        }
    }

    public enum ReleaseStep: Sendable, Equatable {
        case alreadyReleased
        /// Free the seats and store `status` (RELEASED, or EXPIRED for a hold that lapsed first).
        case release(as: HoldStatus)
    }

    public func releaseStep(at now: Date) throws -> ReleaseStep {
        switch status(at: now) {
        case .released: return .alreadyReleased
        case .converted:
            throw HoldfastError(.conflict, code: "HOLD_NOT_ACTIVE", message: "The hold became an order; cancel the order instead")
        case .held: return .release(as: .released)
        case .expired: return .release(as: .expired)
        }
    }
}

extension Order {
    public enum ConfirmationStep: Sendable, Equatable {
        case alreadyConfirmed
        /// Mark the order EXPIRED, free its seats, commit, then report `orderExpired`.
        case expire
        /// Book the pending seats and mark the order CONFIRMED.
        case book
    }

    public func confirmationStep(at now: Date) throws -> ConfirmationStep {
        switch status(at: now) {
        case .confirmed: return .alreadyConfirmed
        case .cancelled: throw HoldfastError.orderNotPending(.cancelled)
        case .expired: return .expire
        case .paymentPending: return .book
        }
    }

    /// True when the order must be cancelled now; false when it already is. Throws for an expired order.
    public func needsCancelling(at now: Date) throws -> Bool {
        switch status(at: now) {
        case .cancelled: return false
        case .expired: throw HoldfastError.orderNotPending(.expired)
        case .paymentPending, .confirmed: return true
        }
    }
}

extension Order {
    /// What a payment that succeeded does to its order.
    public enum PaidStep: Sendable, Equatable {
        /// The order waits for this payment: book its pending seats.
        case book
        /// The order lapsed while the money was on its way: take the same seats again if they are still
        /// free (and the show is still ahead), else refund.
        case rebook
        /// Nothing to buy any more: send the money back.
        case refund(RefundReason)
    }

    public func paidStep(at now: Date) -> PaidStep {
        switch status(at: now) {
        case .paymentPending: .book
        case .expired: .rebook
        case .confirmed, .cancelled: .refund(refundReason)
        }
    }

    /// Why a payment this order does not keep goes back: another payment confirmed it, it was cancelled, or it
    /// lapsed and its seats were gone.
    public var refundReason: RefundReason {
        switch status {
        case .confirmed: .alreadyPaid
        case .cancelled: .orderCancelled
        case .paymentPending, .expired: .seatsGone
        }
    }

    /// The order paid: CONFIRMED with its ticket code, and the OrderConfirmed event to record with it.
    public func confirmed(ticketCode: String, at time: Date) -> (Order, DomainEvent) {
        var confirmed = self
        confirmed.status = .confirmed
        confirmed.ticketCode = ticketCode
        confirmed.confirmedAt = time
        return (confirmed, BookingEvents.order(.orderConfirmed, confirmed, at: time))
    }
}
