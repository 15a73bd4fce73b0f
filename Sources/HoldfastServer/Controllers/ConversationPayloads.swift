import Foundation
import HoldfastCore

// Seed 004 speaks snake_case; these payloads keep its field names.

struct SendMessageRequest: Decodable {
    let bookingCode: String
    let message: String
    let type: String?
    /// The seed's sender role; when given it must be the caller's role in the booking.
    let sender: String?

    enum CodingKeys: String, CodingKey {
        case bookingCode = "booking_code", message, type, sender
    }
}

struct MakeCallRequest: Decodable {
    let bookingCode: String
    let action: String
    let callId: String?
    let callee: String?

    enum CodingKeys: String, CodingKey {
        case bookingCode = "booking_code", action, callId = "call_id", callee
    }
}

/// A participant as the API names it.
struct MemberBody: Codable {
    let userId: String
    let role: String

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", role
    }
}

struct RegisterRequest: Decodable {
    let bookingCode: String
    let participants: [MemberBody]

    enum CodingKeys: String, CodingKey {
        case bookingCode = "booking_code", participants
    }
}

struct MessageResponse: Encodable {
    let seq: Int64
    let messageId: UUID
    let bookingCode: String
    let sender: String
    let senderRole: String
    let type: MessageType
    let message: String
    let callId: UUID?
    let timestamp: Date

    init(_ message: ChatMessage) {
        seq = message.seq
        messageId = message.messageId
        bookingCode = message.bookingCode
        sender = message.senderId
        senderRole = message.senderRole
        type = message.type
        self.message = message.text
        callId = message.callId
        timestamp = message.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case seq, messageId = "message_id", bookingCode = "booking_code", sender, senderRole = "sender_role", type, message
        case callId = "call_id", timestamp
    }
}

struct CallBody: Encodable {
    let callId: UUID
    let bookingCode: String
    let caller: String
    let callee: String
    let state: CallState
    let startedAt: Date
    let answeredAt: Date?
    let endedAt: Date?
    let durationSeconds: Int?

    init(_ call: Call) {
        callId = call.callId
        bookingCode = call.bookingCode
        caller = call.callerId
        callee = call.calleeId
        state = call.state
        startedAt = call.createdAt
        answeredAt = call.answeredAt
        endedAt = call.endedAt
        durationSeconds = call.durationSeconds
    }

    enum CodingKeys: String, CodingKey {
        case callId = "call_id", bookingCode = "booking_code", caller, callee, state, startedAt = "started_at", answeredAt = "answered_at"
        case endedAt = "ended_at", durationSeconds = "duration_seconds"
    }
}

struct CallResponse: Encodable {
    let call: CallBody
    let message: MessageResponse
}

struct MessagesResponse: Encodable {
    let bookingCode: String
    let messages: [MessageResponse]
    /// Pass as `before` for the next (older) page; absent on the last page.
    let nextBefore: Int64?

    enum CodingKeys: String, CodingKey {
        case bookingCode = "booking_code", messages, nextBefore = "next_before"
    }
}

struct ConversationResponse: Encodable {
    let bookingCode: String
    let kind: ConversationKind
    let participants: [MemberBody]

    init(_ conversation: Conversation) {
        bookingCode = conversation.bookingCode
        kind = conversation.kind
        participants = conversation.participants.map { MemberBody(userId: $0.userId, role: $0.role) }
    }

    enum CodingKeys: String, CodingKey {
        case bookingCode = "booking_code", kind, participants
    }
}
