import Foundation
import HoldfastWorkers
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A local HTTP endpoint that records what it receives and fails the first `failures` requests.
actor WebhookReceiver {
    struct Received: Sendable {
        let eventId: String
        let type: String
        let timestamp: String
        let signature: String
        let body: [UInt8]
    }

    private(set) var received: [Received] = []
    private var failuresLeft: Int

    init(failures: Int = 0) { failuresLeft = failures }

    func setFailures(_ count: Int) { failuresLeft = count }

    func record(_ request: Request, body: ByteBuffer) -> HTTPResponse.Status {
        if failuresLeft > 0 {
            failuresLeft -= 1
            return .serviceUnavailable
        }
        received.append(
            Received(
                eventId: request.headers[HTTPField.Name(WebhookSubscriber.eventIdHeader)!] ?? "",
                type: request.headers[HTTPField.Name(WebhookSubscriber.eventTypeHeader)!] ?? "",
                timestamp: request.headers[HTTPField.Name(WebhookSubscriber.timestampHeader)!] ?? "",
                signature: request.headers[HTTPField.Name(WebhookSubscriber.signatureHeader)!] ?? "",
                body: Array(buffer: body)))
        return .ok
    }

    /// Serves on a free loopback port while `body` runs with the endpoint's URL.
    func serve(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            return Response(status: await self.record(request, body: bytes))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook")
        }
    }
}
