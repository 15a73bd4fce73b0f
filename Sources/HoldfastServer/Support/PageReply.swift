import HoldfastStore

/// One page of a list under its collection's name: `{"<name>": [...], "page", "pageSize", "total"}`.
struct PageReply<Item: Encodable>: Encodable {
    let name: String
    let items: [Item]
    let page: Int
    let pageSize: Int
    let total: Int

    init(_ name: String, _ page: Page<Item>) where Item: Sendable {
        self.init(name, page) { $0 }
    }

    init<Source>(_ name: String, _ page: Page<Source>, _ transform: (Source) throws -> Item) rethrows {
        self.name = name
        self.items = try page.items.map(transform)
        self.page = page.page
        self.pageSize = page.pageSize
        self.total = page.total
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(name))
        try container.encode(page, forKey: Key("page"))
        try container.encode(pageSize, forKey: Key("pageSize"))
        try container.encode(total, forKey: Key("total"))
    }
}
