import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One virtual user's keep-alive HTTP/1.1 connection: one request at a time, answered with its status and body.
/// A buyer's browser keeps one connection too; and the load generator, sharing the machine it measures, spends
/// a fraction of what a pooled client's bookkeeping costs per request. Reconnects when the server closed it.
final class BenchConnection: Sendable {
    struct Answer: Sendable {
        let status: Int
        let body: ByteBuffer
        /// False when the server said it closes the connection after this answer.
        let keepAlive: Bool
    }

    private let host: String
    private let port: Int
    private let channel = Mutex<(any Channel)?>(nil)

    /// For `http://host:port` addresses only; nil for anything else (the pooled client serves those).
    init?(base: String) {
        guard let url = URL(string: base), url.scheme == "http", let host = url.host, url.path.isEmpty || url.path == "/" else { return nil }
        self.host = host
        self.port = url.port ?? 80
    }

    func send(_ method: HTTPMethod, _ path: String, authorization: String, json: [UInt8]?) async throws -> Answer {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        head.headers.add(name: "Authorization", value: authorization)
        var body: ByteBuffer?
        if let json {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(json.count))
            body = ByteBuffer(bytes: json)
        } else if method == .POST {
            head.headers.add(name: "Content-Length", value: "0")
        }
        let channel = try await open()
        let promise = channel.eventLoop.makePromise(of: Answer.self)
        channel.writeAndFlush(AnswerCollector.Request(head: head, body: body, answer: promise), promise: nil)
        do {
            let answer = try await promise.futureResult.get()
            if !answer.keepAlive { forget(channel) }
            return answer
        } catch {
            forget(channel)
            throw error
        }
    }

    func close() async {
        let open = self.channel.withLock { channel in
            defer { channel = nil }
            return channel
        }
        try? await open?.close()
    }

    private func open() async throws -> any Channel {
        if let channel = channel.withLock({ $0 }), channel.isActive { return channel }
        let fresh = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(AnswerCollector())
                }
            }
            .connect(host: host, port: port).get()
        let replaced = channel.withLock { channel in
            defer { channel = fresh }
            return channel
        }
        try? await replaced?.close()
        return fresh
    }

    private func forget(_ broken: any Channel) {
        channel.withLock { channel in
            if channel === broken { channel = nil }
        }
        broken.close(promise: nil)
    }
}

/// Writes a request and completes its promise with the answer once the whole response has arrived; a connection
/// that fails or closes fails the request in flight.
private final class AnswerCollector: ChannelDuplexHandler {
    struct Request: Sendable {
        let head: HTTPRequestHead
        let body: ByteBuffer?
        let answer: EventLoopPromise<BenchConnection.Answer>
    }

    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Request
    typealias OutboundOut = HTTPClientRequestPart

    private var waiting: EventLoopPromise<BenchConnection.Answer>?
    private var status = 0
    private var keepAlive = true
    private var body = ByteBuffer()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard waiting == nil else {
            request.answer.fail(ChannelError.inappropriateOperationForState)
            return
        }
        waiting = request.answer
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            let answer = BenchConnection.Answer(status: status, body: body, keepAlive: keepAlive)
            body = ByteBuffer()
            waiting.take()?.succeed(answer)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        waiting.take()?.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        waiting.take()?.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
