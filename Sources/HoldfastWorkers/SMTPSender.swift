import Foundation
import HoldfastStore
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail through an SMTP server: plain (a local relay) or implicit TLS (port 465), with
/// AUTH PLAIN when a user name is configured (only over TLS). One connection per message.
public struct SMTPSender: MailSender {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        public var from: String
        public var username: String?
        public var password: String?
        public var implicitTLS: Bool
        public var timeout: Duration

        public init(host: String, port: Int = 25, from: String, username: String? = nil, password: String? = nil, implicitTLS: Bool = false, timeout: Duration = .seconds(15)) {
            self.host = host
            self.port = port
            self.from = from
            self.username = username
            self.password = password
            self.implicitTLS = implicitTLS
            self.timeout = timeout
        }
    }

    let settings: Settings

    public init(settings: Settings) { self.settings = settings }

    public func send(_ message: MailMessage) async throws {
        let settings = self.settings
        try await Deadline.run(limit: settings.timeout, timeoutError: SMTPError(message: "no answer from \(settings.host) within \(settings.timeout)")) {
            try await Self.deliver(message, settings: settings)
        }
    }

    private static func deliver(_ message: MailMessage, settings: Settings) async throws {
        let tls = try settings.implicitTLS ? NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: settings.host)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220)
            try await session.command("EHLO holdfast", expect: 250)
            if let user = settings.username {
                guard settings.implicitTLS else { throw SMTPError(message: "SMTP AUTH needs TLS (SMTP_TLS=implicit)") }
                let credentials = Data("\0\(user)\0\(settings.password ?? "")".utf8).base64EncodedString()
                try await session.command("AUTH PLAIN \(credentials)", expect: 235)
            }
            try await session.command("MAIL FROM:<\(settings.from)>", expect: 250)
            try await session.command("RCPT TO:<\(message.recipient)>", expect: 250, 251)
            try await session.command("DATA", expect: 354)
            try await session.command(MailFormat.data(of: message, from: settings.from), expect: 250)
            try? await session.command("QUIT", expect: 221)
        }
    }
}

struct SMTPError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// One SMTP conversation: commands out, (multi-line) replies in.
struct SMTPSession {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var pending = ""

    mutating func command(_ line: String, expect codes: Int...) async throws {
        guard !line.contains("\r") || line.hasSuffix("\r\n.\r\n") else { throw SMTPError(message: "refusing a command with a line break") }
        try await outbound.write(ByteBuffer(string: line.hasSuffix("\r\n.\r\n") ? line : line + "\r\n"))
        try await expect(codes)
    }

    mutating func expect(_ codes: Int...) async throws { try await expect(codes) }

    /// Reads one reply (continuation lines "250-…" up to the final "250 …") and checks its code.
    mutating func expect(_ codes: [Int]) async throws {
        while true {
            let line = try await nextLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError(message: "unreadable SMTP reply: \(line.prefix(80))") }
            if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
            guard codes.contains(code) else { throw SMTPError(message: "SMTP server answered \(line.prefix(200))") }
            return
        }
    }

    private mutating func nextLine() async throws -> String {
        while true {
            if let range = pending.range(of: "\r\n") {
                let line = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                return line
            }
            guard var chunk = try await inbound.next() else { throw SMTPError(message: "the SMTP server closed the connection") }
            pending += chunk.readString(length: chunk.readableBytes) ?? ""
        }
    }
}

/// The message as SMTP DATA: headers, a base64 UTF-8 body, and the terminating dot.
enum MailFormat {
    static func data(of message: MailMessage, from: String) -> String {
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let headers = [
            "From: \(from)",
            "To: \(message.recipient)",
            "Subject: =?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?=",
            "Date: \(rfc5322(message.sentAt))",
            "Message-ID: <\(message.eventId.uuidString.lowercased())@holdfast>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n.\r\n"
    }

    /// "Mon, 23 Nov 2026 15:33:00 +0000"
    static func rfc5322(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[(c.weekday ?? 1) - 1]), \(two(c.day)) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
