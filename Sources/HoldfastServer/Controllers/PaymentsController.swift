import Foundation
import HoldfastCore
import HoldfastStore
import HoldfastWorkers
import HTTPTypes
import Hummingbird

/// The payment gateway's webhook: signed with the shared secret over "<timestamp>.<body>", accepted
/// within five minutes of its timestamp (`SignedRequest`), applied once (replays answer 200 and change nothing).
struct PaymentsController {
    let payments: PaymentService
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("payments/webhook", use: webhook)
    }

    @Sendable func webhook(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let body = try await request.collectBody(limit: maxBodyBytes)
        try SignedRequest.verify(request, body: body, secret: payments.webhookSecret, now: payments.clock.now())
        let input = try JSON.decode(PaymentWebhook.self, from: body)
        guard let result = input.result else { throw HoldfastError.invalid("status must be succeeded or declined") }
        let (payment, order) = try await payments.settle(paymentId: input.paymentId, result: result)
        return try JSONReply(WebhookAnswer(paymentId: payment.paymentId, paymentStatus: payment.status, orderId: order.orderId, orderStatus: order.status))
    }
}

struct WebhookAnswer: Encodable {
    let paymentId: UUID
    let paymentStatus: PaymentStatus
    let orderId: UUID
    let orderStatus: OrderStatus
}
