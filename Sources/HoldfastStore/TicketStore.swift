import Foundation
import HoldfastCore

/// Seed 003's tickets, keyed by `Theatre-Seat`.
public protocol TicketStore: Sendable {
    func ticket(_ theatreSeat: String) async throws -> Ticket?
    func tickets() async throws -> [Ticket]
    /// Refuses (409 TICKET_EXISTS) a key that is already there.
    func createTicket(_ ticket: Ticket, now: Date) async throws
    /// Sets one attribute; a changed Price records PriceChangeInitiated in the same transaction.
    func updateTicketAttribute(_ theatreSeat: String, name: String, value: AttributeValue, now: Date) async throws -> Ticket
    func deleteTicket(_ theatreSeat: String) async throws -> Bool
    /// Adds the handler's metadata to the ticket or show and records PriceChangeProcessed; once per change.
    func applyPriceChangeMetadata(_ change: PriceChange, now: Date) async throws
}
