import Foundation
import HoldfastCore
import HoldfastStore

/// Seed 003's event handler: on PriceChangeInitiated it adds LastPriceChangeTimestamp, PreviousPrice,
/// DiscountPercentage and IsDiscounted to the ticket (or show) and publishes PriceChangeProcessed.
/// It reacts to PriceChangeInitiated only and its own write records no PriceChangeInitiated, so there
/// is no loop; applying the same change twice changes nothing.
public struct PriceChangeHandler: EventSubscriber {
    let stores: any HoldfastStores
    let clock: any BookingClock

    public init(stores: any HoldfastStores, clock: any BookingClock) {
        self.stores = stores
        self.clock = clock
    }

    public var name: String { "price-change-handler" }

    public func accepts(_ event: DomainEvent) -> Bool { event.type == EventType.priceChangeInitiated.rawValue }

    public func deliver(_ event: DomainEvent) async throws {
        try await stores.applyPriceChangeMetadata(try event.decodePayload(PriceChange.self), now: clock.now())
    }
}
