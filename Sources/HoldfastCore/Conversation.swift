import Foundation

/// What a conversation's booking code names.
public enum ConversationKind: String, Sendable, Codable {
    /// A cinema order: the code is its ticket code (BMS…).
    case cinemaOrder = "CINEMA_ORDER"
    /// A hotel booking: the code is its booking id.
    case hotelBooking = "HOTEL_BOOKING"
    /// Registered by a partner, e.g. a ride with its driver and passenger.
    case external = "EXTERNAL"
}

/// Someone who may read and write a conversation, with the role they speak in ("driver", "guest", …).
public struct Participant: Sendable, Hashable, Codable {
    public let userId: String
    public let role: String

    public init(userId: String, role: String) {
        self.userId = userId
        self.role = role
    }

    public func validate() throws {
        try Validate.text(userId, field: "userId", max: 255)
        guard (1...20).contains(role.count), role.allSatisfy({ $0.isLowercase || $0 == "_" }) else {
            throw HoldfastError.invalid("role must be 1-20 lowercase letters or _")
        }
    }
}

/// The messages and calls of one booking, between its participants (seed 004).
public struct Conversation: Sendable, Hashable, Codable {
    public static let supportRole = "support"

    public let bookingCode: String
    public let kind: ConversationKind
    public let participants: [Participant]
    public let createdAt: Date

    public init(bookingCode: String, kind: ConversationKind, participants: [Participant], createdAt: Date) {
        self.bookingCode = bookingCode
        self.kind = kind
        self.participants = participants
        self.createdAt = createdAt
    }

    public func role(of userId: String) -> String? { participants.first { $0.userId == userId }?.role }

    public static func validateCode(_ code: String) throws {
        guard (3...64).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw HoldfastError.invalid("booking_code must be 3-64 letters, digits, - or _")
        }
    }
}

public enum MessageType: String, Sendable, Codable, CaseIterable {
    case text
    case call
    case system
}

/// One message; `seq` orders a conversation's messages and is the pagination cursor.
public struct ChatMessage: Sendable, Hashable, Codable {
    public static let maxLength = 2_000

    public let seq: Int64
    public let messageId: UUID
    public let bookingCode: String
    public let senderId: String
    public let senderRole: String
    public let type: MessageType
    public let text: String
    public let callId: UUID?
    public let createdAt: Date

    public init(
        seq: Int64 = 0, messageId: UUID, bookingCode: String, senderId: String, senderRole: String, type: MessageType, text: String, callId: UUID? = nil,
        createdAt: Date
    ) {
        self.seq = seq
        self.messageId = messageId
        self.bookingCode = bookingCode
        self.senderId = senderId
        self.senderRole = senderRole
        self.type = type
        self.text = text
        self.callId = callId
        self.createdAt = createdAt
    }

    public static func validate(text: String) throws {
        try Validate.text(text, field: "message", max: maxLength)
    }
}

extension HoldfastError {
    public static let notAParticipant = HoldfastError(
        .notFound, code: "CONVERSATION_NOT_FOUND", message: "No conversation with this booking code is open to you")
}
