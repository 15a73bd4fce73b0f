import Foundation
import HoldfastCore

public struct MovieQuery: Sendable, Hashable {
    public var language: String?
    public var genre: String?
    public var format: String?
    /// Only movies with a show that is not cancelled on this day (theatre-local).
    public var date: CalendarDate?
    public var page: PageRequest

    public init(language: String? = nil, genre: String? = nil, format: String? = nil, date: CalendarDate? = nil, page: PageRequest = PageRequest()) {
        self.language = language
        self.genre = genre
        self.format = format
        self.date = date
        self.page = page
    }
}

/// A named screen of a theatre and its seat layout, from which shows copy their seats.
public struct Screen: Sendable, Hashable, Codable {
    public var layoutId: UUID
    public var theatreId: UUID
    public var screenName: String
    public var layout: SeatLayout
    public var createdAt: Date

    public init(layoutId: UUID, theatreId: UUID, screenName: String, layout: SeatLayout, createdAt: Date) {
        self.layoutId = layoutId
        self.theatreId = theatreId
        self.screenName = screenName
        self.layout = layout
        self.createdAt = createdAt
    }
}

extension CatalogStore {
    public func saveShow(_ show: Show) async throws { try await saveShow(show, events: []) }
}

/// Movies, theatres, screens and shows.
public protocol CatalogStore: Sendable {
    func movies(_ query: MovieQuery) async throws -> Page<Movie>
    func movie(_ movieId: UUID) async throws -> Movie?
    /// Inserts or replaces by id.
    func saveMovie(_ movie: Movie) async throws

    func theatres() async throws -> [Theatre]
    func theatre(_ theatreId: UUID) async throws -> Theatre?
    func saveTheatre(_ theatre: Theatre) async throws

    func screen(_ layoutId: UUID) async throws -> Screen?
    func screens(theatreId: UUID) async throws -> [Screen]
    func saveScreen(_ screen: Screen) async throws

    func show(_ showId: UUID) async throws -> Show?
    /// The movie's shows on `date` (theatre-local), cancelled ones included, by start time.
    func shows(movieId: UUID, on date: CalendarDate) async throws -> [Show]
    /// Inserts or updates the show, recording `events` in the same transaction.
    func saveShow(_ show: Show, events: [DomainEvent]) async throws
    /// How many seats of each show are held, pending payment or booked at `now`.
    func takenSeatCounts(showIds: [UUID], now: Date) async throws -> [UUID: Int]
    func hasMovies() async throws -> Bool
    /// True for exactly one caller per `name`, ever: the one that should do that one-off setup step.
    func claimSetupStep(_ name: String, now: Date) async throws -> Bool
}
