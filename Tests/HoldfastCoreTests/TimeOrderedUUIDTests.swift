import Foundation
@testable import HoldfastCore
import Testing

@Suite struct TimeOrderedUUIDTests {
    @Test func theLayoutIsVersion7WithTheMillisecondsFirst() {
        // 2026-11-24T10:00:00Z and 1/2048 s (0.48828125 ms: 2000/4096 of the millisecond); checked with Python's fractions.
        let time = Date(timeIntervalSince1970: 1_795_514_400 + 1.0 / 2048)
        let id = UUID(timeOrderedAt: time, randomBits: 0xFFFF_FFFF_FFFF_FFFF)
        #expect(id.uuidString == "01A20CFF-7D00-77D0-BFFF-FFFFFFFFFFFF")
        let bytes = id.uuid
        #expect(bytes.6 >> 4 == 7, "version 7")
        #expect(bytes.8 >> 6 == 0b10, "RFC 9562 variant")
    }

    @Test func laterIdsSortLaterAndIdsOfOneInstantDiffer() {
        let start = Date(timeIntervalSince1970: 1_795_514_400)
        let ids = (0..<2_000).map { UUID(timeOrderedAt: start.addingTimeInterval(Double($0) * 0.000_3)) }
        #expect(ids.map(\.uuidString) == ids.map(\.uuidString).sorted(), "as text, the way both stores index them")
        #expect(Set((0..<1_000).map { _ in UUID(timeOrderedAt: start) }).count == 1_000)
        #expect(UUID(timeOrderedAt: .distantPast).uuidString.hasPrefix("00000000-0000-7"))
    }
}
