/// Which migrations a database still needs. The applied list must be exactly a prefix of the
/// known list: a database migrated by a newer binary, or by a different history, is refused rather
/// than guessed at.
public enum MigrationPlan {
    public static func pending(known: [String], applied: [String]) throws -> [String] {
        guard applied.count <= known.count, Array(known.prefix(applied.count)) == applied else {
            let unknown = applied.filter { !known.contains($0) }
            let detail = unknown.isEmpty ? "applied in a different order" : "unknown to this binary: \(unknown.joined(separator: ", "))"
            throw MigrationError(message: "The database's migrations do not match this build (\(detail))")
        }
        return Array(known.dropFirst(applied.count))
    }
}

public struct MigrationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
