import Foundation
import HoldfastCore

/// Booking conversations (seed 004): participants, messages numbered per conversation, and calls.
public protocol ConversationStore: Sendable {
    /// Who owns the booking a code names: a CONFIRMED cinema order's ticket code, or a hotel booking id.
    func bookingOwner(code: String) async throws -> (kind: ConversationKind, userId: String)?
    /// Stores the conversation unless its code exists already; answers the stored one.
    func openConversation(_ conversation: Conversation) async throws -> Conversation
    func conversation(_ bookingCode: String) async throws -> Conversation?
    /// Appends the message as the conversation's next `seq` (numbers are given and committed in order,
    /// so a cursor never skips a message) and answers it numbered.
    func appendMessage(_ message: ChatMessage) async throws -> ChatMessage
    /// Newest first, before `before` (a seq) when given, of the given types when given.
    func messages(bookingCode: String, before: Int64?, types: Set<MessageType>?, limit: Int) async throws -> [ChatMessage]
    /// Starts the call with its message; refused (CALL_IN_PROGRESS) while another call of the booking rings or is connected.
    func startCall(_ call: Call, message: ChatMessage) async throws -> ChatMessage
    func call(_ callId: UUID) async throws -> Call?
    /// Writes `call` only over the version before it (`call.version - 1`), with its message; nil when the call moved on.
    func updateCall(_ call: Call, message: ChatMessage) async throws -> ChatMessage?
    func ringingCalls(startedBefore: Date, limit: Int) async throws -> [Call]
    func message(bookingCode: String, seq: Int64) async throws -> ChatMessage?

    /// True when every instance hears of every committed message through `followMessages` (PostgreSQL
    /// LISTEN/NOTIFY); false when only the process that committed a message knows of it (SQLite).
    var sharesLiveMessages: Bool { get }
    /// Calls `received` with the booking code and seq of each message any instance commits, in commit
    /// order, until cancelled; returns at once when `sharesLiveMessages` is false.
    func followMessages(_ received: @escaping @Sendable (String, Int64) async -> Void) async throws
}
