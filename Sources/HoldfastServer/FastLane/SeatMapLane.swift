import Dispatch
import Foundation
import HoldfastCore
import HoldfastStore
import HTTPTypes
import NIOHTTP1
import NIOCore
import ServiceLifecycle
import Synchronization

/// What `FastLane` needs to answer seat-map reads, shared by every connection: which requests it may answer, and the same
/// seat maps, rate limits, request ids and metrics the router uses.
final class SeatMapLane: Sendable {
    static let route = "/shows/{showId}/seatmap"
    private static let pathLength = "/shows/".utf8.count + 36 + "/seatmap".utf8.count

    let seatMaps: SeatMapCache
    let limits: RateLimits
    let limiter: RateLimiter
    let clock: any BookingClock
    let ids: RequestIds
    let instruments: RequestInstruments
    let dates = HTTPDates()
    let serverName: String
    /// Requests answered without the router (tests look).
    let answered = Atomic<Int>(0)

    init(
        seatMaps: SeatMapCache, limits: RateLimits, limiter: RateLimiter, clock: any BookingClock, ids: RequestIds,
        instruments: RequestInstruments, serverName: String
    ) {
        self.seatMaps = seatMaps
        self.limits = limits
        self.limiter = limiter
        self.clock = clock
        self.ids = ids
        self.instruments = instruments
        self.serverName = serverName
    }

    /// The show of `head` when it is a seat-map read by a caller without identity that the router would answer
    /// from the same snapshot with nothing else to do: HTTP/1.1, no query, body, credentials, upgrade or
    /// `Connection: close`. Nil leaves the request to the router.
    func showId(answering head: HTTPRequestHead) -> UUID? {
        let path = head.uri
        guard head.method == .GET, path.utf8.count == Self.pathLength, path.hasPrefix("/shows/"), path.hasSuffix("/seatmap"),
            let showId = Self.uuid(path.utf8.dropFirst(7).prefix(36)), Self.isPlain(head)
        else { return nil }
        let headers = head.headers
        guard !Authenticator.credentialHeaders.contains(where: { headers.contains(name: $0.rawName) }),
            headers["content-length"].allSatisfy({ $0 == "0" })
        else { return nil }
        return showId
    }

    /// Whether `head` is a request the fast lane may answer at all: HTTP/1.1 that keeps its connection as it is —
    /// no upgrade, no chunked body, no `Connection: close` (those are the router's to handle).
    static func isPlain(_ head: HTTPRequestHead) -> Bool {
        let headers = head.headers
        return head.version == .http1_1 && !headers.contains(name: "upgrade") && !headers.contains(name: "transfer-encoding")
            && !headers["connection"].contains(where: { $0.lowercased().contains("close") })
    }

    /// Takes a read from the client address's share, as the router does for an anonymous read; false when it is
    /// spent (a refused take costs nothing, so the router refuses it the same way and answers 429).
    func allowsRead(from address: SocketAddress?) -> Bool {
        !limits.enabled || RateLimitMiddleware.addressWait(limits: limits, limiter: limiter, reads: true, address: address, now: clock.now()) == 0
    }

    /// A UUID in its 8-4-4-4-12 hex form, either case (Foundation's parser goes through `sscanf`).
    static func uuid(_ text: Substring.UTF8View) -> UUID? {
        guard text.count == 36 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        var high: UInt8?
        for (offset, char) in text.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard char == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = char - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes.withUnsafeBytes { raw in UUID(uuid: raw.loadUnaligned(as: uuid_t.self)) }
    }

    /// The head the router would send with `bodyBytes` of seat map, as bytes.
    func responseHead(requestId: String, bodyBytes: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        Self.responseHead(.ok, requestId: requestId, bodyBytes: bodyBytes, date: dates.now(), serverName: serverName, allocator: allocator)
    }

    /// The head the router sends with `bodyBytes` of JSON and `status`, as bytes. Every value in it is safe as it is:
    /// the request id is a plain token (`RequestIds`), the rest is ours.
    static func responseHead(
        _ status: HTTPResponse.Status, requestId: String, bodyBytes: Int, date: String, serverName: String, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var head = allocator.buffer(capacity: 192)
        head.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ")
        head.writeString(String(bodyBytes))
        head.writeString("\r\nX-Request-Id: ")
        head.writeString(requestId)
        head.writeString("\r\nDate: ")
        head.writeString(date)
        head.writeString("\r\nServer: ")
        head.writeString(serverName)
        head.writeString("\r\n\r\n")
        return head
    }

    /// The metrics an answered read counts in (made at first use, after the metrics system is set up).
    func okInstruments() -> RequestInstruments.Instruments {
        instruments.instruments(route: Self.route, method: .get, status: .ok)
    }

    func recordAnswer(startedAt started: UInt64, in instruments: RequestInstruments.Instruments) {
        answered.add(1, ordering: .relaxed)
        instruments.record(nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
    }
}

/// Runs the seat-map checks of the fast lane's requests (`SeatSnapshots.runChecks()`) until shutdown.
struct SeatMapChecks: Service {
    let snapshots: SeatSnapshots

    func run() async throws {
        await cancelWhenGracefulShutdown { await snapshots.runChecks() }
    }
}
