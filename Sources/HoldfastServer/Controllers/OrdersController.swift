import Foundation
import HoldfastCore
import HoldfastStore
import HoldfastWorkers
import Hummingbird
import Metrics

/// Orders: made from a live hold, paid, cancelled, listed. Only the buyer sees an order.
struct OrdersController {
    /// Made on first use, after the CLI has bootstrapped the metrics system.
    static let ordersCreated = Counter(label: "holdfast_orders_created_total")
    let booking: BookingService
    let payments: PaymentService
    let idempotency: IdempotencyGate
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("orders", use: create)
        router.get("orders", use: list)
        router.get("orders/:orderId", use: get)
        router.post("orders/:orderId/confirm-payment", use: confirmPayment)
        router.post("orders/:orderId/cancel", use: cancel)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireUser()
        let body = try await request.collectBody(limit: maxBodyBytes)
        return try await idempotency.run(request, body: body, identity: identity) {
            let input = try JSON.decode(CreateOrderRequest.self, from: body)
            let holdId = try RequestParameters.uuid(input.holdId, field: "holdId")
            let order = try await booking.createOrder(holdId: holdId, customer: input.customer, userId: identity.userId)
            Self.ordersCreated.increment()
            return try JSONReply(status: .created, OrderResponse(order, now: booking.clock.now()))
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let page = try RequestParameters.page(try request.queryParameters(allowed: ["page", "pageSize"]))
        let orders = try await booking.orders(userId: identity.userId, page: page)
        let now = booking.clock.now()
        return try JSONReply(PageReply("orders", orders) { OrderResponse($0, now: now) })
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let order = try await booking.order(try context.parameters.id("orderId"), userId: identity.userId)
        return try JSONReply(OrderResponse(order, now: booking.clock.now()))
    }

    @Sendable func confirmPayment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireUser()
        let orderId = try context.parameters.id("orderId")
        let body = try await request.collectBody(limit: maxBodyBytes)
        return try await idempotency.run(request, body: body, identity: identity) {
            let token = body.readableBytes == 0 ? SimulatedGateway.success : try JSON.decode(PayRequest.self, from: body).paymentToken
            switch try await payments.pay(orderId: orderId, userId: identity.userId, token: token) {
            case .confirmed(let order, let payment):
                return try JSONReply(OrderResponse(order, now: booking.clock.now(), payment: payment))
            case .processing(let order, let payment):
                return try JSONReply(status: .accepted, OrderResponse(order, now: booking.clock.now(), payment: payment))
            }
        }
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let order = try await booking.cancelOrder(try context.parameters.id("orderId"), userId: identity.userId)
        return try JSONReply(OrderResponse(order, now: booking.clock.now()))
    }
}
