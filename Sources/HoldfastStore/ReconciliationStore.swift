import Foundation
import HoldfastCore

/// The checks behind `holdfast reconcile`. Each reads one consistent snapshot to find what is wrong, then
/// (when `heal` is true) repairs each finding in its own transaction that first checks it is still wrong,
/// so it is safe beside live traffic.
public protocol ReconciliationStore: Sendable {
    /// Every inventory row's `sold` equals the rooms of the bookings holding it (CONFIRMED or
    /// NEEDS_ATTENTION); heals `sold`. Booking nights without an inventory row are reported.
    func reconcileRoomNights(heal: Bool) async throws -> [ReconciliationCheck]
    /// Every CONFIRMED order's seats are BOOKED for it (heals a missing or lesser claim); no BOOKED claim
    /// without a CONFIRMED order (heals by freeing it); no seat in two CONFIRMED orders (reported only).
    func reconcileSeats(heal: Bool) async throws -> [ReconciliationCheck]
    func saveReconciliationReport(_ report: ReconciliationReport) async throws
    func reconciliationReports(limit: Int) async throws -> [ReconciliationReport]
    /// Takes the named job until `until` unless another owner's lease is still running; true when taken.
    /// A fault drill for benchmarks: adds one phantom room to `sold` on up to `rows` inventory rows (no
    /// booking behind it), for the reconciler to find and heal. Answers how many rows it changed.
    func driftSold(rows: Int) async throws -> Int
    func claimJob(_ name: String, owner: String, until: Date, now: Date) async throws -> Bool
}
