import Hummingbird
import HummingbirdWebSocket
import HoldfastCore
import NIOCore

public struct AppRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` when the request carries valid credentials.
    public var identity: Identity?
    /// Where a `ws` route leaves its handler for the upgrade.
    public let webSocket: WebSocketHandlerReference<Self>
    /// The client's address (nil in tests that drive the router without a socket).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }

    /// The caller, or 401.
    func requireUser() throws -> Identity {
        guard let identity else { throw HoldfastError.unauthenticated }
        return identity
    }

    /// The caller if an usher or an admin (the door), else 401/403.
    func requireUsher() throws -> Identity {
        let identity = try requireUser()
        guard identity.role == .usher || identity.role == .admin else {
            throw HoldfastError(.forbidden, code: "FORBIDDEN", message: "This route requires the usher or admin role")
        }
        return identity
    }

    /// The caller if an admin, else 401/403.
    func requireAdmin() throws -> Identity {
        let identity = try requireUser()
        guard identity.role == .admin else { throw HoldfastError.adminOnly }
        return identity
    }
}
