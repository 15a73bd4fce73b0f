/// Ticket codes in the seed's style: "BMS" and eight upper-case hexadecimal digits, e.g. BMS30F12E2E.
public enum TicketCode {
    public static let prefix = "BMS"

    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let value = UInt32.random(in: .min ... .max, using: &generator)
        let hex = String(value, radix: 16, uppercase: true)
        return prefix + String(repeating: "0", count: 8 - hex.count) + hex
    }

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    public static func isWellFormed(_ code: String) -> Bool {
        code.count == prefix.count + 8 && code.hasPrefix(prefix)
            && code.dropFirst(prefix.count).allSatisfy { $0.isHexDigit && !$0.isLowercase }
    }
}
