import Foundation

/// The events of the cinema booking flow, built the same way by every store.
public enum BookingEvents {
    struct HoldPayload: Encodable {
        let holdId: UUID
        let showId: UUID
        let userId: String
        let seatIds: [String]
        let status: String
        let expiresAt: Date
    }

    struct OrderPayload: Encodable {
        let orderId: UUID
        let showId: UUID
        let holdId: UUID
        let userId: String
        let seatIds: [String]
        let amount: Money
        let status: String
        let ticketCode: String?
    }

    struct ShowPayload: Encodable {
        let showId: UUID
        let cancelledOrders: [UUID]
        let releasedHolds: [UUID]
    }

    public static func hold(_ type: EventType, _ hold: Hold, at time: Date) -> DomainEvent {
        DomainEvent(
            type: type, aggregateType: "hold", aggregateId: hold.holdId,
            payload: HoldPayload(
                holdId: hold.holdId, showId: hold.showId, userId: hold.userId, seatIds: hold.seatIds,
                status: hold.status.rawValue, expiresAt: hold.expiresAt),
            at: time)
    }

    /// HoldReleased or HoldExpired, by the status the hold ended in.
    public static func holdEnded(_ hold: Hold, at time: Date) -> DomainEvent {
        self.hold(hold.status == .expired ? .holdExpired : .holdReleased, hold, at: time)
    }

    public static func order(_ type: EventType, _ order: Order, at time: Date) -> DomainEvent {
        DomainEvent(
            type: type, aggregateType: "order", aggregateId: order.orderId,
            payload: OrderPayload(
                orderId: order.orderId, showId: order.showId, holdId: order.holdId, userId: order.userId,
                seatIds: order.seatIds, amount: order.amount, status: order.status.rawValue, ticketCode: order.ticketCode),
            at: time)
    }

    public static func showCancelled(_ showId: UUID, orders: [UUID], holds: [UUID], at time: Date) -> DomainEvent {
        DomainEvent(
            type: .showCancelled, aggregateType: "show", aggregateId: showId,
            payload: ShowPayload(showId: showId, cancelledOrders: orders, releasedHolds: holds), at: time)
    }
}
