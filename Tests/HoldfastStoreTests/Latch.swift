import Synchronization

/// Lets a test hold work open until it says so.
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    var isOpen: Bool { state.withLock { $0.open } }

    func open() {
        for waiter in state.withLock({ state in state.open = true; defer { state.waiting = [] }; return state.waiting }) { waiter.resume() }
    }
}
