import HTTPTypes
import Metrics
import Synchronization

/// The request metrics, under the labels of Hummingbird's `MetricsMiddleware` (`hb.requests`,
/// `http.server.request.duration`, `hb.request.errors`, `http.server.active_requests`), made once per route,
/// method and status and shared by everything that answers requests.
final class RequestInstruments: Sendable {
    private struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: HTTPResponse.Status
    }

    /// The metrics of one route, method and status.
    struct Instruments: Sendable {
        fileprivate let requests: Counter
        fileprivate let duration: Timer
        fileprivate let errors: Counter

        /// Counts an answered request, and times it unless it failed.
        func record(nanoseconds: UInt64?) {
            requests.increment()
            if let nanoseconds {
                duration.recordNanoseconds(nanoseconds)
            } else {
                errors.increment()
            }
        }
    }

    private let instruments = Mutex<[Key: Instruments]>([:])
    private let active = Mutex<[HTTPRequest.Method: Meter]>([:])

    /// Requests of `method` being answered right now.
    func active(_ method: HTTPRequest.Method) -> Meter {
        active.withLock { meters in
            if let meter = meters[method] { return meter }
            let meter = Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.description)])
            meters[method] = meter
            return meter
        }
    }

    /// Counts an answered request, and times it unless it failed.
    func record(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, nanoseconds: UInt64?) {
        instruments(route: route, method: method, status: status).record(nanoseconds: nanoseconds)
    }

    /// The instruments of `route`, `method` and `status`, for a caller that records many such requests.
    func instruments(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status) -> Instruments {
        let key = Key(route: route, method: method, status: status)
        return instruments.withLock { cached in
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
