import HTTPTypes
import Hummingbird

/// Browsers cannot set headers on a WebSocket: for the upgrade request only, `?token=<JWT>` stands for
/// `Authorization: Bearer <JWT>` and (in dev mode, where that header is accepted too) `?user=` for
/// `x-user-id`, checked by the same `Authenticator`.
struct QueryCredentialsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if context.identity == nil {
            let query = request.uri.queryParameters
            var fields = HTTPFields()
            if let token = query["token"], !token.isEmpty {
                fields[.authorization] = "Bearer \(token)"
            } else if let user = query["user"], !user.isEmpty {
                fields[Authenticator.devUserHeader] = String(user)
            }
            context.identity = try await authenticator.identity(from: fields)
        }
        return try await next(request, context)
    }
}
