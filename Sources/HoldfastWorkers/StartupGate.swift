import ServiceLifecycle

/// Opens once start-up work (migrations) is done; services behind it wait until then.
public actor StartupGate {
    public private(set) var isOpen = false

    public init() {}

    public func open() { isOpen = true }

    /// Waits, cancellably, until the gate opens.
    public func wait() async throws {
        while !isOpen { try await Task.sleep(for: .milliseconds(50)) }
    }
}

/// Runs `service` once `gate` is open.
public struct GatedService: Service {
    let gate: StartupGate
    let service: any Service

    public init(gate: StartupGate, _ service: any Service) {
        self.gate = gate
        self.service = service
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await gate.wait() }
        } catch is CancellationError {
            return
        }
        guard await gate.isOpen else { return }
        try await service.run()
    }
}
