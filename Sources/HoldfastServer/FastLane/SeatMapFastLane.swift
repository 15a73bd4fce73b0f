import Dispatch
import Foundation
import HoldfastStore
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Answers the busiest read — `GET /shows/{id}/seatmap` by a caller without identity — on the connection's
/// event loop, from the same never-stale `SeatSnapshots` check and the same encoded map as the router, without
/// the router's per-request task and middleware, and before the request is converted to HTTP types (which the
/// answer does not need; `SeatMapFastLane.Installer` puts it there). Everything else goes on untouched to the
/// router, which answers it as always: other requests, callers with credentials, a read while a routed request
/// on the connection is still answering (responses stay in order), and a read whose check failed, whose show is
/// missing or whose client is over its rate (the router's error answer is the one clients know).
final class SeatMapFastLane: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Answering {
        let head: HTTPRequestHead
        let requestId: String
        let started: UInt64
    }

    private static let heldPartsBeforePause = 16

    private let lane: SeatMapLane
    /// Requests handed to the router whose responses have not ended.
    private var routed = 0
    /// The read being answered here.
    private var answering: Answering?
    /// Whether parts of the answered request are still to arrive (they are dropped).
    private var inAnsweredRequest = false
    /// Parts of later requests that arrived while answering, taken in order afterwards.
    private var held: [HTTPServerRequestPart] = []
    /// Events that came after the held parts (the client closed its side), passed on after them.
    private var heldEvents: [Any] = []
    /// A read from the socket the pipeline asked for while too many parts were held; done once they are taken.
    private var readWhenAnswered = false

    /// This connection's handle on the answered reads' metrics.
    private var okInstruments: RequestInstruments.Instruments?
    /// Where the answer's bytes go: past NIO's HTTP encoder, straight towards the socket. The answer is always
    /// the same complete response with a Content-Length (the encoder keeps no state between such responses), and
    /// building it as bytes instead of HTTP types and then encoding it took a tenth of the lane's time per request.
    private var wire: ChannelHandlerContext?

    private func wire(_ context: ChannelHandlerContext) -> ChannelHandlerContext? {
        if wire == nil { wire = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) }
        return wire
    }

    init(lane: SeatMapLane) {
        self.lane = lane
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        take(unwrapInboundIn(data), context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), routed > 0 { routed -= 1 }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if answering == nil { context.fireUserInboundEventTriggered(event) } else { heldEvents.append(event) }
    }

    /// Reads go on while answering (stopping and restarting them cost two `epoll_ctl` calls a request); only a
    /// client that piles up pipelined requests meanwhile is not read from until they are taken.
    func read(context: ChannelHandlerContext) {
        if held.count < Self.heldPartsBeforePause { context.read() } else { readWhenAnswered = true }
    }

    private func take(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        if inAnsweredRequest {
            if case .end = part { inAnsweredRequest = false }
            return
        }
        if answering != nil {
            held.append(part)
            return
        }
        guard case .head(let head) = part, routed == 0, let showId = lane.showId(answering: head) else {
            if case .head = part { routed += 1 }
            context.fireChannelRead(wrapInboundOut(part))
            return
        }
        answering = Answering(head: head, requestId: lane.ids.id(given: head.headers.first(name: "x-request-id")), started: DispatchTime.now().uptimeNanoseconds)
        inAnsweredRequest = true
        let handler = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        lane.seatMaps.snapshots.current(showId) { result in
            handler.eventLoop.execute {
                let (handler, context) = handler.value
                handler.answer(result, context: context)
            }
        }
    }

    private func answer(_ result: Result<SeatSnapshot, any Error>, context: ChannelHandlerContext) {
        guard let request = answering else { return }
        answering = nil
        if case .success(let snapshot) = result, let body = try? lane.seatMaps.publicBody(snapshot), let wire = wire(context),
            lane.allowsRead(from: context.channel.remoteAddress)
        {
            if okInstruments == nil { okInstruments = lane.okInstruments() }
            // As the router's metrics do: timed until the response is ready.
            lane.recordAnswer(startedAt: request.started, in: okInstruments!)
            let head = lane.responseHead(requestId: request.requestId, bodyBytes: body.readableBytes, allocator: context.channel.allocator)
            wire.write(NIOAny(head), promise: nil)
            wire.writeAndFlush(NIOAny(body), promise: nil)
        } else {
            routed += 1
            context.fireChannelRead(wrapInboundOut(.head(request.head)))
            if inAnsweredRequest {
                inAnsweredRequest = false  // its end is still to come, and goes on like any part
            } else {
                context.fireChannelRead(wrapInboundOut(.end(nil)))
            }
        }
        while answering == nil, !held.isEmpty {
            take(held.removeFirst(), context: context)
        }
        context.fireChannelReadComplete()
        if answering == nil, !heldEvents.isEmpty {
            let events = heldEvents
            heldEvents = []
            for event in events { context.fireUserInboundEventTriggered(event) }
        }
        if held.count < Self.heldPartsBeforePause, readWhenAnswered {
            readWhenAnswered = false
            context.read()
        }
    }
}

extension SeatMapFastLane {
    /// Hummingbird adds extra handlers after the conversion of NIO's HTTP/1 parts to HTTP types; this one puts the
    /// lane just before that conversion instead, then leaves the pipeline. Without the conversion (another HTTP
    /// stack) it leaves without a lane, and the router answers everything.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = Never

        private let lane: SeatMapLane

        init(lane: SeatMapLane) {
            self.lane = lane
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let pipeline = context.pipeline.syncOperations
            if let conversion = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
                try? pipeline.addHandler(SeatMapFastLane(lane: lane), position: .before(conversion))
            }
            pipeline.removeHandler(context: context, promise: nil)
        }
    }
}
