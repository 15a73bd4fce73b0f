import Foundation
import Logging

/// One JSON object per log line — `ts`, `level`, `label`, `message`, `source` and the metadata (request ids,
/// users, errors) as string fields — for log collectors. `LOG_FORMAT=json` turns it on.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public static let standardError: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) { fields[key] = "\(value)" }
        if let error = event.error { fields["error"] = "\(error)" }
        for (key, value) in [
            "ts": Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), "level": event.level.rawValue, "label": label,
            "message": "\(event.message)", "source": event.source,
        ] {
            fields[key] = value
        }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self))
    }
}
