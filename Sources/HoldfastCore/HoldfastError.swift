/// A domain error: a stable machine-readable `code`, a message for people, and the kind
/// that decides how an edge (HTTP, CLI) reports it.
public struct HoldfastError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidInput
        case unauthenticated
        case forbidden
        case notFound
        case conflict
        case gone
        case idempotencyMismatch
        case paymentRequired
        case payloadTooLarge
        case tooManyRequests
        case unavailable
        case internalFailure
    }

    public let kind: Kind
    public let code: String
    public let message: String
    /// Seats that caused a conflict, when the error is about seats.
    public let seatIds: [String]
    /// Whole seconds after which the same request may succeed (HTTP Retry-After).
    public let retryAfterSeconds: Int?

    public init(_ kind: Kind, code: String, message: String, seatIds: [String] = [], retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.seatIds = seatIds
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code): \(message)" }
}

extension HoldfastError {
    public static func invalid(_ message: String, code: String = "VALIDATION_FAILED") -> HoldfastError {
        HoldfastError(.invalidInput, code: code, message: message)
    }

    public static func notFound(_ what: String) -> HoldfastError {
        HoldfastError(.notFound, code: "NOT_FOUND", message: "\(what) not found")
    }

    public static func seatsUnavailable(_ seatIds: [String]) -> HoldfastError {
        HoldfastError(
            .conflict,
            code: "SEATS_UNAVAILABLE",
            message: "These seats are not available: \(seatIds.joined(separator: ", "))",
            seatIds: seatIds
        )
    }

    public static let holdExpired = HoldfastError(
        .gone, code: "HOLD_EXPIRED", message: "The hold has expired; its seats have been released")
    public static let holdNotActive = HoldfastError(
        .conflict, code: "HOLD_NOT_ACTIVE", message: "The hold is no longer active")
    public static let holdExtensionLimit = HoldfastError(
        .conflict, code: "HOLD_EXTENSION_LIMIT", message: "The hold cannot be extended any further")
    public static let orderExpired = HoldfastError(
        .gone, code: "ORDER_EXPIRED",
        message: "The payment window for this order has expired; its seats have been released")
    public static func orderNotPending(_ status: OrderStatus) -> HoldfastError {
        HoldfastError(.conflict, code: "ORDER_NOT_PENDING", message: "The order is \(status.rawValue)")
    }
    public static let cancellationNotAllowed = HoldfastError(
        .conflict, code: "CANCELLATION_NOT_ALLOWED", message: "This theatre does not allow cancellation")
    public static let showStarted = HoldfastError(
        .conflict, code: "SHOW_STARTED", message: "The show has already started")
    public static let showCancelled = HoldfastError(
        .conflict, code: "SHOW_CANCELLED", message: "The show has been cancelled")
    public static let unauthenticated = HoldfastError(
        .unauthenticated, code: "UNAUTHENTICATED",
        message: "Authentication required: send Authorization: Bearer <token>")
    public static let adminOnly = HoldfastError(
        .forbidden, code: "FORBIDDEN", message: "This route requires the admin role")
    public static let idempotencyKeyReused = HoldfastError(
        .idempotencyMismatch, code: "IDEMPOTENCY_KEY_REUSED",
        message: "This Idempotency-Key was already used with a different request")
    public static let idempotencyInProgress = HoldfastError(
        .conflict, code: "IDEMPOTENCY_IN_PROGRESS",
        message: "A request with this Idempotency-Key is still being processed; retry shortly")
    public static func ticketExists(_ key: String) -> HoldfastError {
        HoldfastError(.conflict, code: "TICKET_EXISTS", message: "A ticket with Theatre-Seat \(key) already exists")
    }
    public static func storeUnavailable(_ detail: String) -> HoldfastError {
        HoldfastError(.unavailable, code: "STORE_UNAVAILABLE", message: "The booking store is unavailable: \(detail)", retryAfterSeconds: 1)
    }
    public static func rateLimited(retryAfterSeconds: Int) -> HoldfastError {
        HoldfastError(
            .tooManyRequests, code: "RATE_LIMITED", message: "Too many requests; retry in \(retryAfterSeconds) s",
            retryAfterSeconds: retryAfterSeconds)
    }
}
