import HoldfastServer

/// The load generator's request bodies as JSON text, written directly: Foundation's `JSONSerialization` bridged
/// every body to an `NSDictionary` first, which took over a quarter of the generator's CPU in a hot show.
enum BenchJSON {
    /// `value` is a `String`, `Int`, `Double`, `Bool`, or an array or `[String: Any]` of those.
    static func encode(_ value: Any) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        write(value, to: &bytes)
        return bytes
    }

    private static func write(_ value: Any, to bytes: inout [UInt8]) {
        switch value {
        case let string as String:
            JSONText.append(string, to: &bytes)
        case let number as Int:
            bytes.append(contentsOf: String(number).utf8)
        case let number as Double:
            bytes.append(contentsOf: String(number).utf8)
        case let flag as Bool:
            bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case let object as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            for (index, (key, member)) in object.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONText.append(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(member, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case let array as [Any]:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        default:
            preconditionFailure("holdfast bench has no JSON for \(type(of: value))")
        }
    }
}
