import HoldfastCore

/// Everything the HTTP server needs to know, already read and checked by the CLI.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Accepts the seed's `x-user-id` header as identity. Never in production.
    public var devMode: Bool
    /// HS256 secret for bearer tokens.
    public var jwtSecret: String
    public var policy: BookingPolicy
    /// Requests with a larger body are refused with 413.
    public var maxBodyBytes: Int
    /// How long an unfinished Idempotency-Key stays locked before a retry may run the request again.
    public var idempotencyLockSeconds: Double
    /// HMAC secret the payment gateway signs its webhooks with.
    public var paymentWebhookSecret: String
    /// How long confirm-payment waits for the gateway before answering 202 (the webhook settles it).
    public var paymentTimeout: Duration
    /// A call nobody answers within this many seconds is missed.
    public var callRingTimeout: Double = 30
    /// Requests per second per user and per client address; tests and benchmarks turn them off.
    public var rateLimits = RateLimits()

    public init(
        host: String = "127.0.0.1", port: Int = 8080, devMode: Bool = true, jwtSecret: String,
        policy: BookingPolicy = BookingPolicy(), maxBodyBytes: Int = 64 * 1024, idempotencyLockSeconds: Double = 30,
        paymentWebhookSecret: String = "holdfast-development-payment-webhook-secret", paymentTimeout: Duration = .seconds(5)
    ) {
        self.paymentWebhookSecret = paymentWebhookSecret
        self.paymentTimeout = paymentTimeout
        self.host = host
        self.port = port
        self.devMode = devMode
        self.jwtSecret = jwtSecret
        self.policy = policy
        self.maxBodyBytes = maxBodyBytes
        self.idempotencyLockSeconds = idempotencyLockSeconds
    }
}
