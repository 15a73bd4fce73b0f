import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct CatalogStoreTests {
    /// Shows are decoded once per revision; every change to the row is read back all the same.
    @Test(arguments: StoreBackend.available)
    func aChangedShowIsReadAsChangedNotAsDecodedBefore(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let showId = fixture.show.showId
            #expect(try await fixture.stores.show(showId)?.price == Money(minorUnits: 25_000))
            _ = try await fixture.catalog.updateShow(showId, startTime: nil, price: Money(minorUnits: 31_000), categoryPrices: nil)
            #expect(try await fixture.stores.show(showId)?.price == Money(minorUnits: 31_000))
            let later = fixture.show.startTime.addingTimeInterval(3_600)
            _ = try await fixture.catalog.updateShow(showId, startTime: later, price: nil, categoryPrices: nil)
            let listed = try await fixture.stores.shows(movieId: fixture.show.movieId, on: fixture.show.localDate)
            #expect(listed.first { $0.showId == showId }?.startTime == later)
            _ = try await fixture.catalog.cancelShow(showId)
            #expect(try await fixture.stores.show(showId)?.cancelled == true)
        }
    }

    @Test(arguments: StoreBackend.available)
    func demoCatalogLoadsOnceWithEverythingTheSeedNames(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let catalog = CatalogService(stores: stores, clock: ManualBookingClock(Date()))
            #expect(try await DemoCatalog.loadIfEmpty(into: catalog))
            #expect(try await !DemoCatalog.loadIfEmpty(into: catalog))
            let movies = try await catalog.movies(MovieQuery(page: PageRequest(pageSize: 100)))
            #expect(movies.total >= 6)
            for movie in movies.items {
                #expect(movie.about != nil && movie.thumbnailUrl != nil && movie.rating != nil && movie.durationMins != nil)
                #expect(movie.ageRating != nil && movie.releaseDate != nil && movie.language != nil && movie.format != nil)
                #expect(!movie.genres.isEmpty)
            }
            let theatres = try await stores.theatres()
            #expect(theatres.count == 3)
            var layouts = Set<SeatLayout>()
            for theatre in theatres { for screen in try await stores.screens(theatreId: theatre.theatreId) { layouts.insert(screen.layout) } }
            #expect(layouts.contains(.standard))
            #expect(layouts.contains { $0.categories.count > 1 && $0.rows.contains { $0.seats.contains(nil) } })
            // Shows on each of the next seven days.
            let zone = TimeZone(identifier: "Asia/Kolkata")!
            for day in 0..<7 {
                let date = CalendarDate(Date().addingTimeInterval(Double(day) * 86_400), in: zone)
                let onDay = try await catalog.movies(MovieQuery(date: date))
                #expect(onDay.total > 0, "no shows on \(date)")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func moviesFilterAndPage(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let now = fixture.clock.now()
            for (index, (language, genre)) in [("Hindi", "Comedy"), ("Hindi", "Drama"), ("Tamil", "Comedy")].enumerated() {
                try await fixture.catalog.saveMovie(
                    Movie(movieId: UUID(), title: "Extra \(index)", language: language, format: "3D", genres: [genre, "Family"], createdAt: now))
            }
            #expect(try await fixture.catalog.movies(MovieQuery(language: "hindi")).total == 2)
            #expect(try await fixture.catalog.movies(MovieQuery(genre: "comedy")).total == 2)
            #expect(try await fixture.catalog.movies(MovieQuery(language: "Hindi", genre: "Drama")).total == 1)
            #expect(try await fixture.catalog.movies(MovieQuery(format: "2D")).total == 1)
            #expect(try await fixture.catalog.movies(MovieQuery(date: fixture.show.localDate)).items.map(\.title) == ["Test Movie"])
            let firstPage = try await fixture.catalog.movies(MovieQuery(page: PageRequest(page: 1, pageSize: 3)))
            let secondPage = try await fixture.catalog.movies(MovieQuery(page: PageRequest(page: 2, pageSize: 3)))
            #expect(firstPage.total == 4 && firstPage.items.count == 3 && secondPage.items.count == 1)
            #expect(Set(firstPage.items.map(\.movieId)).isDisjoint(with: secondPage.items.map(\.movieId)))
        }
    }

    @Test(arguments: StoreBackend.available)
    func showListingCountsLiveClaimsOnly(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend, layout: .grid(rows: 2, seatsPerRow: 5)) { fixture in
            _ = try await fixture.hold(["A1", "A2", "A3", "A4", "A5"], by: "alice")
            var listings = try await fixture.catalog.shows(movieId: fixture.show.movieId, on: fixture.show.localDate)
            #expect(listings.map(\.status) == [.fillingFast])
            #expect(listings.first?.availableSeats == 5)
            fixture.clock.advance(by: 300)
            listings = try await fixture.catalog.shows(movieId: fixture.show.movieId, on: fixture.show.localDate)
            #expect(listings.map(\.status) == [.available])
            #expect(listings.first?.theatre.theatreId == fixture.theatre.theatreId)
        }
    }

    @Test(arguments: StoreBackend.available)
    func showsKeepTheirOwnCopyOfTheLayout(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let screens = try await fixture.stores.screens(theatreId: fixture.theatre.theatreId)
            var screen = try #require(screens.first)
            screen.layout = .grid(rows: 2, seatsPerRow: 2)
            try await fixture.catalog.saveScreen(screen)
            #expect(try await fixture.stores.show(fixture.show.showId)?.layout == .standard)
        }
    }

    @Test(arguments: StoreBackend.available)
    func showsWithSalesCannotBeMovedButCanBeRepriced(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let later = fixture.show.startTime.addingTimeInterval(3_600)
            #expect(try await fixture.catalog.updateShow(fixture.show.showId, startTime: later, price: nil, categoryPrices: nil).startTime == later)
            _ = try await fixture.hold(["A1"], by: "alice")
            await #expect(performing: {
                try await fixture.catalog.updateShow(fixture.show.showId, startTime: later.addingTimeInterval(60), price: nil, categoryPrices: nil)
            }, throws: { code(of: $0) == "SHOW_HAS_SALES" })
            let repriced = try await fixture.catalog.updateShow(fixture.show.showId, startTime: nil, price: Money(minorUnits: 1), categoryPrices: nil)
            #expect(repriced.price == Money(minorUnits: 1) && repriced.startTime == later)
        }
    }
}
