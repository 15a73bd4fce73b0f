import Hummingbird

/// Attaches the caller's identity to the context; routes decide whether they need one.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = try await authenticator.identity(from: request.headers)
        if let identity = context.identity { context.logger[metadataKey: "user"] = .string(identity.userId) }
        return try await next(request, context)
    }
}
