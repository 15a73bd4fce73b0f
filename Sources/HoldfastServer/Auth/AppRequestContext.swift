import Hummingbird
import HummingbirdWebSocket
import HoldfastCore

public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` when the request carries valid credentials.
    public var identity: Identity?
    /// Where a `ws` route leaves its handler for the upgrade.
    public let webSocket: WebSocketHandlerReference<Self>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        webSocket = .init()
    }

    /// The caller, or 401.
    func requireUser() throws -> Identity {
        guard let identity else { throw HoldfastError.unauthenticated }
        return identity
    }

    /// The caller if an admin, else 401/403.
    func requireAdmin() throws -> Identity {
        let identity = try requireUser()
        guard identity.role == .admin else { throw HoldfastError.adminOnly }
        return identity
    }
}
