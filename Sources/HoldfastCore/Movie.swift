import Foundation

/// A film in the catalog, with every field of seed 001's movies table.
public struct Movie: Sendable, Hashable, Codable {
    public var movieId: UUID
    public var title: String
    public var about: String?
    public var thumbnailUrl: String?
    public var rating: Decimal?
    public var durationMins: Int?
    public var ageRating: String?
    public var releaseDate: CalendarDate?
    public var language: String?
    public var format: String?
    public var genres: [String]
    public var createdAt: Date

    public init(
        movieId: UUID, title: String, about: String? = nil, thumbnailUrl: String? = nil, rating: Decimal? = nil,
        durationMins: Int? = nil, ageRating: String? = nil, releaseDate: CalendarDate? = nil,
        language: String? = nil, format: String? = nil, genres: [String] = [], createdAt: Date
    ) {
        self.movieId = movieId
        self.title = title
        self.about = about
        self.thumbnailUrl = thumbnailUrl
        self.rating = rating
        self.durationMins = durationMins
        self.ageRating = ageRating
        self.releaseDate = releaseDate
        self.language = language
        self.format = format
        self.genres = genres
        self.createdAt = createdAt
    }

    /// Checks the fields an admin may set.
    public func validate() throws {
        try Validate.text(title, field: "title", max: 255)
        if let about { try Validate.text(about, field: "about", max: 10_000, allowEmpty: true) }
        if let thumbnailUrl { try Validate.text(thumbnailUrl, field: "thumbnailUrl", max: 2_000) }
        if let rating, rating < 0 || rating > 10 { throw HoldfastError.invalid("rating must be between 0 and 10") }
        if let durationMins, durationMins <= 0 || durationMins > 1_000 {
            throw HoldfastError.invalid("durationMins must be between 1 and 1000")
        }
        if let ageRating { try Validate.text(ageRating, field: "ageRating", max: 10) }
        if let language { try Validate.text(language, field: "language", max: 50) }
        if let format { try Validate.text(format, field: "format", max: 20) }
        guard genres.count <= 20 else { throw HoldfastError.invalid("at most 20 genres") }
        for genre in genres { try Validate.text(genre, field: "genres", max: 50) }
    }
}
