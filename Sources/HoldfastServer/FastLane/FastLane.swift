import Dispatch
import Foundation
import HoldfastCore
import HoldfastStore
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Answers what a crowd sends most on the connection's event loop, without the router's per-request task and
/// middleware, and before the request is converted to HTTP types (which the answer does not need;
/// `FastLane.Installer` puts it there): `GET /shows/{id}/seatmap` by a caller without identity, from the same
/// never-stale `SeatSnapshots` check and the same encoded map as the router (`SeatMapLane`), and a hold the same
/// check refuses — seats someone else has, no block left — with the router's refusal (`HoldLane`). Everything else
/// goes on untouched to the router, which answers it as always: other requests, a hold the snapshot does not refuse
/// (it is written as always), callers the lane cannot judge, a request while a routed one on the connection is still
/// answering (responses stay in order), and one whose check failed, whose show is missing or whose client is over
/// its rate (the router's error answer is the one clients know).
final class FastLane: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Answering {
        var head: HTTPRequestHead
        let requestId: String
        let started: UInt64
        /// A hold's body (nil for a read); the hold is judged at its end.
        var body: ByteBuffer?
    }

    private static let heldPartsBeforePause = 16

    private let lane: SeatMapLane
    private let holds: HoldLane
    /// Requests handed to the router whose responses have not ended.
    private var routed = 0
    /// The request being answered here.
    private var answering: Answering?
    /// Whether parts of the answered request are still to arrive: a read's are dropped, a hold's body is kept.
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
    /// a complete response with a Content-Length (the encoder keeps no state between such responses), and
    /// building it as bytes instead of HTTP types and then encoding it took a tenth of the lane's time per request.
    private var wire: ChannelHandlerContext?

    private func wire(_ context: ChannelHandlerContext) -> ChannelHandlerContext? {
        if wire == nil { wire = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) }
        return wire
    }

    init(lane: SeatMapLane, holds: HoldLane) {
        self.lane = lane
        self.holds = holds
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
            finishReading(part, context: context)
            return
        }
        if answering != nil {
            held.append(part)
            return
        }
        guard case .head(let head) = part, routed == 0 else {
            if case .head = part { routed += 1 }
            context.fireChannelRead(wrapInboundOut(part))
            return
        }
        let started = DispatchTime.now().uptimeNanoseconds
        if let showId = lane.showId(answering: head) {
            answering = Answering(head: head, requestId: requestId(of: head), started: started)
            inAnsweredRequest = true
            checking(showId, context: context) { handler, result, context in handler.answerRead(result, context: context) }
        } else if holds.mayAnswer(head) {
            answering = Answering(head: head, requestId: requestId(of: head), started: started, body: context.channel.allocator.buffer(capacity: 256))
            inAnsweredRequest = true
        } else {
            routed += 1
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    private func requestId(of head: HTTPRequestHead) -> String {
        lane.ids.id(given: head.headers.first(name: "x-request-id"))
    }

    /// The rest of the request being answered: a read's is dropped; a hold's body is kept, and the hold judged at its end.
    private func finishReading(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        guard answering?.body != nil else {
            if case .end = part { inAnsweredRequest = false }
            return
        }
        switch part {
        case .head:
            held.append(part)  // not before the end of the one before: NIO's decoder sends a request's parts in order
        case .body(var bytes):
            // No more than its Content-Length (NIO's decoder holds it to it), which `mayAnswer` bounded.
            answering!.body!.writeBuffer(&bytes)
        case .end:
            inAnsweredRequest = false
            let request = answering!
            guard let ask = holds.ask(request.head, body: request.body!) else {
                answerHold(nil, context: context)
                return
            }
            let arrived = ContinuousClock.now
            checking(ask.hold.showId, context: context) { handler, result, context in
                guard let snapshot = try? result.get() else {
                    handler.answerHold(nil, context: context)
                    return
                }
                handler.answerHold(handler.holds.refusal(ask, in: snapshot, from: context.channel.remoteAddress), checkedSince: arrived, context: context)
            }
        }
    }

    /// Asks for the show's snapshot (a check that starts now) and goes on with `then` on this connection's event loop.
    private func checking(
        _ showId: UUID, context: ChannelHandlerContext,
        then: @escaping (FastLane, Result<SeatSnapshot, any Error>, ChannelHandlerContext) -> Void
    ) {
        let handler = NIOLoopBound((self, context, then), eventLoop: context.eventLoop)
        lane.seatMaps.snapshots.current(showId) { result in
            handler.eventLoop.execute {
                let (handler, context, then) = handler.value
                then(handler, result, context)
            }
        }
    }

    private func answerRead(_ result: Result<SeatSnapshot, any Error>, context: ChannelHandlerContext) {
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
            route(request, ended: !inAnsweredRequest, context: context)
            inAnsweredRequest = false  // the rest of its parts, if any, go on like any part
        }
        resume(context: context)
    }

    /// Answers the hold being answered with `refusal`, or hands it to the router — marked with its arrival when a check
    /// started since (`checkedSince`), so the route writes it from that check's snapshot or a newer one.
    private func answerHold(_ refusal: HoldfastError?, checkedSince arrived: ContinuousClock.Instant? = nil, context: ChannelHandlerContext) {
        guard var request = answering else { return }
        answering = nil
        if let refusal, let wire = wire(context) {
            let (head, body) = holds.response(refusal, requestId: request.requestId, allocator: context.channel.allocator)
            holds.recordAnswer(ErrorRendering.status(of: refusal.kind), startedAt: request.started)
            wire.write(NIOAny(head), promise: nil)
            wire.writeAndFlush(NIOAny(body), promise: nil)
        } else {
            if let arrived { request.head.headers.replaceOrAdd(name: HoldLane.arrivalHeader.rawName, value: holds.arrivalMark(arrived)) }
            route(request, ended: true, context: context)
        }
        resume(context: context)
    }

    /// Hands `request` to the router: its head, the body read so far and, when it `ended`, its end.
    private func route(_ request: Answering, ended: Bool, context: ChannelHandlerContext) {
        routed += 1
        context.fireChannelRead(wrapInboundOut(.head(request.head)))
        if let body = request.body, body.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(.body(body))) }
        if ended { context.fireChannelRead(wrapInboundOut(.end(nil))) }
    }

    /// After an answer: the parts that waited for it, then the events, then reading again if it was paused.
    private func resume(context: ChannelHandlerContext) {
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

extension FastLane {
    /// Hummingbird adds extra handlers after the conversion of NIO's HTTP/1 parts to HTTP types; this one puts the
    /// lane just before that conversion instead, then leaves the pipeline. Without the conversion (another HTTP
    /// stack) it leaves without a lane, and the router answers everything.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = Never

        private let lane: SeatMapLane
        private let holds: HoldLane

        init(lane: SeatMapLane, holds: HoldLane) {
            self.lane = lane
            self.holds = holds
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let pipeline = context.pipeline.syncOperations
            if let conversion = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
                try? pipeline.addHandler(FastLane(lane: lane, holds: holds), position: .before(conversion))
            }
            pipeline.removeHandler(context: context, promise: nil)
        }
    }
}
