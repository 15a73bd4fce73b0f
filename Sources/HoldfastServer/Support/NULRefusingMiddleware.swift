import Hummingbird

/// Refuses a URI that carries a NUL (`%00`) in its path or query with 400 before any route sees it;
/// `JSON.decode` does the same for bodies (see `TextRules`).
struct NULRefusingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.uri.description.contains("%00") else { throw TextRules.nulRefused }
        return try await next(request, context)
    }
}
