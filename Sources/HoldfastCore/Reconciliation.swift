import Foundation

/// One invariant the reconciler checked: how much it looked at, what broke it, and what it repaired.
public struct ReconciliationCheck: Sendable, Hashable, Codable {
    public let name: String
    public let examined: Int
    public var found: Int
    public var fixed: Int
    /// A few of the offending rows, for a human to look at.
    public var samples: [String]

    public init(name: String, examined: Int, found: Int = 0, fixed: Int = 0, samples: [String] = []) {
        self.name = name
        self.examined = examined
        self.found = found
        self.fixed = fixed
        self.samples = samples
    }

    public static let maxSamples = 10

    /// Records one finding (keeping the first few as samples) and whether it was repaired.
    public mutating func record(_ sample: String, fixed repaired: Bool) {
        found += 1
        if repaired { fixed += 1 }
        if samples.count < Self.maxSamples { samples.append(sample) }
    }
}

/// What one reconciliation run found and fixed.
public struct ReconciliationReport: Sendable, Hashable, Codable {
    public let reportId: UUID
    public let startedAt: Date
    public var finishedAt: Date
    public var checks: [ReconciliationCheck]
    /// False for a dry run, which only reports.
    public let healed: Bool

    public init(reportId: UUID? = nil, startedAt: Date, finishedAt: Date, checks: [ReconciliationCheck], healed: Bool) {
        self.reportId = reportId ?? UUID(timeOrderedAt: startedAt)
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.checks = checks
        self.healed = healed
    }

    public var found: Int { checks.reduce(0) { $0 + $1.found } }
    public var fixed: Int { checks.reduce(0) { $0 + $1.fixed } }
    /// Everything found was fixed.
    public var clean: Bool { found == fixed }
}
