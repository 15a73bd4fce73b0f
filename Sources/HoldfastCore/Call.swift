import Foundation

public enum CallState: String, Sendable, Codable {
    case ringing = "RINGING"
    case connected = "CONNECTED"
    case ended = "ENDED"
    case rejected = "REJECTED"
    case missed = "MISSED"

    public var isOver: Bool { self == .ended || self == .rejected || self == .missed }
}

public enum CallAction: String, Sendable, Codable, CaseIterable {
    case initiate
    case accept
    case reject
    case end
}

/// A voice call between two participants of a booking's conversation (seed 004's make_call).
///
/// ringing → connected (the callee accepts) → ended (either hangs up; duration = end − answer);
/// ringing → rejected (the callee declines); ringing → missed (nobody answered within the ring timeout,
/// or the caller hung up first). Anything else is refused and changes nothing.
public struct Call: Sendable, Hashable, Codable {
    public let callId: UUID
    public let bookingCode: String
    public let callerId: String
    public let calleeId: String
    public private(set) var state: CallState
    public let createdAt: Date
    public private(set) var answeredAt: Date?
    public private(set) var endedAt: Date?
    /// Seconds between answer and hang-up; 0 for calls never connected.
    public private(set) var durationSeconds: Int?
    /// Moves on with every change: a store writes a change only over the version it read.
    public private(set) var version: Int

    public init(
        callId: UUID, bookingCode: String, callerId: String, calleeId: String, state: CallState = .ringing, createdAt: Date,
        answeredAt: Date? = nil, endedAt: Date? = nil, durationSeconds: Int? = nil, version: Int = 0
    ) {
        self.callId = callId
        self.bookingCode = bookingCode
        self.callerId = callerId
        self.calleeId = calleeId
        self.state = state
        self.createdAt = createdAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.durationSeconds = durationSeconds
        self.version = version
    }

    /// The call after `action` by `userId` at `now`, or an error naming why it cannot happen.
    public func applying(_ action: CallAction, by userId: String, at now: Date, ringTimeout: TimeInterval) throws -> Call {
        var next = self
        next.version += 1
        guard userId == callerId || userId == calleeId else { throw HoldfastError.notAParticipant }
        if state == .ringing, now.timeIntervalSince(createdAt) >= ringTimeout {
            throw Self.refused(action, from: .missed)
        }
        switch (action, state) {
        case (.accept, .ringing) where userId == calleeId:
            next.state = .connected
            next.answeredAt = now
        case (.reject, .ringing) where userId == calleeId:
            next.state = .rejected
            next.finish(at: now)
        case (.end, .ringing) where userId == callerId:
            next.state = .missed
            next.finish(at: now)
        case (.end, .connected):
            next.state = .ended
            next.finish(at: now)
        default:
            throw Self.refused(action, from: state)
        }
        return next
    }

    /// A ringing call nobody answered in time.
    public func missedIfUnanswered(at now: Date, ringTimeout: TimeInterval) -> Call? {
        guard state == .ringing, now.timeIntervalSince(createdAt) >= ringTimeout else { return nil }
        var missed = self
        missed.version += 1
        missed.state = .missed
        missed.finish(at: createdAt.addingTimeInterval(ringTimeout))
        return missed
    }

    private mutating func finish(at now: Date) {
        endedAt = now
        durationSeconds = answeredAt.map { max(0, Int(now.timeIntervalSince($0).rounded())) } ?? 0
    }

    static func refused(_ action: CallAction, from state: CallState) -> HoldfastError {
        HoldfastError(.conflict, code: "INVALID_CALL_TRANSITION", message: "Cannot \(action.rawValue) a call that is \(state.rawValue.lowercased()) (or not yours to \(action.rawValue))")
    }

    /// The line a call event leaves in the conversation.
    public var summary: String {
        switch state {
        case .ringing: "Call started"
        case .connected: "Call connected"
        case .ended: "Call ended after \(durationSeconds ?? 0) s"
        case .rejected: "Call declined"
        case .missed: "Missed call"
        }
    }
}

extension HoldfastError {
    public static let callInProgress = HoldfastError(
        .conflict, code: "CALL_IN_PROGRESS", message: "A call on this booking is already ringing or connected")
}
