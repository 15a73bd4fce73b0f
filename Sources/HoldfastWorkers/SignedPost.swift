import AsyncHTTPClient
import Foundation
import NIOCore

/// A POST signed the way every Holdfast webhook is: `Holdfast-Timestamp` and
/// `Holdfast-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. Throws unless answered 2xx.
enum SignedPost {
    static func send(
        _ body: [UInt8], to url: String, secret: String, at time: Date, extraHeaders: [(String, String)] = [],
        client: HTTPClient, timeout: TimeAmount
    ) async throws {
        let timestamp = String(Int(time.timeIntervalSince1970))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        request.headers.add(name: WebhookSubscriber.timestampHeader, value: timestamp)
        request.headers.add(name: WebhookSubscriber.signatureHeader, value: "v1=" + WebhookSubscriber.signature(secret: secret, timestamp: timestamp, body: body))
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else { throw WebhookError(message: "\(url) answered \(response.status.code)") }
    }
}
