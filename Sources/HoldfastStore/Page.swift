/// One page of a longer list.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let page: Int
    public let pageSize: Int
    public let total: Int

    public init(items: [Item], page: Int, pageSize: Int, total: Int) {
        self.items = items
        self.page = page
        self.pageSize = pageSize
        self.total = total
    }

    public var offset: Int { (page - 1) * pageSize }
}

/// Page number and size asked for; both start at 1.
public struct PageRequest: Sendable, Hashable {
    public static let maxPageSize = 100
    public let page: Int
    public let pageSize: Int

    public init(page: Int = 1, pageSize: Int = 20) {
        self.page = page
        self.pageSize = pageSize
    }

    public var offset: Int { (page - 1) * pageSize }
}
