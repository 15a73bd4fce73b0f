import Dispatch
import HTTPTypes
import Hummingbird
import Metrics
import Synchronization

/// Counts requests and times them by route, method and status, under the labels of Hummingbird's
/// `MetricsMiddleware` (`hb.requests`, `http.server.request.duration`, `hb.request.errors`,
/// `http.server.active_requests`). Unlike that middleware it leaves the response body alone — wrapping it
/// in a closure to time the write turns a single-buffer response into separate head and body writes (one
/// syscall each) — so the time is measured until the response is ready, not until its last byte is sent.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: HTTPResponse.Status
    }

    private struct Instruments: Sendable {
        let requests: Counter
        let duration: Timer
        let errors: Counter
    }

    private final class Cache: Sendable {
        let instruments = Mutex<[Key: Instruments]>([:])
        let active = Mutex<[HTTPRequest.Method: Meter]>([:])
    }

    private let cache = Cache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let active = meter(request.method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            let instruments = self.instruments(Key(route: context.endpointPath ?? "Unknown", method: request.method, status: response.status))
            instruments.requests.increment()
            instruments.duration.recordNanoseconds(DispatchTime.now().uptimeNanoseconds - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let instruments = self.instruments(Key(route: context.endpointPath ?? "NotFound", method: request.method, status: status))
            instruments.requests.increment()
            instruments.errors.increment()
            throw error
        }
    }

    private func meter(_ method: HTTPRequest.Method) -> Meter {
        cache.active.withLock { meters in
            if let meter = meters[method] { return meter }
            let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.description)])
            meters[method] = meter
            return meter
        }
    }

    private func instruments(_ key: Key) -> Instruments {
        cache.instruments.withLock { cached in
            if let instruments = cached[key] { return instruments }
            let dimensions = [
                ("http.route", key.route), ("http.request.method", key.method.description),
                ("http.response.status_code", key.status.code.description),
            ]
            let instruments = Instruments(
                requests: Counter(label: "hb.requests", dimensions: dimensions),
                duration: Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds),
                errors: Counter(
                    label: "hb.request.errors",
                    dimensions: [
                        ("http.route", key.route), ("http.request.method", key.method.description), ("error.type", key.status.code.description),
                    ]))
            cached[key] = instruments
            return instruments
        }
    }
}
