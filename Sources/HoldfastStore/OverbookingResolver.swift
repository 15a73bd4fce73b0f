import Foundation
import HoldfastCore

/// Finds nights sold beyond their rooms and settles them: bookings on such a night, newest first, are
/// moved by `Reassignment`'s priority, and what cannot be placed is escalated (NEEDS_ATTENTION), until
/// the night fits. Escalated bookings are confirmed again once their nights have room. Every step is a
/// conditional transaction, so instances may run this at once.
public struct OverbookingResolver: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var overbookedNights = 0
        public var reassigned = 0
        public var escalated = 0
        public var restored = 0

        public init() {}
    }

    public static let nightsPerPass = 200
    /// Candidates tried for one booking before it is escalated (each failed try lost a race).
    static let triesPerBooking = 5

    let stores: any HoldfastStores
    let clock: any BookingClock

    public init(stores: any HoldfastStores, clock: any BookingClock) {
        self.stores = stores
        self.clock = clock
    }

    /// One pass over everything overbooked now.
    public func resolve() async throws -> Outcome {
        var outcome = Outcome()
        let escalated = try await stores.hotelBookings(status: .needsAttention, page: PageRequest(page: 1, pageSize: PageRequest.maxPageSize))
        for booking in escalated.items where try await stores.restoreHotelBooking(booking.bookingId, now: clock.now()) {
            outcome.restored += 1
        }
        let nights = try await stores.overbookedNights(limit: Self.nightsPerPass)
        outcome.overbookedNights = nights.count
        for night in nights {
            var excess = night.excess
            for booking in try await stores.confirmedBookings(roomTypeId: night.roomTypeId, night: night.night) where excess > 0 {
                if try await reassign(booking, overbooked: night.night) {
                    outcome.reassigned += 1
                } else if try await stores.escalateHotelBooking(
                    booking.bookingId, overbooked: night.night,
                    reason: "Overbooked on \(night.night) and no equal or better room is free in this hotel or nearby", now: clock.now())
                {
                    outcome.escalated += 1
                } else {
                    // Cancelled or settled by another instance meanwhile.
                    continue
                }
                excess -= booking.rooms
            }
        }
        return outcome
    }

    private func reassign(_ booking: HotelBooking, overbooked night: CalendarDate) async throws -> Bool {
        guard let currentType = try await stores.roomType(booking.roomTypeId), let currentHotel = try await stores.hotel(booking.hotelId) else {
            return false
        }
        let options = try await stores.offers(city: currentHotel.city, nights: booking.stay.nights).map { ($0.hotel, $0.roomType, $0.nights) }
        let candidates = Reassignment.candidates(for: booking, currentType: currentType, currentHotel: currentHotel, options: options)
        for candidate in candidates.prefix(Self.triesPerBooking) {
            if try await stores.reassignHotelBooking(booking, to: candidate.roomType, overbooked: night, now: clock.now()) { return true }
        }
        return false
    }
}
