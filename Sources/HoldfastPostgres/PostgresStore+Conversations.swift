import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    public func bookingOwner(code: String) async throws -> (kind: ConversationKind, userId: String)? {
        try await read { connection in
            if let row = try await connection.rows(
                "SELECT user_id FROM orders WHERE ticket_code = \(code) AND status = 'CONFIRMED'", logger
            ).first {
                return (.cinemaOrder, try row.value("user_id", as: String.self))
            }
            guard let id = UUID(uuidString: code),
                let row = try await connection.rows("SELECT user_id FROM hotel_bookings WHERE booking_id = \(id)", logger).first
            else { return nil }
            return (.hotelBooking, try row.value("user_id", as: String.self))
        }
    }

    public func openConversation(_ conversation: Conversation) async throws -> Conversation {
        try await transaction { connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO conversations (booking_code, kind, created_at) VALUES (\(conversation.bookingCode), \(conversation.kind.rawValue),
                    \(conversation.createdAt))
                ON CONFLICT (booking_code) DO NOTHING RETURNING 1 AS inserted
                """, logger)
            guard !inserted.isEmpty else {
                guard let existing = try await Self.conversation(connection, logger, conversation.bookingCode) else { throw HoldfastError.notAParticipant }
                return existing
            }
            for participant in conversation.participants {
                try await connection.execute(
                    """
                    INSERT INTO conversation_participants (booking_code, user_id, role)
                    VALUES (\(conversation.bookingCode), \(participant.userId), \(participant.role))
                    """, logger)
            }
            return conversation
        }
    }

    public func conversation(_ bookingCode: String) async throws -> Conversation? {
        try await read { connection in try await Self.conversation(connection, logger, bookingCode) }
    }

    public func appendMessage(_ message: ChatMessage) async throws -> ChatMessage {
        try await transaction { connection in try await Self.append(connection, logger, message) }
    }

    public func messages(bookingCode: String, before: Int64?, types: Set<MessageType>?, limit: Int) async throws -> [ChatMessage] {
        let typeNames = (types ?? Set(MessageType.allCases)).map(\.rawValue)
        return try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.messageColumns) FROM messages
                WHERE booking_code = \(bookingCode) AND seq < \(before ?? Int64.max) AND type = ANY(\(typeNames))
                ORDER BY seq DESC LIMIT \(limit)
                """, logger
            ).map(Self.message)
        }
    }

    public func startCall(_ call: Call, message: ChatMessage) async throws -> ChatMessage {
        try await transaction { connection in
            // The conversation row serialises its calls and messages.
            try await connection.execute("SELECT 1 FROM conversations WHERE booking_code = \(call.bookingCode) FOR UPDATE", logger)
            let inserted = try await connection.rows(
                """
                INSERT INTO calls (call_id, booking_code, caller_id, callee_id, state, created_at, version)
                VALUES (\(call.callId), \(call.bookingCode), \(call.callerId), \(call.calleeId), \(call.state.rawValue), \(call.createdAt), \(call.version))
                ON CONFLICT (booking_code) WHERE state IN ('RINGING', 'CONNECTED') DO NOTHING
                RETURNING 1 AS inserted
                """, logger)
            guard !inserted.isEmpty else { throw HoldfastError.callInProgress }
            return try await Self.append(connection, logger, message)
        }
    }

    public func call(_ callId: UUID) async throws -> Call? {
        try await read { connection in
            try await connection.rows("SELECT * FROM calls WHERE call_id = \(callId)", logger).first.map(Self.call)
        }
    }

    public func updateCall(_ call: Call, message: ChatMessage) async throws -> ChatMessage? {
        try await transaction { connection in
            let updated = try await connection.rows(
                """
                UPDATE calls SET state = \(call.state.rawValue), answered_at = \(call.answeredAt), ended_at = \(call.endedAt),
                    duration_seconds = \(call.durationSeconds), version = \(call.version)
                WHERE call_id = \(call.callId) AND version = \(call.version - 1)
                RETURNING 1 AS updated
                """, logger)
            guard !updated.isEmpty else { return nil }
            return try await Self.append(connection, logger, message)
        }
    }

    public func ringingCalls(startedBefore: Date, limit: Int) async throws -> [Call] {
        try await read { connection in
            try await connection.rows(
                "SELECT * FROM calls WHERE state = 'RINGING' AND created_at <= \(startedBefore) ORDER BY created_at LIMIT \(limit)", logger
            ).map(Self.call)
        }
    }

    public func message(bookingCode: String, seq: Int64) async throws -> ChatMessage? {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.messageColumns) FROM messages WHERE booking_code = \(bookingCode) AND seq = \(seq)", logger
            ).first.map(Self.message)
        }
    }

    static let messagesChannel = "holdfast_messages"

    public var sharesLiveMessages: Bool { true }

    public func followMessages(_ received: @escaping @Sendable (String, Int64) async -> Void) async throws {
        try await follow(channel: Self.messagesChannel) { payload in
            guard let split = payload.lastIndex(of: ":"), let seq = Int64(payload[payload.index(after: split)...]) else { return }
            await received(String(payload[..<split]), seq)
        }
    }

    /// Takes the conversation's next number (its row stays locked until commit, so numbers commit in order).
    static func append(_ connection: PostgresConnection, _ logger: Logger, _ message: ChatMessage) async throws -> ChatMessage {
        guard let row = try await connection.rows(
            "UPDATE conversations SET last_seq = last_seq + 1 WHERE booking_code = \(message.bookingCode) RETURNING last_seq", logger
        ).first else { throw HoldfastError.notAParticipant }
        let seq = try row.value("last_seq", as: Int64.self)
        try await connection.execute(
            """
            INSERT INTO messages (booking_code, seq, message_id, sender_id, sender_role, type, text, call_id, created_at)
            VALUES (\(message.bookingCode), \(seq), \(message.messageId), \(message.senderId), \(message.senderRole), \(message.type.rawValue),
                    \(message.text), \(message.callId), \(message.createdAt))
            """, logger)
        // Delivered to every listening instance when (and only if) the transaction commits, in commit order.
        try await connection.execute("SELECT pg_notify(\(messagesChannel), \(message.bookingCode + ":" + String(seq)))", logger)
        return ChatMessage(
            seq: seq, messageId: message.messageId, bookingCode: message.bookingCode, senderId: message.senderId, senderRole: message.senderRole,
            type: message.type, text: message.text, callId: message.callId, createdAt: message.createdAt)
    }

    static func conversation(_ connection: PostgresConnection, _ logger: Logger, _ code: String) async throws -> Conversation? {
        guard let row = try await connection.rows("SELECT kind, created_at FROM conversations WHERE booking_code = \(code)", logger).first else {
            return nil
        }
        let participants = try await connection.rows(
            "SELECT user_id, role FROM conversation_participants WHERE booking_code = \(code) ORDER BY user_id", logger
        ).map { Participant(userId: try $0.value("user_id"), role: try $0.value("role")) }
        return Conversation(
            bookingCode: code, kind: ConversationKind(rawValue: try row.value("kind"))!, participants: participants,
            createdAt: try row.value("created_at"))
    }

    static let messageColumns = "booking_code, seq, message_id, sender_id, sender_role, type, text, call_id, created_at"

    static func message(_ row: PostgresRandomAccessRow) throws -> ChatMessage {
        ChatMessage(
            seq: try row.value("seq"), messageId: try row.value("message_id"), bookingCode: try row.value("booking_code"),
            senderId: try row.value("sender_id"), senderRole: try row.value("sender_role"), type: MessageType(rawValue: try row.value("type"))!,
            text: try row.value("text"), callId: try row.value("call_id"), createdAt: try row.value("created_at"))
    }

    static func call(_ row: PostgresRandomAccessRow) throws -> Call {
        Call(
            callId: try row.value("call_id"), bookingCode: try row.value("booking_code"), callerId: try row.value("caller_id"),
            calleeId: try row.value("callee_id"), state: CallState(rawValue: try row.value("state"))!, createdAt: try row.value("created_at"),
            answeredAt: try row.value("answered_at"), endedAt: try row.value("ended_at"), durationSeconds: try row.value("duration_seconds"),
            version: try row.value("version"))
    }
}
