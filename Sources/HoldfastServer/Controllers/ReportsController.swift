import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// For the people who run a show: its sales report and the full history of any of its seats.
struct ReportsController {
    let booking: BookingService

    func addRoutes(to router: Router<AppRequestContext>) {
        let admin = router.group("admin/shows").add(middleware: RequireAdminMiddleware())
        admin.get(":showId/report", use: report)
        admin.get(":showId/seats/:seatId/history", use: history)
    }

    struct HistoryResponse: Encodable {
        let showId: UUID
        let seatId: String
        let history: [SeatHistoryEntry]
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let showId = try context.parameters.id("showId")
        let map = try await booking.seatMap(showId: showId, caller: nil)
        let counts = try await booking.stores.salesCounts(showId: showId, now: booking.clock.now())
        return try JSONReply(ShowReport(map: map, counts: counts))
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let showId = try context.parameters.id("showId")
        let seatId = context.parameters.get("seatId") ?? ""
        let query = try request.queryParameters(allowed: ["limit"])
        let limit = try RequestParameters.int(query["limit"], field: "limit", range: 1...1_000) ?? 200
        guard let show = try await booking.stores.show(showId) else { throw HoldfastError.notFound("Show") }
        guard show.layout.seatsById[seatId] != nil else { throw HoldfastError.notFound("Seat") }
        let history = try await booking.stores.seatHistory(showId: showId, seatId: seatId, limit: limit)
        return try JSONReply(HistoryResponse(showId: showId, seatId: seatId, history: history))
    }
}
