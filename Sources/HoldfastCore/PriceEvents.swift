import Foundation

/// Seed 003's price-change events, for tickets and shows alike.
public enum PriceEvents {
    public static func initiated(_ change: PriceChange) -> DomainEvent {
        DomainEvent(type: .priceChangeInitiated, aggregateType: change.subject.rawValue, aggregateKey: change.key, payload: change, at: change.changedAt)
    }

    struct Processed: Encodable {
        let subject: PriceChange.Subject
        let key: String
        let metadata: PriceChangeMetadata
    }

    public static func processed(_ change: PriceChange, at time: Date) -> DomainEvent {
        DomainEvent(
            type: .priceChangeProcessed, aggregateType: change.subject.rawValue, aggregateKey: change.key,
            payload: Processed(subject: change.subject, key: change.key, metadata: change.metadata), at: time)
    }
}
