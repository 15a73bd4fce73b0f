import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// The program's start: NIO's event loops become Swift concurrency's executor before any task runs, so a
/// request's handler, its middleware and its socket writes share one thread instead of hopping between the
/// event loops and the cooperative pool on every await (measured in issue 8). Then the command runs.
@main
enum Entry {
    static func main() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        Task {
            await HoldfastCommand.main()
            exit(0)
        }
        dispatchMain()
    }
}
