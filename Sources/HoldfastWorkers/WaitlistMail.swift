import Foundation
import HoldfastCore
import HoldfastStore

/// What someone on a waiting list is told: seats are held for them (until when, where to finish), or the
/// offer lapsed.
enum WaitlistMail {
    static let events: Set<String> = [EventType.waitlistOffered.rawValue, EventType.waitlistOfferExpired.rawValue]

    struct Reference: Decodable {
        let entryId: UUID
    }

    static func message(for event: DomainEvent, entry: WaitlistEntry, hold: Hold?, show: Show?, movie: Movie?, now: Date) -> MailMessage {
        let title = movie?.title ?? "your show"
        let when = show.map { " on \($0.startTime.formatted(Date.ISO8601FormatStyle()))" } ?? ""
        let lines: [String]
        let subject: String
        if event.type == EventType.waitlistOffered.rawValue, let hold {
            subject = "Seats for \(title) are held for you"
            lines = [
                "Good news: seats for \(title)\(when) came free and are held for you.", "",
                "Seats: \(hold.seatIds.joined(separator: ", "))",
                "Held until: \(hold.expiresAt.formatted(Date.ISO8601FormatStyle())) (after that they go to the next in line)",
                "Finish your booking: /checkout/\(hold.holdId.uuidString)",
            ]
        } else {
            subject = "Your held seats for \(title) were released"
            lines = ["The seats we held for you for \(title)\(when) were not booked in time and went to the next in line."]
        }
        return MailMessage(eventId: event.eventId, recipient: entry.email, subject: subject, body: lines.joined(separator: "\n"), sentAt: now)
    }
}
