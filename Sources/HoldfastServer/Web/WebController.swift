import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// The moviegoer's pages, rendered on the server; small scripts (static/app.js) call the JSON API with the
/// signed-in user's credentials and keep the seat picker live over the WebSocket.
struct WebController {
    static let daysShown = 7

    let pages: Pages
    let catalog: CatalogService
    let devMode: Bool

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/", use: nowShowing)
        router.get("movie/:movieId", use: movie)
        router.get("show/:showId", use: show)
        router.get("signin", use: signIn)
        router.get("checkout/:holdId", use: checkout)
        router.get("ticket/:orderId", use: ticket)
        router.get("my/orders", use: orders)
        router.get("chat/:bookingCode", use: chat)
        router.get("door", use: door)
    }

    /// The usher's page: scan (type) a ticket code, see at once whether it gets in.
    @Sendable func door(_ request: Request, context: AppRequestContext) async throws -> Response {
        pages.render("door", ["title": "Door check-in"])
    }

    /// Only participants see the messages: the page's script loads them with the user's credentials.
    @Sendable func chat(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = context.parameters.get("bookingCode") ?? ""
        guard (try? Conversation.validateCode(code)) != nil else { return notFound("There is no such conversation.") }
        return pages.render("chat", ["title": "Conversation \(code)", "bookingCode": code])
    }

    @Sendable func orders(_ request: Request, context: AppRequestContext) async throws -> Response {
        pages.render("orders", ["title": "My orders"])
    }

    /// The hold is the signed-in user's: the page's script loads it with their credentials.
    @Sendable func checkout(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let holdId = UUID(uuidString: context.parameters.get("holdId") ?? "") else { return notFound("There is no such hold.") }
        return pages.render("checkout", ["title": "Checkout", "holdId": holdId.uuidString])
    }

    @Sendable func ticket(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let orderId = UUID(uuidString: context.parameters.get("orderId") ?? "") else { return notFound("There is no such order.") }
        return pages.render("ticket", ["title": "Your ticket", "orderId": orderId.uuidString])
    }

    @Sendable func nowShowing(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let today = CalendarDate(catalog.clock.now(), in: .gmt)
        let date = (query["date"].flatMap { try? CalendarDate(String($0)) }) ?? today
        let language = query["language"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let genre = query["genre"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let everything = try await catalog.movies(MovieQuery(page: PageRequest(pageSize: PageRequest.maxPageSize))).items
        let shown = try await catalog.movies(MovieQuery(
            language: language, genre: genre, date: date, page: PageRequest(pageSize: PageRequest.maxPageSize))).items
        let languages = Set(everything.compactMap(\.language)).sorted()
        let genres = Set(everything.flatMap(\.genres)).sorted()
        return pages.render("movies", [
            "title": "Now showing",
            "languages": languages.map { ["value": $0, "selected": $0 == language] },
            "genres": genres.map { ["value": $0, "selected": $0 == genre] },
            "dates": Self.dates(from: today).map { ["value": $0.description, "label": Self.label($0), "selected": $0 == date] },
            "movies": shown.map { movie -> [String: Any] in
                [
                    "movieId": movie.movieId.uuidString, "title": movie.title, "date": date.description,
                    "thumbnailUrl": movie.thumbnailUrl.flatMap { $0.hasPrefix("https://") || $0.hasPrefix("http://") ? $0 : nil } ?? false,
                    "initial": String(movie.title.prefix(1)), "language": movie.language ?? "", "format": movie.format ?? "",
                    "genres": movie.genres.joined(separator: ", "), "rating": movie.rating.map { "\($0)" } ?? false,
                ]
            },
        ])
    }

    @Sendable func movie(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let movieId = UUID(uuidString: context.parameters.get("movieId") ?? ""), let movie = try? await catalog.movie(movieId) else {
            return notFound("There is no such movie.")
        }
        let today = CalendarDate(catalog.clock.now(), in: .gmt)
        let date = (request.uri.queryParameters["date"].flatMap { try? CalendarDate(String($0)) }) ?? today
        let listings = try await catalog.shows(movieId: movieId, on: date)
        let byTheatre = Dictionary(grouping: listings, by: \.theatre.theatreId)
        let theatres = byTheatre.values.sorted { $0[0].theatre.name < $1[0].theatre.name }.map { group -> [String: Any] in
            [
                "name": group[0].theatre.name,
                "shows": group.sorted { $0.show.startTime < $1.show.startTime }.map { listing -> [String: Any] in
                    let zone = TimeZone(identifier: listing.theatre.timeZone) ?? .gmt
                    return [
                        "showId": listing.show.showId.uuidString, "time": Self.time(listing.show.startTime, in: zone), "screen": listing.show.screenName,
                        "statusClass": listing.status.rawValue.lowercased().replacingOccurrences(of: "_", with: "-"),
                        "statusLabel": Self.statusLabel(listing.status), "available": listing.availableSeats,
                        "bookable": listing.status != .cancelled && listing.availableSeats > 0 && listing.show.startTime > catalog.clock.now(),
                    ]
                },
            ]
        }
        return pages.render("movie", [
            "title": movie.title, "movieId": movieId.uuidString, "about": movie.about ?? false, "language": movie.language ?? "",
            "format": movie.format ?? "", "genres": movie.genres.joined(separator: ", "), "durationMins": movie.durationMins ?? false,
            "ageRating": movie.ageRating ?? false, "rating": movie.rating.map { "\($0)" } ?? false, "dateLabel": Self.label(date),
            "dates": Self.dates(from: today).map { ["value": $0.description, "label": Self.label($0), "selected": $0 == date, "movieId": movieId.uuidString] },
            "theatres": theatres,
        ])
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let showId = UUID(uuidString: context.parameters.get("showId") ?? ""), let show = try await catalog.stores.show(showId) else {
            return notFound("There is no such show.")
        }
        let listing = try await catalog.listing(show)
        let movie = try? await catalog.movie(show.movieId)
        let now = catalog.clock.now()
        let versions = Dictionary(
            try await catalog.stores.seatVersions(showId: showId).map { ($0.seatId, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = show.layout.rows.map { row -> [String: Any] in
            let price = show.price(ofCategory: row.category)
            return [
                "label": row.label, "category": row.category,
                "seats": row.seats.map { number -> [String: Any] in
                    guard let number else { return ["gap": true] }
                    let id = "\(row.label)\(number)"
                    let change = versions[id]
                    let state = show.cancelled ? SeatState.booked : (change?.state(at: now) ?? .available)
                    return [
                        "gap": false, "id": id, "number": number, "state": state.rawValue, "version": change?.version ?? 0,
                        "taken": state != .available, "price": price.minorUnits, "priceText": price.text,
                        "categoryLabel": row.category.capitalized,
                    ]
                },
            ]
        }
        let zone = TimeZone(identifier: listing.theatre.timeZone) ?? .gmt
        return pages.render("show", [
            "title": "Choose seats", "showId": showId.uuidString, "movieTitle": movie?.title ?? "Show", "theatreName": listing.theatre.name,
            "screenName": show.screenName, "time": "\(Self.label(CalendarDate(show.startTime, in: zone))) \(Self.time(show.startTime, in: zone))",
            "rows": rows, "counts": Array(1...10),
            "waitingRoom": try await catalog.stores.waitingRoom(showId: showId) != nil,
            "soldOut": !show.cancelled && listing.availableSeats == 0,
            "prices": show.layout.categories.sorted().map { ["category": $0.capitalized, "price": show.price(ofCategory: $0).text] },
        ])
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        pages.render("signin", ["title": "Sign in", "devMode": devMode])
    }

    func notFound(_ message: String) -> Response {
        pages.render("notfound", ["title": "Not found", "message": message], status: .notFound)
    }

    static func dates(from today: CalendarDate) -> [CalendarDate] { (0..<daysShown).map { today.adding(days: $0) } }

    static func label(_ date: CalendarDate) -> String {
        guard let day = try? Date("\(date)T12:00:00Z", strategy: .iso8601) else { return date.description }
        var style = Date.FormatStyle().weekday(.abbreviated).day().month(.abbreviated)
        style.timeZone = .gmt
        return day.formatted(style)
    }

    static func time(_ instant: Date, in zone: TimeZone) -> String {
        var style = Date.FormatStyle(date: .omitted, time: .shortened)
        style.timeZone = zone
        return instant.formatted(style)
    }

    static func statusLabel(_ status: ShowStatus) -> String {
        switch status {
        case .available: "Available"
        case .fillingFast: "Filling fast"
        case .almostFull: "Almost full"
        case .cancelled: "Cancelled"
        }
    }
}
