import Foundation
import HoldfastCore
import Hummingbird
import NIOCore

/// How many requests a caller may make, per route class, counted per user and per client address.
public struct RateLimits: Sendable, Equatable {
    public var enabled: Bool
    public var userReadsPerSecond: Double
    public var userWritesPerSecond: Double
    public var addressReadsPerSecond: Double
    public var addressWritesPerSecond: Double

    /// Defaults leave room for a person clicking fast and for a busy shared address (an office NAT).
    public init(
        enabled: Bool = true, userReadsPerSecond: Double = 50, userWritesPerSecond: Double = 10,
        addressReadsPerSecond: Double = 2_000, addressWritesPerSecond: Double = 1_000
    ) {
        self.enabled = enabled
        self.userReadsPerSecond = userReadsPerSecond
        self.userWritesPerSecond = userWritesPerSecond
        self.addressReadsPerSecond = addressReadsPerSecond
        self.addressWritesPerSecond = addressWritesPerSecond
    }

    public static let off = RateLimits(enabled: false)
}

/// Answers 429 with Retry-After when a user or a client address goes past its share of a route class
/// (reads: GET and HEAD; writes: everything else). Probes, static files and the signed server-to-server
/// callbacks (payment gateway, PMS) are not counted; admins are counted only by address.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limits: RateLimits
    let limiter: RateLimiter
    let clock: any BookingClock

    private static let exemptPrefixes = ["/health", "/ready", "/metrics", "/static/", "/payments/webhook", "/pms/"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard limits.enabled, !Self.exemptPrefixes.contains(where: { request.uri.path.hasPrefix($0) }) else {
            return try await next(request, context)
        }
        let reads = request.method == .get || request.method == .head
        let wait = Self.wait(limits: limits, limiter: limiter, reads: reads, identity: context.identity, address: context.remoteAddress, now: clock.now())
        guard wait == 0 else { throw HoldfastError.rateLimited(retryAfterSeconds: max(1, Int(wait.rounded(.up)))) }
        return try await next(request, context)
    }

    /// Takes a request from the caller's share and then from its address's; how long it should have waited (0: allowed).
    static func wait(limits: RateLimits, limiter: RateLimiter, reads: Bool, identity: Identity?, address: SocketAddress?, now: Date) -> TimeInterval {
        if let identity, identity.role != .admin {
            let rule = RateLimiter.Rule(perSecond: reads ? limits.userReadsPerSecond : limits.userWritesPerSecond)
            let wait = limiter.take("\(reads ? "r" : "w"):u:\(identity.userId)", rule: rule, now: now) ?? 0
            if wait > 0 { return wait }
        }
        return addressWait(limits: limits, limiter: limiter, reads: reads, address: address, now: now)
    }

    /// Takes a request from the client address's share; how long it should have waited (0: allowed).
    static func addressWait(limits: RateLimits, limiter: RateLimiter, reads: Bool, address: SocketAddress?, now: Date) -> TimeInterval {
        let rule = RateLimiter.Rule(perSecond: reads ? limits.addressReadsPerSecond : limits.addressWritesPerSecond)
        return limiter.take("\(reads ? "r" : "w"):a:\(address?.ipAddress ?? "unknown")", rule: rule, now: now) ?? 0
    }
}
