import Dispatch
import Hummingbird

/// Counts requests and times them by route, method and status (`RequestInstruments`). Unlike Hummingbird's
/// `MetricsMiddleware` it leaves the response body alone — wrapping it in a closure to time the write turns a
/// single-buffer response into separate head and body writes (one syscall each) — so the time is measured until
/// the response is ready, not until its last byte is sent.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let instruments: RequestInstruments

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let active = instruments.active(request.method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            instruments.record(
                route: context.endpointPath ?? "Unknown", method: request.method, status: response.status,
                nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            instruments.record(route: context.endpointPath ?? "NotFound", method: request.method, status: status, nanoseconds: nil)
            throw error
        }
    }
}
