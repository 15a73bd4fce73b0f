import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Catalog management for the admin role: movies, theatres, screens (seat layouts) and shows.
struct AdminController {
    let catalog: CatalogService
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let admin = router.group("admin").add(middleware: RequireAdminMiddleware())
        admin.post("movies", use: createMovie)
        admin.put("movies/:movieId", use: updateMovie)
        admin.post("theatres", use: createTheatre)
        admin.put("theatres/:theatreId", use: updateTheatre)
        admin.get("theatres/:theatreId/screens", use: screens)
        admin.post("theatres/:theatreId/screens", use: createScreen)
        admin.put("screens/:layoutId", use: updateScreen)
        admin.post("shows", use: createShow)
        admin.patch("shows/:showId", use: updateShow)
        admin.post("shows/:showId/cancel", use: cancelShow)
    }

    @Sendable func createMovie(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: MovieInput.self, limit: maxBodyBytes)
        let movie = input.movie(id: UUID(), createdAt: catalog.clock.now())
        try await catalog.saveMovie(movie)
        return try JSONReply(status: .created, movie)
    }

    @Sendable func updateMovie(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: MovieInput.self, limit: maxBodyBytes)
        let existing = try await catalog.movie(try context.parameters.id("movieId"))
        let movie = input.movie(id: existing.movieId, createdAt: existing.createdAt)
        try await catalog.saveMovie(movie)
        return try JSONReply(movie)
    }

    @Sendable func createTheatre(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: TheatreInput.self, limit: maxBodyBytes)
        let theatre = input.theatre(id: UUID(), createdAt: catalog.clock.now())
        try await catalog.saveTheatre(theatre)
        return try JSONReply(status: .created, theatre)
    }

    @Sendable func updateTheatre(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: TheatreInput.self, limit: maxBodyBytes)
        let existing = try await requireTheatre(try context.parameters.id("theatreId"))
        let theatre = input.theatre(id: existing.theatreId, createdAt: existing.createdAt)
        try await catalog.saveTheatre(theatre)
        return try JSONReply(theatre)
    }

    @Sendable func screens(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let theatre = try await requireTheatre(try context.parameters.id("theatreId"))
        let screens = try await catalog.stores.screens(theatreId: theatre.theatreId)
        return try JSONReply(["screens": screens.map(ScreenResponse.init)])
    }

    @Sendable func createScreen(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: ScreenInput.self, limit: maxBodyBytes)
        let theatre = try await requireTheatre(try context.parameters.id("theatreId"))
        let screen = Screen(
            layoutId: UUID(), theatreId: theatre.theatreId, screenName: input.screenName, layout: try input.seatLayout(),
            createdAt: catalog.clock.now())
        try await catalog.saveScreen(screen)
        return try JSONReply(status: .created, ScreenResponse(screen))
    }

    @Sendable func updateScreen(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: ScreenInput.self, limit: maxBodyBytes)
        let layoutId = try context.parameters.id("layoutId")
        guard let existing = try await catalog.stores.screen(layoutId) else { throw HoldfastError.notFound("Seat layout") }
        let screen = Screen(
            layoutId: layoutId, theatreId: existing.theatreId, screenName: input.screenName, layout: try input.seatLayout(),
            createdAt: existing.createdAt)
        try await catalog.saveScreen(screen)
        return try JSONReply(ScreenResponse(screen))
    }

    @Sendable func createShow(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: ShowInput.self, limit: maxBodyBytes)
        let show = try await catalog.createShow(
            movieId: try RequestParameters.uuid(input.movieId, field: "movieId"),
            layoutId: try RequestParameters.uuid(input.layoutId, field: "layoutId"), startTime: input.startTime,
            price: input.price, categoryPrices: input.categoryPrices ?? [:])
        return try JSONReply(status: .created, try await listing(show))
    }

    @Sendable func updateShow(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let showId = try context.parameters.id("showId")
        let input = try await request.decodeJSON(as: ShowUpdateInput.self, limit: maxBodyBytes)
        let show = try await catalog.updateShow(
            showId, startTime: input.startTime, price: input.price, categoryPrices: input.categoryPrices)
        return try JSONReply(try await listing(show))
    }

    @Sendable func cancelShow(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let show = try await catalog.cancelShow(try context.parameters.id("showId"))
        return try JSONReply(try await listing(show))
    }

    private func requireTheatre(_ id: UUID) async throws -> Theatre {
        guard let theatre = try await catalog.stores.theatre(id) else { throw HoldfastError.notFound("Theatre") }
        return theatre
    }

    private func listing(_ show: Show) async throws -> ShowResponse {
        ShowResponse(try await catalog.listing(show))
    }
}

struct RequireAdminMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        _ = try context.requireAdmin()
        return try await next(request, context)
    }
}
