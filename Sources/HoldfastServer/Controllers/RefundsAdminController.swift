import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Money that bought nothing, for an admin: refunds by status (FAILED ones wait for a person), a retry, and
/// payments the gateway never answered.
struct RefundsAdminController {
    let stores: any HoldfastStores
    let clock: any BookingClock

    func addRoutes(to router: Router<AppRequestContext>) {
        let admin = router.group("admin").add(middleware: RequireAdminMiddleware())
        admin.get("refunds", use: refunds)
        admin.post("refunds/:refundId/retry", use: retry)
        admin.get("payments/stuck", use: stuckPayments)
    }

    /// A payment without its gateway token.
    struct StuckPayment: Encodable {
        let paymentId: UUID
        let orderId: UUID
        let userId: String
        let amount: Money
        let status: PaymentStatus
        let createdAt: Date
    }

    @Sendable func refunds(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: ["status", "page", "pageSize"])
        guard let status = RefundStatus(rawValue: query["status"] ?? RefundStatus.failed.rawValue) else {
            throw HoldfastError.invalid("status is one of \(RefundStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let page = try await stores.refunds(status: status, page: try RequestParameters.page(query))
        return try JSONReply(PageReply("refunds", page))
    }

    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        try JSONReply(try await stores.retryRefund(try context.parameters.id("refundId"), now: clock.now()))
    }

    @Sendable func stuckPayments(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: ["olderThanMinutes"])
        let minutes = try RequestParameters.int(query["olderThanMinutes"], field: "olderThanMinutes", range: 1...10_080) ?? 15
        let payments = try await stores.stuckPayments(before: clock.now().addingTimeInterval(-Double(minutes) * 60), limit: 100)
        return try JSONReply(["payments": payments.map {
            StuckPayment(paymentId: $0.paymentId, orderId: $0.orderId, userId: $0.userId, amount: $0.amount, status: $0.status, createdAt: $0.createdAt)
        }])
    }
}
