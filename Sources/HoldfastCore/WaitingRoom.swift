import Foundation

/// An on-sale waiting room for a high-demand show: buyers are admitted in arrival order at a set rate. Each
/// arrival is given the next admission slot when it joins (`max(now, previous slot + interval)`), so a
/// buyer's place, wait and admission follow from one stored instant — joining and polling cost the same
/// however long the line is.
public struct WaitingRoom: Sendable, Hashable, Codable {
    public let showId: UUID
    public let admissionsPerMinute: Int
    /// How long an admission token stays valid.
    public let tokenMinutes: Int
    /// The slot the next arrival gets (or now, if later).
    public let nextSlotAt: Date

    public init(showId: UUID, admissionsPerMinute: Int, tokenMinutes: Int, nextSlotAt: Date) {
        self.showId = showId
        self.admissionsPerMinute = admissionsPerMinute
        self.tokenMinutes = tokenMinutes
        self.nextSlotAt = nextSlotAt
    }

    public var interval: TimeInterval { 60 / Double(admissionsPerMinute) }

    public static func validate(admissionsPerMinute: Int, tokenMinutes: Int) throws {
        guard (1...60_000).contains(admissionsPerMinute) else { throw HoldfastError.invalid("admissionsPerMinute must be 1-60000") }
        guard (1...120).contains(tokenMinutes) else { throw HoldfastError.invalid("tokenMinutes must be 1-120") }
    }
}

/// A buyer's place in a waiting room.
public struct QueueTicket: Sendable, Hashable, Codable {
    public let showId: UUID
    public let userId: String
    public let joinedAt: Date
    public let admitAt: Date

    public init(showId: UUID, userId: String, joinedAt: Date, admitAt: Date) {
        self.showId = showId
        self.userId = userId
        self.joinedAt = joinedAt
        self.admitAt = admitAt
    }

    public func isAdmitted(at now: Date) -> Bool { admitAt <= now }

    /// 0 once admitted; else how many slots come before this one, itself included (1: next).
    public func position(at now: Date, interval: TimeInterval) -> Int {
        guard !isAdmitted(at: now) else { return 0 }
        return Int((admitAt.timeIntervalSince(now) / interval).rounded(.up))
    }
}

extension HoldfastError {
    public static let noWaitingRoom = HoldfastError(.notFound, code: "NO_WAITING_ROOM", message: "This show has no waiting room: book directly")
    public static func admissionRequired(_ showId: UUID) -> HoldfastError {
        HoldfastError(
            .forbidden, code: "ADMISSION_REQUIRED",
            message: "This show sells through a waiting room: join it (POST /shows/\(showId.uuidString)/queue) and send its admission token")
    }
    public static let admissionInvalid = HoldfastError(
        .forbidden, code: "ADMISSION_INVALID", message: "The admission token is not valid for this show and user, or has expired")
}
