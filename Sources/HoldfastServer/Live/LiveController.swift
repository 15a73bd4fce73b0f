import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// `GET /ws`: one WebSocket per client for live updates. Authenticate as for HTTP (bearer token, or
/// `x-user-id` in dev mode). Then send JSON commands: `{"action":"subscribe","booking_code":"…"}`
/// (participants only), `{"action":"unsubscribe",…}`, `{"action":"ping"}`. The server answers
/// `subscribed` / `unsubscribed` / `pong` / `error` and pushes `{"type":"message","message":{…}}` for every
/// message of a subscribed booking as it commits. WebSocket pings keep the connection alive.
struct LiveController {
    static let maxInboundBytes = 16 * 1024

    let hub: LiveHub
    let conversations: ConversationService
    let stores: any HoldfastStores
    let clock: any BookingClock

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
                        for await frame in queue { try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: frame))) }
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
    func handle(_ text: String, from id: LiveHub.ConnectionID, speaker: Speaker) async -> ByteBuffer {
        guard !JSON.hasEscapedNUL(text.utf8), let command = try? JSONDecoder().decode(LiveCommand.self, from: Data(text.utf8)) else {
            return LiveEvents.error(code: "INVALID_INPUT", message: #"send {"action":"subscribe"|"unsubscribe"|"ping","booking_code":…}"#)
        }
        switch command.action {
        case "ping":
            return LiveEvents.reply(["type": "pong"])
        case "watch_show", "unwatch_show":
            guard let showId = command.showId.flatMap(UUID.init(uuidString:)) else {
                return LiveEvents.error(code: "INVALID_INPUT", message: "show_id must be a show's id")
            }
            let topic = LiveEvents.showTopic(showId)
            if command.action == "unwatch_show" {
                await hub.unsubscribe(id, from: topic)
                return LiveEvents.reply(["type": "unwatched", "show_id": showId.uuidString])
            }
            do {
                guard let show = try await stores.show(showId) else { return LiveEvents.error(code: "NOT_FOUND", message: "Show not found") }
                // Listen first, then read: a change committed in between arrives twice at most, never not at all.
                await hub.subscribe(id, to: topic)
                return LiveEvents.snapshot(show: show, versions: try await stores.seatVersions(showId: showId), caller: speaker.userId, now: clock.now())
            } catch {
                await hub.unsubscribe(id, from: topic)
                return LiveEvents.error(code: "STORE_UNAVAILABLE", message: "try again")
            }
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
    let showId: String?

    enum CodingKeys: String, CodingKey {
        case action, bookingCode = "booking_code", showId = "show_id"
    }
}

/// The frames the server sends.
enum LiveEvents {
    static func conversationTopic(_ code: String) -> String { "conversation:\(code)" }

    static func showTopic(_ showId: UUID) -> String { "show:\(showId.uuidString)" }

    struct SeatFrame: Encodable {
        let seatId: String
        let state: SeatState
        let version: Int64
        let expiresAt: Date?
        let mine: Bool?

        enum CodingKeys: String, CodingKey {
            case seatId = "seat_id", state, version, expiresAt = "expires_at", mine
        }
    }

    /// One seat's change, for everyone watching the show (never who holds it).
    static func seat(_ change: SeatChange) -> ByteBuffer {
        struct Frame: Encodable {
            let type = "seat"
            let showId: UUID
            let seat: SeatFrame

            enum CodingKeys: String, CodingKey {
                case type, showId = "show_id", seat
            }
        }
        let seat = SeatFrame(seatId: change.seatId, state: change.state, version: change.version, expiresAt: change.expiresAt, mine: nil)
        return encode(Frame(showId: change.showId, seat: seat))
    }

    /// Every seat of the show with its state now and its version (0: never changed); `mine` marks the caller's.
    static func snapshot(show: Show, versions: [SeatChange], caller: String, now: Date) -> ByteBuffer {
        struct Frame: Encodable {
            let type = "seatmap"
            let showId: UUID
            let serverTime: Date
            let seats: [SeatFrame]

            enum CodingKeys: String, CodingKey {
                case type, showId = "show_id", serverTime = "server_time", seats
            }
        }
        let byId = Dictionary(versions.map { ($0.seatId, $0) }, uniquingKeysWith: { first, _ in first })
        let seats = show.layout.seats.map { seat -> SeatFrame in
            guard let change = byId[seat.seatId] else { return SeatFrame(seatId: seat.seatId, state: .available, version: 0, expiresAt: nil, mine: false) }
            let state = change.state(at: now)
            return SeatFrame(
                seatId: seat.seatId, state: state, version: change.version, expiresAt: state == .held ? change.expiresAt : nil,
                mine: state != .available && change.userId == caller)
        }
        return encode(Frame(showId: show.showId, serverTime: now, seats: seats))
    }

    static func message(_ message: ChatMessage) -> ByteBuffer {
        struct Frame: Encodable {
            let type = "message"
            let message: MessageResponse
        }
        return encode(Frame(message: MessageResponse(message)))
    }

    static func reply(_ fields: [String: String]) -> ByteBuffer { encode(fields) }

    /// Encoding plain value types cannot fail; an empty object stands in if it ever did.
    static func encode(_ value: some Encodable) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSON.encoder().encode(value)) ?? Data("{}".utf8))
    }

    static func error(code: String, message: String) -> ByteBuffer {
        reply(["type": "error", "code": code, "message": message])
    }
}
