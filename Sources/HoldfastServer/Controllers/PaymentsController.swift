import Foundation
import HoldfastCore
import HoldfastStore
import HoldfastWorkers
import HTTPTypes
import Hummingbird

/// The payment gateway's webhook: signed with the shared secret over "<timestamp>.<body>", accepted
/// within five minutes of its timestamp, applied once (replays answer 200 and change nothing).
struct PaymentsController {
    static let tolerance: TimeInterval = 300

    let payments: PaymentService
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("payments/webhook", use: webhook)
    }

    @Sendable func webhook(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let body = try await request.collectBody(limit: maxBodyBytes)
        guard let timestamp = request.headers[HTTPField.Name(WebhookSubscriber.timestampHeader)!],
            let signature = request.headers[HTTPField.Name(WebhookSubscriber.signatureHeader)!],
            let seconds = Double(timestamp),
            abs(payments.clock.now().timeIntervalSince1970 - seconds) <= Self.tolerance,
            Self.constantTimeEquals(
                signature, "v1=" + WebhookSubscriber.signature(secret: payments.webhookSecret, timestamp: timestamp, body: Array(buffer: body)))
        else { throw HoldfastError.badWebhookSignature }
        let input = try JSON.decode(PaymentWebhook.self, from: body)
        guard let result = input.result else { throw HoldfastError.invalid("status must be succeeded or declined") }
        let (payment, order) = try await payments.settle(paymentId: input.paymentId, result: result)
        return try JSONReply(WebhookAnswer(paymentId: payment.paymentId, paymentStatus: payment.status, orderId: order.orderId, orderStatus: order.status))
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

struct WebhookAnswer: Encodable {
    let paymentId: UUID
    let paymentStatus: PaymentStatus
    let orderId: UUID
    let orderStatus: OrderStatus
}
