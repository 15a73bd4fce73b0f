import Dispatch
import Foundation
import HoldfastCore
import HoldfastStore
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization

/// What `FastLane` needs to answer a hold that the seat snapshot refuses — `POST /holds` for seats someone else
/// has, or for a block of which none is left: most of what a crowd sends when a show goes on sale. The lane judges
/// only what the router would answer the same way from the same snapshot (`BookingService.refusal`), with the same
/// token cache, rate limits, request ids, metrics and error body; anything else it leaves to the router.
final class HoldLane: Sendable {
    static let route = "/holds"

    /// A hold as the lane reads it: who asks, and what (read as the route reads it).
    struct Ask: Sendable {
        let identity: Identity
        let hold: RequestedHold
    }

    let booking: BookingService
    let authenticator: Authenticator
    let maxBodyBytes: Int
    /// The seat-map lane, whose rate limits, clock, request ids, metrics, dates and server name this one shares.
    let seatMaps: SeatMapLane
    /// Holds refused without the router (tests look).
    let answered = Atomic<Int>(0)

    /// Set on a hold the lane checked and then handed to the router: when it arrived, so the route takes the
    /// snapshot that check made instead of waiting for another (`BookingService.createHold(…arrivedAt:)`). Its value
    /// carries this process's secret, so no client can claim an arrival of its own.
    static let arrivalHeader = HTTPField.Name("X-Holdfast-Arrived")!
    private let secret = (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 16) }.joined()
    private let epoch = ContinuousClock.now

    init(booking: BookingService, authenticator: Authenticator, maxBodyBytes: Int, seatMaps: SeatMapLane) {
        self.booking = booking
        self.authenticator = authenticator
        self.maxBodyBytes = maxBodyBytes
        self.seatMaps = seatMaps
    }

    /// Whether `head` may be a hold the lane can judge: `POST /holds` over HTTP/1.1 with a bearer token and a body
    /// of known length within the limit, without an `Idempotency-Key` (a replay is the gate's to answer), the
    /// dev-mode user header, `Expect`, an upgrade or `Connection: close`.
    func mayAnswer(_ head: HTTPRequestHead) -> Bool {
        let headers = head.headers
        guard head.method == .POST, head.uri == Self.route, SeatMapLane.isPlain(head), headers.contains(name: "authorization"),
            let length = headers.first(name: "content-length").flatMap({ Int($0) }), (1...maxBodyBytes).contains(length),
            headers["content-length"].count == 1
        else { return false }
        return !headers.contains(name: IdempotencyGate.header.rawName) && !headers.contains(name: Authenticator.devUserHeader.rawName)
            && !headers.contains(name: "expect")
    }

    /// The hold `body` asks for when the lane can judge it — a caller whose token was verified before, a body the
    /// router would take, a show id — else nil.
    func ask(_ head: HTTPRequestHead, body: ByteBuffer) -> Ask? {
        guard let authorization = head.headers.first(name: "authorization"),
            let identity = authenticator.knownIdentity(authorization: authorization),
            let hold = try? JSON.decode(CreateHoldRequest.self, from: body).requested(policy: booking.policy)
        else { return nil }
        return Ask(identity: identity, hold: hold)
    }

    /// The refusal the router would answer for `ask` from `snapshot`, when the caller's and the address's shares of
    /// writes allow the request; nil leaves it to the router (which refuses an exhausted share with 429 the same way:
    /// a refused take costs nothing).
    func refusal(_ ask: Ask, in snapshot: SeatSnapshot, from address: SocketAddress?) -> HoldfastError? {
        let refusal = switch ask.hold.seats {
        case .named(let seatIds, let quantity): booking.refusal(seatIds: seatIds, quantity: quantity, userId: ask.identity.userId, in: snapshot)
        case .best(let request): booking.refusal(request, userId: ask.identity.userId, in: snapshot)
        }
        guard let refusal else { return nil }
        let limits = seatMaps.limits
        guard !limits.enabled
            || RateLimitMiddleware.wait(
                limits: limits, limiter: seatMaps.limiter, reads: false, identity: ask.identity, address: address, now: seatMaps.clock.now()) == 0
        else { return nil }
        return refusal
    }

    /// The router's answer to `refusal`, head and body, as bytes.
    func response(_ refusal: HoldfastError, requestId: String, allocator: ByteBufferAllocator) -> (head: ByteBuffer, body: ByteBuffer) {
        let reply = ErrorRendering.render(refusal, now: seatMaps.clock.now())
        let head = SeatMapLane.responseHead(
            reply.status, requestId: requestId, bodyBytes: reply.body.readableBytes, date: seatMaps.dates.now(), serverName: seatMaps.serverName,
            allocator: allocator)
        return (head, reply.body)
    }

    /// The `arrivalHeader` value for a hold that arrived at `arrived`.
    func arrivalMark(_ arrived: ContinuousClock.Instant) -> String {
        let since = (arrived - epoch).components
        return "\(secret).\(since.seconds * 1_000_000_000 + since.attoseconds / 1_000_000_000)"
    }

    /// When the hold with `headers` arrived, if the lane checked it; nil for every other request.
    func arrival(in headers: HTTPFields) -> ContinuousClock.Instant? {
        guard let mark = headers[Self.arrivalHeader], let dot = mark.lastIndex(of: "."), mark[..<dot] == secret,
            let nanoseconds = Int64(mark[mark.index(after: dot)...])
        else { return nil }
        return epoch + .nanoseconds(nanoseconds)
    }

    /// Counts an answered refusal as the router's metrics do (timed until the response is ready).
    func recordAnswer(_ status: HTTPResponse.Status, startedAt started: UInt64) {
        answered.add(1, ordering: .relaxed)
        seatMaps.instruments.record(route: Self.route, method: .post, status: status, nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
    }
}
