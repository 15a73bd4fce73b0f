import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Public reads: movies, their shows, theatres and seat maps.
struct CatalogController {
    let catalog: CatalogService
    let seatMaps: SeatMapCache

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("movies", use: movies)
        router.get("movies/:movieId", use: movie)
        router.get("movies/:movieId/shows", use: shows)
        router.get("theatres", use: theatres)
        router.get("shows/:showId", use: show)
        router.get("shows/:showId/seatmap", use: seatMap)
    }

    @Sendable func movies(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: ["page", "pageSize", "language", "genre", "format", "date"])
        let movieQuery = MovieQuery(
            language: try RequestParameters.text(query, "language"), genre: try RequestParameters.text(query, "genre"),
            format: try RequestParameters.text(query, "format"), date: try query["date"].map { try CalendarDate($0) },
            page: try RequestParameters.page(query))
        let page = try await catalog.movies(movieQuery)
        return try JSONReply(PageReply("movies", page))
    }

    @Sendable func movie(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        try JSONReply(try await catalog.movie(try context.parameters.id("movieId")))
    }

    @Sendable func shows(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let movieId = try context.parameters.id("movieId")
        let query = try request.queryParameters(allowed: ["date"])
        let date = try query["date"].map { try CalendarDate($0) } ?? CalendarDate(catalog.clock.now(), in: .gmt)
        let listings = try await catalog.shows(movieId: movieId, on: date)
        return try JSONReply(ShowsResponse(movieId: movieId, date: date, shows: listings.map(ShowResponse.init)))
    }

    @Sendable func theatres(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        try JSONReply(["theatres": try await catalog.stores.theatres()])
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let showId = try context.parameters.id("showId")
        guard let show = try await catalog.stores.show(showId) else { throw HoldfastError.notFound("Show") }
        return try JSONReply(ShowResponse(try await catalog.listing(show)))
    }

    @Sendable func seatMap(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        JSONReply(status: .ok, body: try await seatMaps.reply(showId: try context.parameters.id("showId"), caller: context.identity?.userId))
    }
}
