import AsyncHTTPClient
import NIOCore

public enum WebhookHTTPClient {
    /// An HTTP client for webhook deliveries: a dead endpoint fails within `connect`, a slow one within
    /// `read`, so one bad receiver cannot hold delivery slots for long. The caller shuts it down.
    public static func make(connect: TimeAmount = .seconds(2), read: TimeAmount = .seconds(10)) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: connect, read: read)
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
