import Foundation
import HoldfastCore
@testable import HoldfastServer
import Testing

/// Error bodies are written without `JSONEncoder`, byte for byte as it would write them.
@Suite struct ErrorRenderingTests {
    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let timestamp: String
            let seatIds: [String]?
        }
        let error: Detail
    }

    static let awkward = [
        "", "plain", "quote \" and backslash \\ and slash /", "tab\tnew\nline\rreturn", "\u{8}\u{c}\u{0}\u{1}\u{1f}\u{7f}",
        "naïve café — 東京 🎟️", "line\u{2028}separator", "</script>",
    ]

    @Test(arguments: awkward)
    func theBodyIsWhatTheEncoderWrites(_ text: String) throws {
        let encoder = JSON.encoder()
        for seatIds in [nil, ["A1"], ["A1", text, "B10"]] as [[String]?] {
            let expected = try encoder.encode(Body(error: .init(code: "SEATS_UNAVAILABLE", message: text, timestamp: "2026-11-24T04:00:00.000Z", seatIds: seatIds)))
            let written = ErrorRendering.body(code: "SEATS_UNAVAILABLE", message: text, seatIds: seatIds, timestamp: "2026-11-24T04:00:00.000Z")
            #expect(written == Array(expected), "\(String(decoding: written, as: UTF8.self))")
            let code = ErrorRendering.body(code: text, message: "m", seatIds: seatIds, timestamp: text)
            let encoded = try encoder.encode(Body(error: .init(code: text, message: "m", timestamp: text, seatIds: seatIds)))
            #expect(code == Array(encoded))
        }
    }

    @Test func aDomainErrorRendersItsStatusAndSeats() throws {
        let reply = ErrorRendering.render(HoldfastError.seatsUnavailable(["A2", "A1"]), now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(reply.status == .conflict)
        let object = try JSONSerialization.jsonObject(with: Data(reply.body.readableBytesView)) as? [String: [String: Any]]
        #expect(object?["error"]?["code"] as? String == "SEATS_UNAVAILABLE")
        #expect(object?["error"]?["seatIds"] as? [String] == HoldfastError.seatsUnavailable(["A2", "A1"]).seatIds)
        #expect(object?["error"]?["timestamp"] as? String == "2027-01-15T08:00:00.000Z")
    }
}
