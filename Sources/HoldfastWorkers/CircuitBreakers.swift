import Foundation
import HoldfastCore

/// One circuit breaker per endpoint: closed until `failureThreshold` failures in a row, then open
/// (calls refused) for `coolDown`, then half-open (one trial call; success closes, failure re-opens).
public actor CircuitBreakers {
    public enum State: Sendable, Equatable {
        case closed(failures: Int)
        case open(until: Date)
        case halfOpen
    }

    public enum Permit: Sendable, Equatable {
        case allowed
        case refused(until: Date)
    }

    let failureThreshold: Int
    let coolDown: TimeInterval
    let clock: any BookingClock
    private var states: [String: State] = [:]

    public init(failureThreshold: Int = 5, coolDown: TimeInterval = 30, clock: any BookingClock) {
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
        self.clock = clock
    }

    public func state(_ endpoint: String) -> State { states[endpoint] ?? .closed(failures: 0) }

    public func permit(_ endpoint: String) -> Permit {
        let now = clock.now()
        switch state(endpoint) {
        case .closed: return .allowed
        case .open(let until) where until <= now:
            states[endpoint] = .halfOpen
            return .allowed
        case .open(let until): return .refused(until: until)
        case .halfOpen: return .refused(until: now.addingTimeInterval(min(coolDown, 5)))
        }
    }

    public func recordSuccess(_ endpoint: String) {
        states[endpoint] = .closed(failures: 0)
    }

    public func recordFailure(_ endpoint: String) {
        let reopen = State.open(until: clock.now().addingTimeInterval(coolDown))
        switch state(endpoint) {
        case .closed(let failures): states[endpoint] = failures + 1 >= failureThreshold ? reopen : .closed(failures: failures + 1)
        case .halfOpen, .open: states[endpoint] = reopen
        }
    }

    /// 0 closed, 1 half-open, 2 open: for the breaker-state gauge.
    public func gaugeValue(_ endpoint: String) -> Int {
        switch state(endpoint) {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}
