import Foundation
import HoldfastCore

/// Waiting rooms of high-demand shows and the places of the buyers in them.
public protocol WaitingRoomStore: Sendable {
    /// Opens or changes the show's waiting room (slots already given are kept).
    func setWaitingRoom(showId: UUID, admissionsPerMinute: Int, tokenMinutes: Int, now: Date) async throws -> WaitingRoom
    /// Closes it: the show sells directly again. False when it had none.
    func removeWaitingRoom(showId: UUID) async throws -> Bool
    func waitingRoom(showId: UUID) async throws -> WaitingRoom?
    /// The user's place: the one they already have, or the next slot (one conditional write on the room's row).
    func enqueue(showId: UUID, userId: String, now: Date) async throws -> QueueTicket
    func queueTicket(showId: UUID, userId: String) async throws -> QueueTicket?
}
