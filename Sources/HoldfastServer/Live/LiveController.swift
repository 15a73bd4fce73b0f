import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird
import HummingbirdWebSocket
import Logging

/// `GET /ws`: one WebSocket per client for live updates. Authenticate as for HTTP (bearer token, or
/// `x-user-id` in dev mode). Then send JSON commands: `{"action":"subscribe","booking_code":"…"}`
/// (participants only), `{"action":"unsubscribe",…}`, `{"action":"ping"}`. The server answers
/// `subscribed` / `unsubscribed` / `pong` / `error` and pushes `{"type":"message","message":{…}}` for every
/// message of a subscribed booking as it commits. WebSocket pings keep the connection alive.
struct LiveController {
    static let maxInboundBytes = 16 * 1024

    let hub: LiveHub
    let conversations: ConversationService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.ws("ws") { _, context in
            guard context.identity != nil else { throw HoldfastError.unauthenticated }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let identity = context.requestContext.identity else { return }
            let speaker = Speaker(userId: identity.userId, isAdmin: identity.role == .admin)
            let (id, queue) = await hub.connect()
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in queue { try await outbound.write(.text(text)) }
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: Self.maxInboundBytes) {
                            guard case .text(let text) = message else { continue }
                            await hub.send(await handle(text, from: id, speaker: speaker), to: id)
                        }
                    }
                    // Either side ending ends the connection.
                    try await group.next()
                    group.cancelAll()
                }
            } catch {
                context.logger.debug("live connection ended", metadata: ["error": "\(error)"])
            }
            if await hub.disconnect(id) {
                try? await outbound.close(.policyViolation, reason: "too slow: reconnect and catch up from history")
            }
        }
    }

    /// Answers one client command.
    func handle(_ text: String, from id: LiveHub.ConnectionID, speaker: Speaker) async -> String {
        guard let command = try? JSONDecoder().decode(LiveCommand.self, from: Data(text.utf8)) else {
            return LiveEvents.error(code: "INVALID_INPUT", message: #"send {"action":"subscribe"|"unsubscribe"|"ping","booking_code":…}"#)
        }
        switch command.action {
        case "ping":
            return LiveEvents.reply(["type": "pong"])
        case "subscribe", "unsubscribe":
            guard let code = command.bookingCode else { return LiveEvents.error(code: "INVALID_INPUT", message: "booking_code is required") }
            do {
                let (conversation, role) = try await conversations.conversation(code, speaker: speaker)
                let topic = LiveEvents.conversationTopic(conversation.bookingCode)
                if command.action == "subscribe" {
                    await hub.subscribe(id, to: topic)
                    return LiveEvents.reply(["type": "subscribed", "booking_code": code, "role": role])
                }
                await hub.unsubscribe(id, from: topic)
                return LiveEvents.reply(["type": "unsubscribed", "booking_code": code])
            } catch let error as HoldfastError {
                return LiveEvents.error(code: error.code, message: error.message)
            } catch {
                return LiveEvents.error(code: "STORE_UNAVAILABLE", message: "try again")
            }
        default:
            return LiveEvents.error(code: "INVALID_INPUT", message: "unknown action \(command.action)")
        }
    }
}

struct LiveCommand: Decodable {
    let action: String
    let bookingCode: String?

    enum CodingKeys: String, CodingKey {
        case action, bookingCode = "booking_code"
    }
}

/// The frames the server sends.
enum LiveEvents {
    static func conversationTopic(_ code: String) -> String { "conversation:\(code)" }

    static func message(_ message: ChatMessage) -> String {
        struct Frame: Encodable {
            let type = "message"
            let message: MessageResponse
        }
        return (try? JSON.encodeString(Frame(message: MessageResponse(message)))) ?? "{}"
    }

    static func reply(_ fields: [String: String]) -> String {
        (try? JSON.encodeString(fields)) ?? "{}"
    }

    static func error(code: String, message: String) -> String {
        reply(["type": "error", "code": code, "message": message])
    }
}
