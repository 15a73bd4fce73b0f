import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func bookingOwner(code: String) async throws -> (kind: ConversationKind, userId: String)? {
        try await read { db in
            if let user = try String.fetchOne(db, cached: "SELECT user_id FROM orders WHERE ticket_code = ? AND status = 'CONFIRMED'", arguments: [code]) {
                return (.cinemaOrder, user)
            }
            guard let id = UUID(uuidString: code),
                let user = try String.fetchOne(db, cached: "SELECT user_id FROM hotel_bookings WHERE booking_id = ?", arguments: [id.uuidString])
            else { return nil }
            return (.hotelBooking, user)
        }
    }

    public func openConversation(_ conversation: Conversation) async throws -> Conversation {
        try await write { db in
            if let existing = try Self.conversation(db, conversation.bookingCode) { return existing }
            try db.execute(
                cached: "INSERT INTO conversations (booking_code, kind, created_at) VALUES (?, ?, ?)",
                arguments: [conversation.bookingCode, conversation.kind.rawValue, SQLiteColumns.millis(conversation.createdAt)])
            for participant in conversation.participants {
                try db.execute(
                    cached: "INSERT INTO conversation_participants (booking_code, user_id, role) VALUES (?, ?, ?)",
                    arguments: [conversation.bookingCode, participant.userId, participant.role])
            }
            return conversation
        }
    }

    public func conversation(_ bookingCode: String) async throws -> Conversation? {
        try await read { db in try Self.conversation(db, bookingCode) }
    }

    public func appendMessage(_ message: ChatMessage) async throws -> ChatMessage {
        try await write { db in try Self.append(db, message) }
    }

    public func messages(bookingCode: String, before: Int64?, types: Set<MessageType>?, limit: Int) async throws -> [ChatMessage] {
        try await read { db in
            var sql = "SELECT * FROM messages WHERE booking_code = ?"
            var arguments: StatementArguments = [bookingCode]
            if let before {
                sql += " AND seq < ?"
                arguments += [before]
            }
            if let types {
                sql += " AND type IN (\(Array(repeating: "?", count: types.count).joined(separator: ", ")))"
                arguments += StatementArguments(types.map(\.rawValue).sorted())
            }
            sql += " ORDER BY seq DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, cached: sql, arguments: arguments).map(Self.message)
        }
    }

    public func startCall(_ call: Call, message: ChatMessage) async throws -> ChatMessage {
        try await write { db in
            let live = try Bool.fetchOne(
                db, cached: "SELECT EXISTS (SELECT 1 FROM calls WHERE booking_code = ? AND state IN ('RINGING', 'CONNECTED'))",
                arguments: [call.bookingCode]) ?? false
            guard !live else { throw HoldfastError.callInProgress }
            try db.execute(
                cached: """
                    INSERT INTO calls (call_id, booking_code, caller_id, callee_id, state, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    call.callId.uuidString, call.bookingCode, call.callerId, call.calleeId, call.state.rawValue, SQLiteColumns.millis(call.createdAt),
                    call.version,
                ])
            return try Self.append(db, message)
        }
    }

    public func call(_ callId: UUID) async throws -> Call? {
        try await read { db in try Row.fetchOne(db, cached: "SELECT * FROM calls WHERE call_id = ?", arguments: [callId.uuidString]).map(Self.call) }
    }

    public func updateCall(_ call: Call, message: ChatMessage) async throws -> ChatMessage? {
        try await write { db in
            try db.execute(
                cached: """
                    UPDATE calls SET state = ?, answered_at = ?, ended_at = ?, duration_seconds = ?, version = ?
                    WHERE call_id = ? AND version = ?
                    """,
                arguments: [
                    call.state.rawValue, call.answeredAt.map(SQLiteColumns.millis), call.endedAt.map(SQLiteColumns.millis), call.durationSeconds,
                    call.version, call.callId.uuidString, call.version - 1,
                ])
            guard db.changesCount == 1 else { return nil }
            return try Self.append(db, message)
        }
    }

    public func ringingCalls(startedBefore: Date, limit: Int) async throws -> [Call] {
        try await read { db in
            try Row.fetchAll(
                db, cached: "SELECT * FROM calls WHERE state = 'RINGING' AND created_at <= ? ORDER BY created_at LIMIT ?",
                arguments: [SQLiteColumns.millis(startedBefore), limit]
            ).map(Self.call)
        }
    }

    public func message(bookingCode: String, seq: Int64) async throws -> ChatMessage? {
        try await read { db in
            try Row.fetchOne(db, cached: "SELECT * FROM messages WHERE booking_code = ? AND seq = ?", arguments: [bookingCode, seq]).map(Self.message)
        }
    }

    /// One process owns the file's writes here: the server publishes its own commits.
    public var sharesLiveMessages: Bool { false }

    public func followMessages(_ received: @escaping @Sendable (String, Int64) async -> Void) async throws {}

    /// Takes the conversation's next number and stores the message under it.
    static func append(_ db: Database, _ message: ChatMessage) throws -> ChatMessage {
        guard let seq = try Int64.fetchOne(
            db, cached: "UPDATE conversations SET last_seq = last_seq + 1 WHERE booking_code = ? RETURNING last_seq", arguments: [message.bookingCode])
        else { throw HoldfastError.notAParticipant }
        let numbered = ChatMessage(
            seq: seq, messageId: message.messageId, bookingCode: message.bookingCode, senderId: message.senderId, senderRole: message.senderRole,
            type: message.type, text: message.text, callId: message.callId, createdAt: message.createdAt)
        try db.execute(
            cached: """
                INSERT INTO messages (booking_code, seq, message_id, sender_id, sender_role, type, text, call_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                numbered.bookingCode, seq, numbered.messageId.uuidString, numbered.senderId, numbered.senderRole, numbered.type.rawValue,
                numbered.text, numbered.callId?.uuidString, SQLiteColumns.millis(numbered.createdAt),
            ])
        return numbered
    }

    static func conversation(_ db: Database, _ code: String) throws -> Conversation? {
        guard let row = try Row.fetchOne(db, cached: "SELECT * FROM conversations WHERE booking_code = ?", arguments: [code]) else { return nil }
        let participants = try Row.fetchAll(
            db, cached: "SELECT user_id, role FROM conversation_participants WHERE booking_code = ? ORDER BY user_id", arguments: [code]
        ).map { Participant(userId: $0["user_id"], role: $0["role"]) }
        return Conversation(
            bookingCode: code, kind: ConversationKind(rawValue: row["kind"])!, participants: participants, createdAt: row.date("created_at"))
    }

    static func message(_ row: Row) -> ChatMessage {
        ChatMessage(
            seq: row["seq"], messageId: row.uuid("message_id"), bookingCode: row["booking_code"], senderId: row["sender_id"],
            senderRole: row["sender_role"], type: MessageType(rawValue: row["type"])!, text: row["text"],
            callId: (row["call_id"] as String?).flatMap(UUID.init(uuidString:)), createdAt: row.date("created_at"))
    }

    static func call(_ row: Row) -> Call {
        Call(
            callId: row.uuid("call_id"), bookingCode: row["booking_code"], callerId: row["caller_id"], calleeId: row["callee_id"],
            state: CallState(rawValue: row["state"])!, createdAt: row.date("created_at"), answeredAt: row.optionalDate("answered_at"),
            endedAt: row.optionalDate("ended_at"), durationSeconds: row["duration_seconds"], version: row["version"])
    }
}
