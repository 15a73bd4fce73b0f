/// Polls `condition` every 2 ms, 500 times at most (a second, more on a busy machine), until it holds; answers
/// whether it did.
func eventually(_ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
    return condition()
}
