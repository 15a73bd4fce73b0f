import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Seed 004's routes under /api/v1, with the seed's snake_case fields: messages and calls per booking code.
struct ConversationsController {
    let conversations: ConversationService
    let idempotency: IdempotencyGate
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let api = router.group("api/v1")
        api.post("send_message", use: sendMessage)
        api.post("make_call", use: makeCall)
        api.get("get_message", use: getMessages)
        api.group("conversations").add(middleware: RequireAdminMiddleware()).post(use: register)
    }

    @Sendable func sendMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let speaker = try context.speaker()
        let body = try await request.collectBody(limit: maxBodyBytes)
        return try await idempotency.run(request, body: body, identity: try context.requireUser()) {
            let input = try JSON.decode(SendMessageRequest.self, from: body)
            guard let type = MessageType(rawValue: input.type ?? "text") else { throw HoldfastError.invalid("type is text, call or system") }
            if let sender = input.sender {
                let (_, role) = try await conversations.conversation(input.bookingCode, speaker: speaker)
                guard sender == role else { throw HoldfastError.invalid("sender must be your role in this booking (\(role))") }
            }
            let message = try await conversations.send(input.bookingCode, speaker: speaker, text: input.message, type: type)
            return try JSONReply(status: .created, MessageResponse(message))
        }
    }

    @Sendable func makeCall(_ request: Request, context: AppRequestContext) async throws -> Response {
        let speaker = try context.speaker()
        let body = try await request.collectBody(limit: maxBodyBytes)
        return try await idempotency.run(request, body: body, identity: try context.requireUser()) {
            let input = try JSON.decode(MakeCallRequest.self, from: body)
            guard let action = CallAction(rawValue: input.action) else { throw HoldfastError.invalid("action is initiate, accept, reject or end") }
            let callId = try input.callId.map { try RequestParameters.uuid($0, field: "call_id") }
            let (call, message) = try await conversations.call(input.bookingCode, speaker: speaker, action: action, callId: callId, callee: input.callee)
            return try JSONReply(status: action == .initiate ? .created : .ok, CallResponse(call: CallBody(call), message: MessageResponse(message)))
        }
    }

    @Sendable func getMessages(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let speaker = try context.speaker()
        let query = try request.queryParameters(allowed: ["booking_code", "before", "type", "limit"])
        guard let code = query["booking_code"] else { throw HoldfastError.invalid("booking_code is required") }
        var types: Set<MessageType>?
        if let list = query["type"] {
            let parsed = list.split(separator: ",").map { MessageType(rawValue: String($0)) }
            guard !parsed.isEmpty, !parsed.contains(nil) else { throw HoldfastError.invalid("type is a comma-separated list of text, call, system") }
            types = Set(parsed.compactMap { $0 })
        }
        let before = try query["before"].map { value -> Int64 in
            guard let seq = Int64(value) else { throw HoldfastError.invalid("before must be a message seq") }
            return seq
        }
        let limit = try RequestParameters.int(query["limit"], field: "limit", range: 1...ConversationService.maxPageSize)
        let messages = try await conversations.history(code, speaker: speaker, before: before, types: types, limit: limit)
        let full = messages.count == (limit ?? ConversationService.defaultPageSize)
        return try JSONReply(MessagesResponse(
            bookingCode: code, messages: messages.map(MessageResponse.init), nextBefore: full ? messages.last?.seq : nil))
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: RegisterRequest.self, limit: maxBodyBytes)
        let conversation = try await conversations.register(
            code: input.bookingCode, participants: input.participants.map { Participant(userId: $0.userId, role: $0.role) })
        return try JSONReply(status: .created, ConversationResponse(conversation))
    }
}

extension AppRequestContext {
    func speaker() throws -> Speaker {
        let identity = try requireUser()
        return Speaker(userId: identity.userId, isAdmin: identity.role == .admin)
    }
}
