import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct ConversationTests {
    static let driver = Speaker(userId: "driver-7", isAdmin: false)
    static let passenger = Speaker(userId: "pax-3", isAdmin: false)
    static let stranger = Speaker(userId: "mallory", isAdmin: false)
    static let staff = Speaker(userId: "ops", isAdmin: true)

    static func ride(_ stores: any HoldfastStores, clock: ManualBookingClock) async throws -> ConversationService {
        let service = ConversationService(stores: stores, clock: clock, ringTimeout: 30)
        _ = try await service.register(code: "RIDE-1001", participants: [
            Participant(userId: driver.userId, role: "driver"), Participant(userId: passenger.userId, role: "passenger"),
        ])
        return service
    }

    @Test(arguments: StoreBackend.available)
    func participantsTalkOthersCannotAndPagesStayStableWhileMessagesArrive(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let clock = ManualBookingClock()
            let service = try await Self.ride(stores, clock: clock)
            await #expect(performing: {
                try await service.register(code: "RIDE-1001", participants: [Participant(userId: "x", role: "driver"), Participant(userId: "y", role: "passenger")])
            }, throws: { code(of: $0) == "CONVERSATION_EXISTS" })
            for index in 1...25 {
                let speaker = index % 2 == 0 ? Self.passenger : Self.driver
                let message = try await service.send("RIDE-1001", speaker: speaker, text: "message \(index)", type: .text)
                #expect(message.seq == Int64(index) && message.senderRole == (index % 2 == 0 ? "passenger" : "driver"))
            }
            await #expect(performing: { try await service.send("RIDE-1001", speaker: Self.stranger, text: "hi", type: .text) },
                          throws: { code(of: $0) == "CONVERSATION_NOT_FOUND" })
            await #expect(performing: { try await service.history("RIDE-1001", speaker: Self.stranger, before: nil, types: nil, limit: nil) },
                          throws: { code(of: $0) == "CONVERSATION_NOT_FOUND" })
            await #expect(performing: { try await service.send("RIDE-1001", speaker: Self.driver, text: "x", type: .system) },
                          throws: { code(of: $0) == "FORBIDDEN" })
            await #expect(throws: HoldfastError.self) { try await service.send("RIDE-1001", speaker: Self.driver, text: "  ", type: .text) }
            await #expect(throws: HoldfastError.self) { try await service.history("RIDE-1001", speaker: Self.driver, before: nil, types: nil, limit: 101) }

            // Page through newest first while new messages keep arriving: every message once, none skipped.
            var seen: [Int64] = []
            var before: Int64?
            repeat {
                let page = try await service.history("RIDE-1001", speaker: Self.passenger, before: before, types: nil, limit: 10)
                seen += page.map(\.seq)
                before = page.last?.seq
                _ = try await service.send("RIDE-1001", speaker: Self.driver, text: "meanwhile", type: .text)
                if page.count < 10 { break }
            } while true
            #expect(seen == Array((1...25).reversed()))

            // Staff join as support; their system notices are filtered by type.
            let notice = try await service.send("RIDE-1001", speaker: Self.staff, text: "Driver is 2 minutes away", type: .system)
            #expect(notice.senderRole == "support")
            let system = try await service.history("RIDE-1001", speaker: Self.driver, before: nil, types: [.system], limit: 10)
            #expect(system.map(\.text) == ["Driver is 2 minutes away"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aCallRingsConnectsEndsWithItsDurationAndRefusesWhatCannotHappen(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let clock = ManualBookingClock()
            let service = try await Self.ride(stores, clock: clock)
            let (ringing, _) = try await service.call("RIDE-1001", speaker: Self.driver, action: .initiate, callId: nil, callee: nil)
            #expect(ringing.state == .ringing && ringing.calleeId == Self.passenger.userId)
            await #expect(performing: { try await service.call("RIDE-1001", speaker: Self.passenger, action: .initiate, callId: nil, callee: nil) },
                          throws: { code(of: $0) == "CALL_IN_PROGRESS" })
            await #expect(performing: { try await service.call("RIDE-1001", speaker: Self.driver, action: .accept, callId: ringing.callId, callee: nil) },
                          throws: { code(of: $0) == "INVALID_CALL_TRANSITION" })
            clock.advance(by: 5)
            let (connected, _) = try await service.call("RIDE-1001", speaker: Self.passenger, action: .accept, callId: ringing.callId, callee: nil)
            #expect(connected.state == .connected)
            clock.advance(by: 90)
            let (ended, message) = try await service.call("RIDE-1001", speaker: Self.passenger, action: .end, callId: ringing.callId, callee: nil)
            #expect(ended.state == .ended && ended.durationSeconds == 90 && message.text == "Call ended after 90 s")
            await #expect(performing: { try await service.call("RIDE-1001", speaker: Self.driver, action: .end, callId: ringing.callId, callee: nil) },
                          throws: { code(of: $0) == "INVALID_CALL_TRANSITION" })
            let calls = try await service.history("RIDE-1001", speaker: Self.driver, before: nil, types: [.call], limit: 10)
            #expect(calls.map(\.text) == ["Call ended after 90 s", "Call connected", "Call started"])

            // Declined, then a call nobody answers is missed once the ring timeout passes.
            let (second, _) = try await service.call("RIDE-1001", speaker: Self.passenger, action: .initiate, callId: nil, callee: nil)
            #expect(try await service.call("RIDE-1001", speaker: Self.driver, action: .reject, callId: second.callId, callee: nil).0.state == .rejected)
            let (third, _) = try await service.call("RIDE-1001", speaker: Self.driver, action: .initiate, callId: nil, callee: nil)
            clock.advance(by: 31)
            #expect(try await service.sweepMissedCalls() == 1)
            #expect(try await service.sweepMissedCalls() == 0)
            #expect(try await stores.call(third.callId)?.state == .missed)
            await #expect(performing: { try await service.call("RIDE-1001", speaker: Self.passenger, action: .accept, callId: third.callId, callee: nil) },
                          throws: { code(of: $0) == "INVALID_CALL_TRANSITION" })
            await #expect(performing: { try await service.call("RIDE-1001", speaker: Self.stranger, action: .initiate, callId: nil, callee: nil) },
                          throws: { code(of: $0) == "CONVERSATION_NOT_FOUND" })
        }
    }

    @Test(arguments: StoreBackend.available)
    func aBookingsOwnerOpensItsConversationAndNobodyElseCan(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["C3"], by: "alice")
            let paid = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice")
            let ticket = try #require(paid.ticketCode)
            let service = ConversationService(stores: fixture.stores, clock: fixture.clock)
            await #expect(performing: { try await service.send(ticket, speaker: Speaker(userId: "bob", isAdmin: false), text: "hi", type: .text) },
                          throws: { code(of: $0) == "CONVERSATION_NOT_FOUND" })
            let hello = try await service.send(ticket, speaker: Speaker(userId: "alice", isAdmin: false), text: "Is there parking?", type: .text)
            #expect(hello.senderRole == "customer" && hello.seq == 1)
            let reply = try await service.send(ticket, speaker: Self.staff, text: "Yes, level B2", type: .text)
            #expect(reply.senderRole == "support")
            await #expect(performing: { try await service.send("BMS-NOPE", speaker: Self.staff, text: "x", type: .text) },
                          throws: { code(of: $0) == "CONVERSATION_NOT_FOUND" })

            let hotel = try await HotelFixture.make(fixture.stores, rooms: 1)
            let stay = try await hotel.service.book(userId: "alice", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(0, 1), rooms: 1, guests: 1, guest: .test)
            let guest = try await service.send(stay.bookingId.uuidString, speaker: Speaker(userId: "alice", isAdmin: false), text: "Late check-in", type: .text)
            #expect(guest.senderRole == "guest")
        }
    }
}

@Suite struct LiveMessageFeedTests {
    @Test(arguments: StoreBackend.available)
    func everyHandleHearsWhatAnotherCommitsInOrder(_ backend: StoreBackend) async throws {
        try await backend.withSharedStores(count: 2) { handles in
            let service = try await ConversationTests.ride(handles[0], clock: ManualBookingClock())
            guard handles[1].sharesLiveMessages else {
                #expect(backend == .sqlite, "only the embedded store leaves live publishing to its one process")
                return
            }
            let heard = HeardMessages()
            let follower = Task { try await handles[1].followMessages { code, seq in await heard.add(code, seq) } }
            defer { follower.cancel() }
            // LISTEN takes effect once the follower's connection is set up: send until the first message is heard
            // (a busy machine may take a while), then two more, which must follow in order.
            var sent = 0
            let listening = ContinuousClock.now + .seconds(30)
            while await heard.all.isEmpty, ContinuousClock.now < listening {
                sent += 1
                _ = try await service.send("RIDE-1001", speaker: ConversationTests.driver, text: "m\(sent)", type: .text)
                try await Task.sleep(for: .milliseconds(200))
            }
            for _ in 1...2 {
                sent += 1
                _ = try await service.send("RIDE-1001", speaker: ConversationTests.driver, text: "m\(sent)", type: .text)
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while await heard.all.last?.seq != Int64(sent), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let all = await heard.all
            let first = all.first?.seq ?? 0
            #expect(!all.isEmpty && all.map(\.seq) == Array(first...Int64(sent)) && all.allSatisfy { $0.code == "RIDE-1001" })
            #expect(try await handles[1].message(bookingCode: "RIDE-1001", seq: 2)?.text == "m2")
        }
    }
}

actor HeardMessages {
    private(set) var all: [(code: String, seq: Int64)] = []
    func add(_ code: String, _ seq: Int64) { all.append((code, seq)) }
}
