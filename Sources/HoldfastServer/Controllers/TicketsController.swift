import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Seed 003's ticket CRUD API, keyed by `Theatre-Seat`. Reads are public; writes need the admin role.
struct TicketsController {
    let stores: any HoldfastStores
    let clock: any BookingClock
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("ticket", use: get)
        router.get("tickets", use: list)
        router.get("tickets/movies", use: movies)
        let writes = router.group().add(middleware: RequireAdminMiddleware())
        writes.post("ticket", use: create)
        writes.patch("ticket", use: update)
        writes.delete("ticket", use: delete)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: [Ticket.keyName])
        guard let key = query[Ticket.keyName] else { throw HoldfastError.invalid("the query needs \(Ticket.keyName), e.g. ?Theatre-Seat=1-A9") }
        try Ticket.validateKey(key)
        guard let ticket = try await stores.ticket(key) else { throw HoldfastError.notFound("Ticket") }
        return try JSONReply(TicketItem(ticket))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        _ = try request.queryParameters(allowed: [])
        let tickets = try await stores.tickets()
        return try JSONReply(TicketList(tickets: tickets.map(TicketItem.init), count: tickets.count))
    }

    @Sendable func movies(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let titles = Set(try await stores.tickets().compactMap(\.movie)).sorted()
        return try JSONReply(["movies": titles])
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        var item = try await request.decodeJSON(as: [String: AttributeValue].self, limit: maxBodyBytes)
        guard case .string(let key)? = item.removeValue(forKey: Ticket.keyName) else {
            throw HoldfastError.invalid("\(Ticket.keyName) (a string) is required")
        }
        try Ticket.validateKey(key)
        guard item["Movie"] != nil, item["Price"] != nil else { throw HoldfastError.invalid("Movie and Price are required") }
        guard item.count <= 50 else { throw HoldfastError.invalid("a ticket has at most 50 attributes") }
        for (name, value) in item { try Ticket.validateAttribute(name, value) }
        let ticket = Ticket(theatreSeat: key, attributes: item)
        try await stores.createTicket(ticket, now: clock.now())
        return try JSONReply(status: .created, TicketItem(ticket))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: TicketUpdate.self, limit: maxBodyBytes)
        try Ticket.validateKey(input.theatreSeat)
        try Ticket.validateAttribute(input.updateKey, input.updateValue)
        let ticket = try await stores.updateTicketAttribute(input.theatreSeat, name: input.updateKey, value: input.updateValue, now: clock.now())
        return try JSONReply(TicketUpdated(operation: "UPDATE", message: "SUCCESS", updatedAttributes: TicketItem(ticket)))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: [Ticket.keyName])
        let key: String
        if let fromQuery = query[Ticket.keyName] {
            key = fromQuery
        } else {
            key = try await request.decodeJSON(as: TicketReference.self, limit: maxBodyBytes).theatreSeat
        }
        try Ticket.validateKey(key)
        guard try await stores.deleteTicket(key) else { throw HoldfastError.notFound("Ticket") }
        return try JSONReply(TicketDeleted(operation: "DELETE", message: "SUCCESS", theatreSeat: key))
    }
}

/// A ticket as the seed returns it: one flat object, its key under "Theatre-Seat".
struct TicketItem: Encodable {
    let ticket: Ticket

    init(_ ticket: Ticket) { self.ticket = ticket }

    func encode(to encoder: any Encoder) throws {
        var item = ticket.attributes
        item[Ticket.keyName] = .string(ticket.theatreSeat)
        try item.encode(to: encoder)
    }
}

struct TicketList: Encodable {
    let tickets: [TicketItem]
    let count: Int
}

struct TicketUpdate: Decodable {
    let theatreSeat: String
    let updateKey: String
    let updateValue: AttributeValue

    enum CodingKeys: String, CodingKey {
        case theatreSeat = "Theatre-Seat"
        case updateKey, updateValue
    }
}

struct TicketReference: Decodable {
    let theatreSeat: String

    enum CodingKeys: String, CodingKey { case theatreSeat = "Theatre-Seat" }
}

struct TicketUpdated: Encodable {
    let operation: String
    let message: String
    let updatedAttributes: TicketItem

    enum CodingKeys: String, CodingKey {
        case operation = "Operation", message = "Message", updatedAttributes = "UpdatedAttributes"
    }
}

struct TicketDeleted: Encodable {
    let operation: String
    let message: String
    let theatreSeat: String

    enum CodingKeys: String, CodingKey {
        case operation = "Operation", message = "Message", theatreSeat = "Theatre-Seat"
    }
}
