import Foundation
import HoldfastStore
import HoldfastWorkers
import NIOCore
import NIOPosix
import Testing

/// A minimal SMTP server on loopback that accepts one message and records the conversation.
actor FakeSMTPServer {
    private(set) var commands: [String] = []
    private(set) var data = ""
    private var channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>?
    private(set) var port = 0
    let rejectRecipient: Bool

    init(rejectRecipient: Bool = false) { self.rejectRecipient = rejectRecipient }

    func start() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        port = server.channel.localAddress?.port ?? 0
        channel = server
    }

    /// Serves one client, then returns.
    func serveOne() async throws {
        guard let channel else { return }
        try await channel.executeThenClose { clients in
            for try await client in clients {
                try await client.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: "220 fake ESMTP\r\n"))
                    var pending = "", inData = false
                    for try await var chunk in inbound {
                        pending += chunk.readString(length: chunk.readableBytes) ?? ""
                        while true {
                            if inData {
                                guard let end = pending.range(of: "\r\n.\r\n") else { break }
                                data = String(pending[..<end.lowerBound])
                                pending.removeSubrange(..<end.upperBound)
                                inData = false
                                try await outbound.write(ByteBuffer(string: "250 queued\r\n"))
                                continue
                            }
                            guard let end = pending.range(of: "\r\n") else { break }
                            let line = String(pending[..<end.lowerBound])
                            pending.removeSubrange(..<end.upperBound)
                            commands.append(line)
                            let reply: String
                            if line.hasPrefix("EHLO") { reply = "250-fake\r\n250 8BITMIME\r\n" }
                            else if line.hasPrefix("RCPT") && rejectRecipient { reply = "550 no such user\r\n" }
                            else if line == "DATA" { reply = "354 go ahead\r\n"; inData = true }
                            else if line == "QUIT" { reply = "221 bye\r\n" }
                            else { reply = "250 ok\r\n" }
                            try await outbound.write(ByteBuffer(string: reply))
                            if line == "QUIT" { return }
                        }
                    }
                }
                return
            }
        }
    }
}

@Suite struct SMTPSenderTests {
    static let mail = MailMessage(
        eventId: UUID(uuidString: "6F1C2D3E-0000-4000-8000-000000000001")!, recipient: "asha@example.com",
        subject: "Your tickets — BMS30F12E2E", body: "Ticket code: BMS30F12E2E\nSeats: A1, A2", sentAt: Date(timeIntervalSince1970: 1_795_000_000))

    @Test func sendsTheMessageThroughTheServer() async throws {
        let server = FakeSMTPServer()
        try await server.start()
        let port = await server.port
        async let served: Void = server.serveOne()
        // The sender's own limit (15 s) is for a mail server gone; a machine busy with every other test may be slower.
        try await SMTPSender(settings: .init(host: "127.0.0.1", port: port, from: "tickets@holdfast.example", timeout: .seconds(60))).send(Self.mail)
        try await served
        let commands = await server.commands
        #expect(commands == ["EHLO holdfast", "MAIL FROM:<tickets@holdfast.example>", "RCPT TO:<asha@example.com>", "DATA", "QUIT"])
        let data = await server.data
        #expect(data.contains("To: asha@example.com\r\n") && data.contains("Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n"))
        #expect(data.contains("Message-ID: <6f1c2d3e-0000-4000-8000-000000000001@holdfast>"))
        let body = try #require(data.components(separatedBy: "\r\n\r\n").last)
        let decoded = String(decoding: try #require(Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: ""))), as: UTF8.self)
        #expect(decoded == Self.mail.body)
        #expect(data.contains("Subject: =?UTF-8?B?\(Data(Self.mail.subject.utf8).base64EncodedString())?="))
    }

    @Test func aRefusedRecipientIsAnErrorSoTheDeliveryIsRetried() async throws {
        let server = FakeSMTPServer(rejectRecipient: true)
        try await server.start()
        let port = await server.port
        async let served: Void = server.serveOne()
        await #expect(throws: (any Error).self) {
            try await SMTPSender(settings: .init(host: "127.0.0.1", port: port, from: "tickets@holdfast.example")).send(Self.mail)
        }
        try? await served
    }

    @Test func noServerMeansAnErrorNotAHang() async throws {
        await #expect(throws: (any Error).self) {
            try await SMTPSender(settings: .init(host: "127.0.0.1", port: 1, from: "x@example.com", timeout: .seconds(2))).send(Self.mail)
        }
    }
}
