import Foundation
import HoldfastCore

/// Who is speaking: a user, and whether they are staff (who may join any conversation as "support").
public struct Speaker: Sendable {
    public let userId: String
    public let isAdmin: Bool

    public init(userId: String, isAdmin: Bool) {
        self.userId = userId
        self.isAdmin = isAdmin
    }
}

/// Seed 004's messaging and calls, scoped to a booking code; every committed message is handed to
/// `published` (the live fan-out) after its transaction.
public struct ConversationService: Sendable {
    public static let defaultPageSize = 50
    public static let maxPageSize = 100

    public let stores: any HoldfastStores
    public let clock: any BookingClock
    public let ringTimeout: TimeInterval
    let published: @Sendable (ChatMessage) async -> Void

    public init(
        stores: any HoldfastStores, clock: any BookingClock, ringTimeout: TimeInterval = 30,
        published: @escaping @Sendable (ChatMessage) async -> Void = { _ in }
    ) {
        self.stores = stores
        self.clock = clock
        self.ringTimeout = ringTimeout
        self.published = published
    }

    /// The conversation and the caller's role in it. A code of the caller's own confirmed cinema order
    /// (ticket code) or hotel booking (booking id) opens its conversation on first use; others see 404.
    public func conversation(_ code: String, speaker: Speaker) async throws -> (conversation: Conversation, role: String) {
        try Conversation.validateCode(code)
        var found = try await stores.conversation(code)
        if found == nil, let owner = try await stores.bookingOwner(code: code), owner.userId == speaker.userId || speaker.isAdmin {
            let role = owner.kind == .cinemaOrder ? "customer" : "guest"
            found = try await stores.openConversation(Conversation(
                bookingCode: code, kind: owner.kind, participants: [Participant(userId: owner.userId, role: role)], createdAt: clock.now()))
        }
        guard let conversation = found else { throw HoldfastError.notAParticipant }
        if let role = conversation.role(of: speaker.userId) { return (conversation, role) }
        guard speaker.isAdmin else { throw HoldfastError.notAParticipant }
        return (conversation, Conversation.supportRole)
    }

    /// A partner's booking (a ride, say) with its participants and their roles.
    public func register(code: String, participants: [Participant]) async throws -> Conversation {
        try Conversation.validateCode(code)
        guard (2...20).contains(participants.count), Set(participants.map(\.userId)).count == participants.count else {
            throw HoldfastError.invalid("participants must be 2-20 distinct users")
        }
        for participant in participants { try participant.validate() }
        let conversation = Conversation(bookingCode: code, kind: .external, participants: participants, createdAt: clock.now())
        let stored = try await stores.openConversation(conversation)
        guard stored.kind == .external, Set(stored.participants) == Set(participants) else {
            throw HoldfastError(.conflict, code: "CONVERSATION_EXISTS", message: "A conversation with this booking code exists already")
        }
        return stored
    }

    /// Text from a participant, or a system notice from staff; calls go through `call`.
    public func send(_ code: String, speaker: Speaker, text: String, type: MessageType) async throws -> ChatMessage {
        switch type {
        case .text: break
        case .system: guard speaker.isAdmin else { throw HoldfastError(.forbidden, code: "FORBIDDEN", message: "Only staff send system messages") }
        case .call: throw HoldfastError.invalid("call messages come from make_call")
        }
        try ChatMessage.validate(text: text)
        let (_, role) = try await conversation(code, speaker: speaker)
        let now = clock.now()
        let message = try await stores.appendMessage(ChatMessage(
            messageId: UUID(timeOrderedAt: now), bookingCode: code, senderId: speaker.userId, senderRole: role, type: type, text: text,
            createdAt: now))
        await published(message)
        return message
    }

    /// Newest first; `before` is the `seq` of the oldest message the caller has, for the next page.
    public func history(_ code: String, speaker: Speaker, before: Int64?, types: Set<MessageType>?, limit: Int?) async throws -> [ChatMessage] {
        let limit = limit ?? Self.defaultPageSize
        guard (1...Self.maxPageSize).contains(limit) else { throw HoldfastError.invalid("limit must be 1-\(Self.maxPageSize)") }
        if let before, before < 1 { throw HoldfastError.invalid("before must be a message seq") }
        _ = try await conversation(code, speaker: speaker)
        return try await stores.messages(bookingCode: code, before: before, types: types, limit: limit)
    }

    /// initiate (to `callee`, or the one other participant), accept, reject or end (`callId`).
    public func call(_ code: String, speaker: Speaker, action: CallAction, callId: UUID?, callee: String?) async throws -> (Call, ChatMessage) {
        let (conversation, role) = try await conversation(code, speaker: speaker)
        let now = clock.now()
        if action == .initiate {
            let others = conversation.participants.map(\.userId).filter { $0 != speaker.userId }
            guard let target = callee ?? (others.count == 1 ? others.first : nil) else {
                throw HoldfastError.invalid("callee is required when the conversation has several other participants")
            }
            guard others.contains(target) else { throw HoldfastError.invalid("callee must be another participant of this booking") }
            let call = Call(callId: UUID(timeOrderedAt: now), bookingCode: code, callerId: speaker.userId, calleeId: target, createdAt: now)
            let message = try await stores.startCall(call, message: Self.message(for: call, by: speaker.userId, role: role, at: now))
            await published(message)
            return (call, message)
        }
        guard let callId else { throw HoldfastError.invalid("call_id is required to \(action.rawValue) a call") }
        for _ in 0..<3 {
            guard let current = try await stores.call(callId), current.bookingCode == code else { throw HoldfastError.notFound("Call") }
            // A ring that timed out is recorded as missed now, not at the next sweep; `applying` then refuses the action.
            if let missed = current.missedIfUnanswered(at: now, ringTimeout: ringTimeout) {
                _ = try await record(missed, by: current.callerId, role: conversation.role(of: current.callerId) ?? role)
            }
            let next = try current.applying(action, by: speaker.userId, at: now, ringTimeout: ringTimeout)
            if let message = try await record(next, by: speaker.userId, role: role) { return (next, message) }
        }
        throw HoldfastError(.conflict, code: "CALL_CHANGED", message: "The call changed meanwhile; try again")
    }

    /// Ringing calls past the timeout become missed, each with its message; answers how many.
    @discardableResult
    public func sweepMissedCalls() async throws -> Int {
        let now = clock.now()
        var missed = 0
        for call in try await stores.ringingCalls(startedBefore: now.addingTimeInterval(-ringTimeout), limit: 200) {
            guard let next = call.missedIfUnanswered(at: now, ringTimeout: ringTimeout) else { continue }
            let role = try await stores.conversation(call.bookingCode)?.role(of: call.callerId) ?? "caller"
            if try await record(next, by: call.callerId, role: role) != nil { missed += 1 }
        }
        return missed
    }

    private func record(_ call: Call, by userId: String, role: String) async throws -> ChatMessage? {
        guard let message = try await stores.updateCall(call, message: Self.message(for: call, by: userId, role: role, at: clock.now())) else {
            return nil
        }
        await published(message)
        return message
    }

    static func message(for call: Call, by userId: String, role: String, at now: Date) -> ChatMessage {
        ChatMessage(
            messageId: UUID(timeOrderedAt: now), bookingCode: call.bookingCode, senderId: userId, senderRole: role, type: .call,
            text: call.summary, callId: call.callId, createdAt: now)
    }
}
