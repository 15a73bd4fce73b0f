import Foundation
import HoldfastCore
import HoldfastWorkers
import HTTPTypes
import Hummingbird

/// Checks an inbound call signed the way Holdfast signs its own webhooks: `Holdfast-Signature: v1=<hex
/// HMAC-SHA256(secret, "<timestamp>.<body>")>` with `Holdfast-Timestamp` within five minutes of now.
enum SignedRequest {
    static let tolerance: TimeInterval = 300

    static func verify(_ request: Request, body: ByteBuffer, secret: String, now: Date) throws {
        guard let timestamp = request.headers[HTTPField.Name(WebhookSubscriber.timestampHeader)!],
            let signature = request.headers[HTTPField.Name(WebhookSubscriber.signatureHeader)!],
            let seconds = Double(timestamp),
            abs(now.timeIntervalSince1970 - seconds) <= tolerance,
            constantTimeEquals(signature, "v1=" + WebhookSubscriber.signature(secret: secret, timestamp: timestamp, body: Array(buffer: body)))
        else { throw HoldfastError.badWebhookSignature }
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
